using System.Collections.Generic;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Gpu;

/// <summary>
/// BLAST facet on a <c>b1 × b2</c> grid: <c>z_j = C[j]·x_j</c> per column block, the coupling
/// <c>h_i = Σ_j D[i, j] ∘ z_j</c> (for each rank index a small <c>[rows, b2] · [b2, b1]</c> product, so it runs
/// on the same tiled kernel), and <c>y_i = B[i]·h_i</c> per row block.
/// </summary>
internal sealed class BlastGpu : GpuStructure
{
    private readonly BlastSpec _spec;

    public BlastGpu(BlastSpec spec) => _spec = spec;

    public override string Formula => "W_ij = B[i]·diag(D[i, j])·C[j]; z_j = C[j]·x_j, h_i = Σ_j D[i, j] ∘ z_j, y_i = B[i]·h_i";

    public override IEnumerable<GpuConstant> Constants()
    {
        yield return new GpuConstant("B1", _spec.RowBlocks, "Row blocks (b1, splitting Out).");
        yield return new GpuConstant("B2", _spec.ColumnBlocks, "Column blocks (b2, splitting In).");
        yield return new GpuConstant("R", _spec.Rank, "Rank of every block.");
        yield return new GpuConstant("BlockOut", _spec.BlockOut, "Rows per row block (Out / b1).");
        yield return new GpuConstant("BlockIn", _spec.BlockIn, "Columns per column block (In / b2).");
    }

    public override IReadOnlyList<GpuScratch> Scratch => new[]
    {
        new GpuScratch("z", _spec.ColumnBlocks * _spec.Rank, "[rows, b2·R] right factors' outputs"),
        new GpuScratch("h", _spec.RowBlocks * _spec.Rank, "[rows, b1·R] after the coupling"),
        new GpuScratch("dh", _spec.RowBlocks * _spec.Rank, "[rows, b1·R] gradient of h (backward)"),
        new GpuScratch("dz", _spec.ColumnBlocks * _spec.Rank, "[rows, b2·R] gradient of z (backward)"),
    };

    private GpuGemm RightFactors => new("RightFactors",
        $"z[b, j·R + r] = Σ_c x[b, j·BlockIn + c]·C[j, r, c]  ({_spec.ColumnBlocks} blocks of {_spec.Rank} × {_spec.BlockIn})",
        C(_spec.ColumnBlocks), Rows(), C(_spec.Rank), C(_spec.BlockIn),
        new GpuOperand("x", "m * In + g * BlockIn + k", 'k'),
        new GpuOperand("p", "OffsetC + (g * R + n) * BlockIn + k", 'k'),
        new GpuOutput("z", "m * (B2 * R) + g * R + n", Accumulate: false));

    private GpuGemm Coupling => new("Coupling",
        $"h[b, i·R + r] = Σ_j z[b, j·R + r]·D[i, j, r]  ({_spec.Rank} products [rows, {_spec.ColumnBlocks}] · [{_spec.ColumnBlocks}, {_spec.RowBlocks}], one per rank index)",
        C(_spec.Rank), Rows(), C(_spec.RowBlocks), C(_spec.ColumnBlocks),
        new GpuOperand("z", "m * (B2 * R) + k * R + g", 'k'),
        new GpuOperand("p", "OffsetD + (n * B2 + k) * R + g", 'k'),
        new GpuOutput("h", "m * (B1 * R) + n * R + g", Accumulate: false));

    public override IReadOnlyList<GpuGemm> Forward(bool bias) => new[]
    {
        RightFactors,
        Coupling,
        new GpuGemm("LeftFactors",
            $"y[b, i·BlockOut + o] = Σ_r h[b, i·R + r]·B[i, o, r]  ({_spec.RowBlocks} blocks of {_spec.BlockOut} × {_spec.Rank})",
            C(_spec.RowBlocks), Rows(), C(_spec.BlockOut), C(_spec.Rank),
            new GpuOperand("h", "m * (B1 * R) + g * R + k", 'k'),
            new GpuOperand("p", "OffsetB + (g * BlockOut + n) * R + k", 'k'),
            Output("m * Out + g * BlockOut + n", "g * BlockOut + n", bias)),
    };

    public override IReadOnlyList<GpuGemm> Backward() => new[]
    {
        RightFactors,
        Coupling,
        new GpuGemm("LeftFactorsInputGradient",
            "dh[b, i·R + r] = Σ_o dy[b, i·BlockOut + o]·B[i, o, r]",
            C(_spec.RowBlocks), Rows(), C(_spec.Rank), C(_spec.BlockOut),
            new GpuOperand("dy", "m * Out + g * BlockOut + k", 'k'),
            new GpuOperand("p", "OffsetB + (g * BlockOut + k) * R + n", 'n'),
            new GpuOutput("dh", "m * (B1 * R) + g * R + n", Accumulate: false)),
        new GpuGemm("GradientB",
            "∂B[i, o, r] += Σ_b dy[b, i·BlockOut + o]·h[b, i·R + r]",
            C(_spec.RowBlocks), C(_spec.BlockOut), C(_spec.Rank), Rows(),
            new GpuOperand("dy", "k * Out + g * BlockOut + m", 'm'),
            new GpuOperand("h", "k * (B1 * R) + g * R + n", 'n'),
            new GpuOutput("dp", "OffsetB + (g * BlockOut + m) * R + n", Accumulate: true)),
        new GpuGemm("GradientD",
            "∂D[i, j, r] += Σ_b dh[b, i·R + r]·z[b, j·R + r]",
            C(_spec.Rank), C(_spec.RowBlocks), C(_spec.ColumnBlocks), Rows(),
            new GpuOperand("dh", "k * (B1 * R) + m * R + g", 'm'),
            new GpuOperand("z", "k * (B2 * R) + n * R + g", 'n'),
            new GpuOutput("dp", "OffsetD + (m * B2 + n) * R + g", Accumulate: true)),
        new GpuGemm("CouplingInputGradient",
            "dz[b, j·R + r] = Σ_i dh[b, i·R + r]·D[i, j, r]",
            C(_spec.Rank), Rows(), C(_spec.ColumnBlocks), C(_spec.RowBlocks),
            new GpuOperand("dh", "m * (B1 * R) + k * R + g", 'k'),
            new GpuOperand("p", "OffsetD + (k * B2 + n) * R + g", 'n'),
            new GpuOutput("dz", "m * (B2 * R) + n * R + g", Accumulate: false)),
        new GpuGemm("GradientC",
            "∂C[j, r, c] += Σ_b dz[b, j·R + r]·x[b, j·BlockIn + c]",
            C(_spec.ColumnBlocks), C(_spec.Rank), C(_spec.BlockIn), Rows(),
            new GpuOperand("dz", "k * (B2 * R) + g * R + m", 'm'),
            new GpuOperand("x", "k * In + g * BlockIn + n", 'n'),
            new GpuOutput("dp", "OffsetC + (g * R + m) * BlockIn + n", Accumulate: true)),
        new GpuGemm("InputGradient",
            "dx[b, j·BlockIn + c] = Σ_r dz[b, j·R + r]·C[j, r, c]",
            C(_spec.ColumnBlocks), Rows(), C(_spec.BlockIn), C(_spec.Rank),
            new GpuOperand("dz", "m * (B2 * R) + g * R + k", 'k'),
            new GpuOperand("p", "OffsetC + (g * R + k) * BlockIn + n", 'n'),
            new GpuOutput("dx", "m * In + g * BlockIn + n", Accumulate: false)),
    };
}
