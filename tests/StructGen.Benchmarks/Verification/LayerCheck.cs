using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Benchmarks.Native;
using StructGen.Benchmarks.ReferenceForms;

namespace StructGen.Benchmarks.Verification;

/// <summary>
/// Compares a StructGen layer with the reference form of the same shape on the same parameters: tensor
/// names and shapes, <see cref="IStructuredLinear.ForwardFlopsPerRow"/>, forward, input gradient and every
/// parameter gradient. The benchmark also uses <see cref="CopyParameters"/> so both time the same numbers.
/// </summary>
internal static unsafe class LayerCheck
{
    /// <summary>Copies the form's tensors into the layer's parameters by name; throws on any mismatch.</summary>
    public static void CopyParameters(ReferenceForm form, IStructuredLinear layer)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(layer);
        Span<float> parameters = layer.Parameters;
        parameters.Clear();
        foreach (ReferenceTensor source in form.Tensors)
        {
            ParameterTensor target = layer.Tensors.FirstOrDefault(t => t.Name == source.Name)
                ?? throw new InvalidOperationException($"{layer.GetType().Name} has no tensor '{source.Name}' (has {string.Join(", ", layer.Tensors)}).");
            if (!target.Shape.SequenceEqual(source.Shape))
            {
                throw new InvalidOperationException(
                    $"{layer.GetType().Name}.{source.Name} is [{string.Join(", ", target.Shape)}], the reference [{string.Join(", ", source.Shape)}].");
            }
            source.Value.Span.CopyTo(target.Slice(parameters));
        }
    }

    /// <summary>Yields (what, relative error) for each comparison.</summary>
    public static List<(string What, double Error)> Compare(ReferenceForm form, IStructuredLinear layer)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(layer);
        var results = new List<(string What, double Error)>();
        CopyParameters(form, layer);
        results.Add(("flops/row", layer.ForwardFlopsPerRow == form.Shape.ForwardFlopsPerRow
            ? 0 : Math.Abs(layer.ForwardFlopsPerRow - form.Shape.ForwardFlopsPerRow) / (double)form.Shape.ForwardFlopsPerRow));

        int batch = form.MaxBatch, n = form.Shape.In, m = form.Shape.Out;
        var random = new Random(17);
        using var x = new AlignedBuffer((long)batch * n);
        using var dy = new AlignedBuffer((long)batch * m);
        using var yRef = new AlignedBuffer((long)batch * m);
        using var yLayer = new AlignedBuffer((long)batch * m);
        using var dxRef = new AlignedBuffer((long)batch * n);
        using var dxLayer = new AlignedBuffer((long)batch * n);
        x.FillUniform(random, 1f);
        dy.FillUniform(random, 1f);

        form.Forward(x.Pointer, yRef.Pointer, batch);
        layer.Forward(x.Span, yLayer.Span, batch);
        results.Add(("forward", ErrorMeasure.Relative(yLayer.Pointer, yRef.Pointer, yRef.Length)));

        form.ZeroGradients();
        layer.ZeroGradients();
        form.Backward(x.Pointer, dy.Pointer, dxRef.Pointer, batch);
        layer.Backward(x.Span, dy.Span, dxLayer.Span, batch);
        results.Add(("input grad", ErrorMeasure.Relative(dxLayer.Pointer, dxRef.Pointer, dxRef.Length)));

        Span<float> gradients = layer.Gradients;
        foreach (ReferenceTensor source in form.Tensors)
        {
            ParameterTensor target = layer.Tensors.First(t => t.Name == source.Name);
            fixed (float* g = target.Slice(gradients))
            {
                results.Add(($"grad {source.Name}", ErrorMeasure.Relative(g, source.Gradient.Pointer, source.Length)));
            }
        }
        return results;
    }
}
