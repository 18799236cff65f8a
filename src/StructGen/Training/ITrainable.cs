using System;
using System.Collections.Generic;

namespace StructGen.Training;

/// <summary>
/// Anything with trainable parameters kept in one flat buffer and a gradient buffer of the same layout:
/// a model built from several layers, or a single layer. Optimizers reach it through a
/// <see cref="ParameterSet"/>; <see cref="IStructuredLinear"/> layers, which have the same members, are
/// accepted there directly.
/// </summary>
public interface ITrainable
{
    /// <summary>All parameters, one flat buffer laid out as <see cref="Tensors"/> describes.</summary>
    Span<float> Parameters { get; }

    /// <summary>Gradients of the loss with respect to <see cref="Parameters"/>; same layout and length.</summary>
    Span<float> Gradients { get; }

    /// <summary>
    /// The named tensors inside <see cref="Parameters"/>. Tensors named <c>bias</c> (or ending in
    /// <c>.bias</c>) are left out of weight decay by default; an empty list makes the whole buffer one tensor.
    /// </summary>
    IReadOnlyList<ParameterTensor> Tensors { get; }

    /// <summary>Sets every gradient to zero.</summary>
    void ZeroGradients();
}
