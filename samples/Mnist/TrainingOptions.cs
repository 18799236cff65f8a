namespace Mnist;

/// <summary>Hyper-parameters shared by every variant, so the comparison is like for like.</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training digits.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Digits per optimizer step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>AdamW's peak learning rate (after warm-up, before the cosine decay).</summary>
    public double LearningRate { get; init; } = 2e-3;

    /// <summary>AdamW's decoupled weight decay (biases excluded).</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>Seed of the initialization and the shuffles.</summary>
    public int Seed { get; init; } = 1;
}
