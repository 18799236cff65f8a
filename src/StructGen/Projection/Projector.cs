using System;
using System.Collections.Generic;
using System.Linq;

namespace StructGen.Projection;

/// <summary>
/// Projects a dense weight into an existing structured layer: recognises the structure from the layer's
/// <see cref="IStructuredLinear.Tensors"/> (names and shapes, as STRUCTURES.md lays them out), runs the
/// matching projection and writes its tensors into <see cref="IStructuredLinear.Parameters"/>.
/// </summary>
/// <remarks>
/// Recognised (bias ignored and left untouched): <c>blkdiag1</c> + <c>blkdiag2</c> → Monarch;
/// <c>A</c> + <c>B</c> → low rank; <c>w1</c> + <c>w2</c> → Kronecker; <c>B</c> + <c>C</c> + <c>D</c> → BLAST;
/// a 3-D <c>weight</c> → block diagonal; a 2-D <c>weight</c> → dense. Sums, chains and adapters are not.
/// </remarks>
public static class Projector
{
    /// <summary>
    /// Replaces the weight of <paramref name="layer"/> with the best approximation of <paramref name="dense"/>
    /// in the layer's structure. The bias is not touched.
    /// </summary>
    /// <param name="layer">The layer to overwrite.</param>
    /// <param name="dense">The weight <c>W</c>, <c>[OutFeatures, InFeatures]</c> row-major.</param>
    /// <param name="blastOptions">Settings for a BLAST layer; <see langword="null"/> for the defaults.</param>
    /// <returns>The projected tensors that were written.</returns>
    /// <exception cref="ArgumentException">
    /// The layer's tensors match no known structure, or their shapes differ from those the projection
    /// produces for the layer's sizes, or <paramref name="dense"/> has the wrong length.
    /// </exception>
    public static ProjectedStructure Into(IStructuredLinear layer, ReadOnlySpan<float> dense, BlastProjectionOptions? blastOptions = null)
    {
        ArgumentNullException.ThrowIfNull(layer);
        int outFeatures = layer.OutFeatures;
        int inFeatures = layer.InFeatures;
        long expected = (long)outFeatures * inFeatures;
        if (dense.Length != expected)
        {
            throw new ArgumentException(
                $"dense must hold the layer's Out·In = {outFeatures}·{inFeatures} = {expected} floats ([Out, In], row-major) but has {dense.Length}.",
                nameof(dense));
        }

        IReadOnlyList<ParameterTensor> tensors = layer.Tensors;
        ProjectedStructure projected = Project(tensors, layer, dense, outFeatures, inFeatures, blastOptions);

        Span<float> parameters = layer.Parameters;
        foreach (ProjectedTensor source in projected.Tensors)
        {
            ParameterTensor target = Find(tensors, source.Name)!;
            if (!source.HasShape(target.Shape))
            {
                throw new ArgumentException(
                    $"{layer.GetType().Name} declares {target} but {projected.Description} of a {outFeatures}×{inFeatures} weight is laid out as {source}; the layer does not follow STRUCTURES.md.",
                    nameof(layer));
            }
            if ((long)target.Offset + target.Length > parameters.Length)
            {
                throw new ArgumentException(
                    $"{layer.GetType().Name} declares {target}, which ends at {(long)target.Offset + target.Length}, past its {parameters.Length} parameters.",
                    nameof(layer));
            }
        }
        foreach (ProjectedTensor source in projected.Tensors)
        {
            source.Data.CopyTo(Find(tensors, source.Name)!.Slice(parameters));
        }
        return projected;
    }

    private static ProjectedStructure Project(
        IReadOnlyList<ParameterTensor> tensors,
        IStructuredLinear layer,
        ReadOnlySpan<float> dense,
        int outFeatures,
        int inFeatures,
        BlastProjectionOptions? blastOptions)
    {
        var names = tensors.Where(t => t.Name != "bias").Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        string key = string.Join("+", names);
        switch (key)
        {
            case "blkdiag1+blkdiag2" when Dimensions(tensors, "blkdiag1") == 3:
                return MonarchProjection.Project(dense, outFeatures, inFeatures, Find(tensors, "blkdiag1")!.Shape[0]);
            case "A+B" when Dimensions(tensors, "A") == 2:
                return LowRankProjection.Project(dense, outFeatures, inFeatures, Find(tensors, "A")!.Shape[0]);
            case "w1+w2" when Dimensions(tensors, "w1") == 2 && Dimensions(tensors, "w2") == 2:
                {
                    IReadOnlyList<int> w1 = Find(tensors, "w1")!.Shape;
                    IReadOnlyList<int> w2 = Find(tensors, "w2")!.Shape;
                    if ((long)w1[0] * w2[0] == outFeatures && (long)w1[1] * w2[1] == inFeatures)
                    {
                        return KroneckerProjection.Project(dense, outFeatures, inFeatures, w1[0], w1[1], w2[0], w2[1]);
                    }
                    break;
                }
            case "B+C+D" when Dimensions(tensors, "B") == 3 && Dimensions(tensors, "C") == 3:
                {
                    int b1 = Find(tensors, "B")!.Shape[0];
                    int b2 = Find(tensors, "C")!.Shape[0];
                    int rank = Find(tensors, "B")!.Shape[2];
                    if (b1 > 0 && b2 > 0 && outFeatures % b1 == 0 && inFeatures % b2 == 0 && rank > 0)
                    {
                        return BlastProjection.Project(dense, outFeatures, inFeatures, b1, b2, rank, blastOptions);
                    }
                    break;
                }
            case "weight" when Dimensions(tensors, "weight") == 3:
                return BlockDiagonalProjection.Project(dense, outFeatures, inFeatures, Find(tensors, "weight")!.Shape[0]);
            case "weight" when Dimensions(tensors, "weight") == 2:
                return DenseProjection.Project(dense, outFeatures, inFeatures);
        }

        throw new ArgumentException(
            $"Cannot recognise the structure of {layer.GetType().Name} ({outFeatures}×{inFeatures}) from its tensors: " +
            $"{(tensors.Count == 0 ? "none" : string.Join(", ", tensors.Select(t => t.ToString())))}. " +
            "Known layouts (STRUCTURES.md): blkdiag1+blkdiag2 (Monarch), A+B (low rank), w1+w2 (Kronecker), B+C+D (BLAST), " +
            "3-D weight (block diagonal), 2-D weight (dense), each with an optional bias.",
            nameof(layer));
    }

    private static ParameterTensor? Find(IReadOnlyList<ParameterTensor> tensors, string name)
    {
        foreach (ParameterTensor tensor in tensors)
        {
            if (tensor.Name == name)
            {
                return tensor;
            }
        }
        return null;
    }

    private static int Dimensions(IReadOnlyList<ParameterTensor> tensors, string name) => Find(tensors, name)?.Shape.Count ?? -1;
}
