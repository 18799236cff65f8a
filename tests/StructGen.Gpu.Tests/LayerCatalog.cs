using System;
using System.Collections.Generic;
using System.Linq;
using ILGPU.Runtime;
using StructGen.Gpu;

namespace StructGen.Gpu.Tests;

/// <summary>The generated layers under test, with their launchers, by name.</summary>
public static class LayerCatalog
{
    /// <summary>Each layer with its <c>ToAccelerator</c>: the launcher is a different generated type per layer.</summary>
    private static readonly Dictionary<string, Func<(IStructuredLinear Layer, Func<Accelerator, GpuLayer> ToAccelerator)>> s_all = new()
    {
        [nameof(GpuDense37x29)] = () => { var l = new GpuDense37x29(); return (l, l.ToAccelerator); },
        [nameof(GpuDense20x33NoBias)] = () => { var l = new GpuDense20x33NoBias(); return (l, l.ToAccelerator); },
        [nameof(GpuLowRank40x23)] = () => { var l = new GpuLowRank40x23(); return (l, l.ToAccelerator); },
        [nameof(GpuLowRank17x50NoBias)] = () => { var l = new GpuLowRank17x50NoBias(); return (l, l.ToAccelerator); },
        [nameof(GpuMonarch36x100)] = () => { var l = new GpuMonarch36x100(); return (l, l.ToAccelerator); },
        [nameof(GpuMonarch100x60)] = () => { var l = new GpuMonarch100x60(); return (l, l.ToAccelerator); },
        [nameof(GpuMonarchPadded10x14)] = () => { var l = new GpuMonarchPadded10x14(); return (l, l.ToAccelerator); },
        [nameof(GpuMonarchPadded30x18)] = () => { var l = new GpuMonarchPadded30x18(); return (l, l.ToAccelerator); },
        [nameof(GpuKron12x35)] = () => { var l = new GpuKron12x35(); return (l, l.ToAccelerator); },
        [nameof(GpuKron36x16)] = () => { var l = new GpuKron36x16(); return (l, l.ToAccelerator); },
        [nameof(GpuBlast30x20)] = () => { var l = new GpuBlast30x20(); return (l, l.ToAccelerator); },
        [nameof(GpuBlastGrid20x18)] = () => { var l = new GpuBlastGrid20x18(); return (l, l.ToAccelerator); },
        [nameof(GpuBlockDiag30x45)] = () => { var l = new GpuBlockDiag30x45(); return (l, l.ToAccelerator); },
        [nameof(GpuBlockDiagPadded10x7)] = () => { var l = new GpuBlockDiagPadded10x7(); return (l, l.ToAccelerator); },
    };

    public static IEnumerable<object[]> Names => s_all.Keys.Select(k => new object[] { k });

    public static (IStructuredLinear Layer, Func<Accelerator, GpuLayer> ToAccelerator) Create(string name) => s_all[name]();

    public static float[] Random(int length, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        var data = new float[length];
        for (int i = 0; i < length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return data;
    }
}
