using System;
using System.Collections.Generic;
using System.Linq;

namespace StructGen.Dsl.Tests.Oracle;

/// <summary>One step of a reference model: a linear layer (its weight rebuilt from the tensors, and its bias) or an activation.</summary>
public abstract record ReferenceStep
{
    /// <summary>A layer: <c>y = x·Wᵀ + bias</c>.</summary>
    public static ReferenceStep Linear(Func<TensorSet, Matrix> weight, string bias) => new LinearStep(weight, bias);

    public static ReferenceStep Activation(string name) => new ActivationStep(name);
}

public sealed record LinearStep(Func<TensorSet, Matrix> Weight, string Bias) : ReferenceStep;

public sealed record ActivationStep(string Name) : ReferenceStep;

/// <summary>A model's forward pass in double precision, step by step, from its named tensors.</summary>
public static class ModelReference
{
    public static double[] Forward(IReadOnlyList<ReferenceStep> steps, TensorSet tensors, double[] x, int batch)
    {
        double[] current = x;
        foreach (ReferenceStep step in steps)
        {
            current = step switch
            {
                LinearStep linear => linear.Weight(tensors).Apply(current, batch, tensors[linear.Bias]),
                ActivationStep activation => current.Select(v => ReferenceActivation.Apply(activation.Name, v)).ToArray(),
                _ => throw new InvalidOperationException(),
            };
        }
        return current;
    }
}
