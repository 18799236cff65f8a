using System;
using System.Collections.Generic;
using System.Globalization;
#if WITH_GENERATED
using StructGen.Benchmarks.Generated;
#endif
using StructGen.Benchmarks.Native;
using StructGen.Benchmarks.ReferenceForms;
using StructGen.Benchmarks.Shapes;

namespace StructGen.Benchmarks.Verification;

/// <summary>
/// The <c>--verify</c> mode: every baseline the suite times is checked against the naive dense
/// reconstruction of ../shared/STRUCTURES.md (<see cref="NaiveDense"/>), so the baselines are known right.
/// Forward and input gradient are compared element-wise; each parameter gradient <c>g_t</c> through the
/// exact identity <c>⟨g_t, d⟩ = ⟨dyᵀ·x, W(t ← d)⟩</c> for a random direction <c>d</c> (every <c>W</c> here is
/// linear in each tensor on its own). When the generated layers are compiled in, each is compared with
/// its reference form on the same parameters (<see cref="LayerCheck"/>).
/// </summary>
internal static unsafe class ReferenceVerifier
{
    private static readonly int[] s_batches = [1, 3];

    /// <summary>Runs every check; returns the process exit code (0 when all pass).</summary>
    public static int Run(IReadOnlyList<StructureShape> shapes)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        int failures = 0, checks = 0;
        foreach (StructureShape shape in shapes)
        {
            using ReferenceForm form = ReferenceFormFactory.Create(shape, s_batches[^1]);
            form.Initialize(seed: shape.In + (int)shape.Kind);
            foreach (int batch in s_batches)
            {
                foreach ((string what, double error) in CheckForm(form, batch))
                {
                    checks++;
                    bool ok = error < ErrorMeasure.Tolerance;
                    failures += ok ? 0 : 1;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{(ok ? "ok  " : "FAIL")} reference {shape,-44} batch {batch}  {what,-14} rel. error {error:E2}"));
                }
            }
#if WITH_GENERATED
            if (shape.Kind != StructureKind.Dense)
            {
                foreach ((string what, double error) in LayerCheck.Compare(form, GeneratedLayers.Create(shape)))
                {
                    checks++;
                    bool ok = error < ErrorMeasure.Tolerance;
                    failures += ok ? 0 : 1;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{(ok ? "ok  " : "FAIL")} StructGen {shape,-44}          {what,-14} rel. error {error:E2}"));
                }
            }
#endif
        }
        Console.WriteLine($"{checks - failures} passed, {failures} failed");
        return failures == 0 ? 0 : 1;
    }

    private static List<(string What, double Error)> CheckForm(ReferenceForm form, int batch)
    {
        var results = new List<(string What, double Error)>();
        StructureShape shape = form.Shape;
        int n = shape.In, m = shape.Out;
        var random = new Random(batch * 7919 + n);
        using var x = new AlignedBuffer((long)batch * n);
        using var y = new AlignedBuffer((long)batch * m);
        using var dy = new AlignedBuffer((long)batch * m);
        using var dx = new AlignedBuffer((long)batch * n);
        x.FillUniform(random, 1f);
        dy.FillUniform(random, 1f);

        var values = new Dictionary<string, IntPtr>();
        foreach (ReferenceTensor t in form.Tensors)
        {
            values[t.Name] = (IntPtr)t.Value.Pointer;
        }
        double[] w = NaiveDense.Build(shape, name => values[name]);

        form.Forward(x.Pointer, y.Pointer, batch);
        var expectedY = new double[(long)batch * m];
        var expectedDx = new double[(long)batch * n];
        var outer = new double[(long)m * n]; // ∂L/∂W = dyᵀ·x for L = ⟨dy, y⟩
        for (int b = 0; b < batch; b++)
        {
            float* xb = x.Pointer + (long)b * n, dyb = dy.Pointer + (long)b * m;
            for (int row = 0; row < m; row++)
            {
                double sum = 0, g = dyb[row];
                long offset = (long)row * n;
                for (int col = 0; col < n; col++)
                {
                    sum += w[offset + col] * xb[col];
                    expectedDx[(long)b * n + col] += g * w[offset + col];
                    outer[offset + col] += g * xb[col];
                }
                expectedY[(long)b * m + row] = sum;
            }
        }
        results.Add(("forward", ErrorMeasure.Relative(y.Pointer, expectedY)));

        form.ZeroGradients();
        form.Backward(x.Pointer, dy.Pointer, dx.Pointer, batch);
        results.Add(("input grad", ErrorMeasure.Relative(dx.Pointer, expectedDx)));

        foreach (ReferenceTensor t in form.Tensors)
        {
            using var direction = new AlignedBuffer(t.Length);
            direction.FillUniform(random, 1f);
            var substituted = new Dictionary<string, IntPtr>(values) { [t.Name] = (IntPtr)direction.Pointer };
            double[] wd = NaiveDense.Build(shape, name => substituted[name]);
            double expected = 0, squares = 0;
            for (long i = 0; i < wd.LongLength; i++)
            {
                double term = outer[i] * wd[i];
                expected += term;
                squares += term * term;
            }
            double actual = 0;
            for (long i = 0; i < t.Length; i++)
            {
                actual += (double)t.Gradient.Pointer[i] * direction.Pointer[i];
            }
            double scale = Math.Max(Math.Abs(expected), Math.Sqrt(squares));
            results.Add(($"grad {t.Name}", scale == 0 ? Math.Abs(actual) : Math.Abs(actual - expected) / scale));
        }
        return results;
    }
}
