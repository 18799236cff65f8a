using System.Collections.Generic;
using System.Linq;
using StructGen.Generators.Helpers;

namespace StructGen.Generators.Emit.Gpu;

/// <summary>
/// Writes one tiled ILGPU product kernel from a <see cref="GpuGemm"/>: each group computes a
/// <see cref="GpuTiles.TileM"/> × <see cref="GpuTiles.TileN"/> tile of C for one block <c>g</c>, staging
/// <see cref="GpuTiles.TileK"/>-wide slices of A and B in shared memory between barriers; each thread keeps a
/// <see cref="GpuTiles.BlockM"/> × <see cref="GpuTiles.BlockN"/> register block. Scalar code only: ILGPU
/// kernels cannot call System.Runtime.Intrinsics or System.Numerics.Vector.
/// </summary>
internal static class GpuGemmEmitter
{
    /// <summary>The kernel's parameter list: its device buffers then <c>int rows</c>.</summary>
    public static string Parameters(GpuGemm gemm)
        => string.Join(", ", gemm.Buffers.Select(b => "global::ILGPU.ArrayView<float> " + b)) + ", int rows";

    /// <summary>The delegate type of the loaded kernel.</summary>
    public static string DelegateType(GpuGemm gemm)
        => "global::System.Action<global::ILGPU.KernelConfig, " + string.Join(", ", gemm.Buffers.Select(_ => "global::ILGPU.ArrayView<float>")) + ", int>";

    /// <summary>The type arguments of <c>LoadStreamKernel</c>.</summary>
    public static string TypeArguments(GpuGemm gemm)
        => string.Join(", ", gemm.Buffers.Select(_ => "global::ILGPU.ArrayView<float>")) + ", int";

    /// <summary>The number of groups of a launch, as a launcher expression over <c>rows</c>.</summary>
    public static string Groups(GpuGemm gemm)
    {
        string tiles = $"Tiles({gemm.M.Code}, GpuKernels.TileM) * Tiles({gemm.N.Code}, GpuKernels.TileN)";
        return gemm.G.PerRow || gemm.G.Factor != 1 ? $"{gemm.G.Code}L * {tiles}" : tiles;
    }

    public static void Emit(IndentedTextWriter w, GpuGemm gemm)
    {
        bool blocks = gemm.G.PerRow || gemm.G.Factor != 1;
        w.Line($"/// <summary>{Xml(gemm.Summary)}</summary>");
        w.Line("/// <remarks>");
        w.Line("/// <code>");
        w.Line($"/// Product  C[g][m, n] {(gemm.C.Accumulate ? "+=" : "=")} {(gemm.C.Scale is null ? "" : gemm.C.Scale + "·")}Σ_k A[g][m, k]·B[g][k, n]{(gemm.C.Addend is null ? "" : " + bias")}");
        w.Line($"/// Extents  G = {gemm.G.Text}, M = {gemm.M.Text}, N = {gemm.N.Text}, K = {gemm.K.Text}   ({gemm.FlopsText} FLOPs)");
        w.Line($"/// A        {gemm.A.Buffer}[{Xml(gemm.A.Index)}]{Condition(gemm.A.Valid, "zero where not ")}");
        w.Line($"/// B        {gemm.B.Buffer}[{Xml(gemm.B.Index)}]{Condition(gemm.B.Valid, "zero where not ")}");
        w.Line($"/// C        {gemm.C.Buffer}[{Xml(gemm.C.Index)}]{Condition(gemm.C.Valid, "stored only where ")}");
        w.Line($"/// Tiles    {GpuTiles.TileM} × {GpuTiles.TileN} outputs per group, K in slices of {GpuTiles.TileK} through shared memory;");
        w.Line($"///          {GpuTiles.Threads} threads, each a {GpuTiles.BlockM} × {GpuTiles.BlockN} register block (rows tm + {GpuTiles.ThreadsM}·i, columns tn + {GpuTiles.ThreadsN}·j)");
        w.Line("/// </code>");
        w.Line("/// </remarks>");
        using (w.OpenBlock($"public static void {gemm.Name}({Parameters(gemm)})"))
        {
            w.Line("// Extents of this product.");
            w.Line($"{Declare(gemm.M)} extentM = {gemm.M.Code};");
            w.Line($"{Declare(gemm.N)} extentN = {gemm.N.Code};");
            w.Line($"{Declare(gemm.K)} extentK = {gemm.K.Code};");
            w.Line("// Groups are numbered block by block, then tile row, then tile column.");
            w.Line($"{(gemm.N.PerRow ? "int" : "const int")} tilesN = (extentN + TileN - 1) / TileN;");
            w.Line("int tile = global::ILGPU.Grid.IdxX;");
            if (blocks)
            {
                w.Line($"{(gemm.M.PerRow ? "int" : "const int")} tilesM = (extentM + TileM - 1) / TileM;");
                w.Line("int g = tile / (tilesM * tilesN);");
                w.Line("tile -= g * (tilesM * tilesN);");
            }
            w.Line("int m0 = tile / tilesN * TileM;");
            w.Line("int n0 = tile % tilesN * TileN;");
            w.Line("int lane = global::ILGPU.Group.IdxX;");
            w.Line("int tm = lane / ThreadsN;");
            w.Line("int tn = lane % ThreadsN;");
            w.Line("// K-slices of A ([TileK, TileM]) and B ([TileK, TileN]), shared by the group's threads.");
            w.Line("var tileA = global::ILGPU.SharedMemory.Allocate1D<float>(TileK * TileM);");
            w.Line("var tileB = global::ILGPU.SharedMemory.Allocate1D<float>(TileK * TileN);");
            for (int i = 0; i < GpuTiles.BlockM; i++)
            {
                w.Line("float " + string.Join(", ", Enumerable.Range(0, GpuTiles.BlockN).Select(j => $"c{i}{j} = 0f")) + ";");
            }
            using (w.OpenBlock("for (int k0 = 0; k0 < extentK; k0 += TileK)"))
            {
                WriteStage(w, "tileA", "TileM", gemm.A, "m", "extentM", "m0");
                WriteStage(w, "tileB", "TileN", gemm.B, "n", "extentN", "n0");
                w.Line("global::ILGPU.Group.Barrier();");
                w.Line($"// {GpuTiles.BlockM} × {GpuTiles.BlockN} multiply-adds per pair of shared loads.");
                using (w.OpenBlock("for (int kk = 0; kk < TileK; kk++)"))
                {
                    w.Line("float " + string.Join(", ", Enumerable.Range(0, GpuTiles.BlockM).Select(i => $"a{i} = tileA[kk * TileM + tm{Plus(i * GpuTiles.ThreadsM)}]")) + ";");
                    w.Line("float " + string.Join(", ", Enumerable.Range(0, GpuTiles.BlockN).Select(j => $"b{j} = tileB[kk * TileN + tn{Plus(j * GpuTiles.ThreadsN)}]")) + ";");
                    for (int i = 0; i < GpuTiles.BlockM; i++)
                    {
                        w.Line(string.Join(" ", Enumerable.Range(0, GpuTiles.BlockN).Select(j => $"c{i}{j} += a{i} * b{j};")));
                    }
                }
                w.Line("global::ILGPU.Group.Barrier();");
            }
            WriteStore(w, gemm.C);
        }
    }

    /// <summary>Copies one K-slice of an operand into shared memory, zero outside the extents (and where the operand's condition fails).</summary>
    private static void WriteStage(IndentedTextWriter w, string tile, string width, GpuOperand operand, string outer, string outerExtent, string outerOrigin)
    {
        bool fastK = operand.FastIndex == 'k';
        w.Line($"// Stage {operand.Buffer}: consecutive threads take consecutive {(fastK ? "k" : outer)} ({operand.Buffer} is contiguous along it).");
        using (w.OpenBlock($"for (int e = lane; e < TileK * {width}; e += Threads)"))
        {
            string kk = fastK ? "e % TileK" : $"e / {width}";
            string oo = fastK ? "e / TileK" : $"e % {width}";
            w.Line($"int kk = {kk}, {outer}{outer} = {oo};");
            w.Line($"int k = k0 + kk, {outer} = {outerOrigin} + {outer}{outer};");
            w.Line("float value = 0f;");
            string condition = $"{outer} < {outerExtent} && k < extentK" + (operand.Valid is null ? "" : " && " + operand.Valid);
            using (w.OpenBlock($"if ({condition})"))
            {
                w.Line($"value = {operand.Buffer}[{operand.Index}];");
            }
            w.Line($"{tile}[kk * {width} + {outer}{outer}] = value;");
        }
    }

    /// <summary>Writes each thread's register block to C (inside the extents and the output's condition).</summary>
    private static void WriteStore(IndentedTextWriter w, GpuOutput c)
    {
        string op = c.Accumulate ? "+=" : "=";
        w.Line($"// {(c.Accumulate ? "Add" : "Store")} the register block{(c.Scale is null ? "" : ", scaled by " + c.Scale)}{(c.Addend is null ? "" : ", with the bias")}.");
        for (int i = 0; i < GpuTiles.BlockM; i++)
        {
            using (w.OpenBlock(null))
            {
                w.Line($"int m = m0 + tm{Plus(i * GpuTiles.ThreadsM)};");
                using (w.OpenBlock("if (m < extentM)"))
                {
                    for (int j = 0; j < GpuTiles.BlockN; j++)
                    {
                        w.Line((j == 0 ? "int " : "") + $"n = n0 + tn{Plus(j * GpuTiles.ThreadsN)};");
                        string condition = "n < extentN" + (c.Valid is null ? "" : " && " + c.Valid);
                        string product = c.Scale is null ? $"c{i}{j}" : $"{c.Scale} * c{i}{j}";
                        string value = product + (c.Addend is null ? "" : $" + {c.AddendBuffer}[{c.Addend}]");
                        using (w.OpenBlock($"if ({condition})"))
                        {
                            w.Line($"{c.Buffer}[{c.Index}] {op} {value};");
                        }
                    }
                }
            }
        }
    }

    private static string Declare(GpuExtent extent) => extent.PerRow ? "int" : "const int";

    private static string Plus(int value) => value == 0 ? "" : " + " + value;

    private static string Condition(string? valid, string prefix) => valid is null ? "" : $"   ({prefix}{Xml(valid)}: fly's padding)";

    internal static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>Distinct kernels of a plan, first occurrence first (the backward pass reuses forward kernels).</summary>
    public static IReadOnlyList<GpuGemm> Distinct(IEnumerable<GpuGemm> gemms)
    {
        var seen = new HashSet<string>();
        return gemms.Where(g => seen.Add(g.Name)).ToList();
    }
}
