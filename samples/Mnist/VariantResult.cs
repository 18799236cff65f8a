namespace Mnist;

/// <summary>One row of the final table.</summary>
/// <param name="Name">The variant.</param>
/// <param name="Parameters">Trainable values, biases included.</param>
/// <param name="TestAccuracy">Accuracy on the held-out digits after the last epoch.</param>
/// <param name="SecondsPerEpoch">Mean wall-clock time of one training epoch (evaluation excluded).</param>
/// <param name="CpuSecondsPerEpoch">Mean process CPU time of one training epoch: steadier than wall time on a loaded machine.</param>
/// <param name="FinalLoss">Mean training loss of the last epoch.</param>
/// <param name="BytesPerStep">Bytes allocated by the training loop, averaged over every step but the first (which rents the layers' scratch buffers).</param>
public sealed record VariantResult(string Name, long Parameters, double TestAccuracy, double SecondsPerEpoch, double CpuSecondsPerEpoch, double FinalLoss, double BytesPerStep);
