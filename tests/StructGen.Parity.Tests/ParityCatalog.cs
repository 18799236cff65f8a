using System;
using System.Collections.Generic;
using System.Linq;

namespace StructGen.Parity.Tests;

/// <summary>The layer declared for each fixture of tests/fixtures/torch/parity, by fixture name.</summary>
internal static partial class ParityCatalog
{
    private static readonly Dictionary<string, Func<IStructuredLinear>> s_layers = Build();

    /// <summary>True when the DSL composites (Composites/) are compiled in (the default; -p:ParityComposites=false leaves them out).</summary>
    public static bool CompositesIncluded { get; private set; }

    /// <summary>Fixture names that have a layer, in ordinal order.</summary>
    public static IReadOnlyList<string> Names { get; } = s_layers.Keys.Order(StringComparer.Ordinal).ToArray();

    public static bool Contains(string name) => s_layers.ContainsKey(name);

    /// <summary>A fresh layer (initialized from its default seed) for fixture <paramref name="name"/>.</summary>
    public static IStructuredLinear Create(string name) => s_layers[name]();

    /// <summary>Every fixture name × both state-dict files.</summary>
    public static TheoryData<string, string> NamesAndFormats()
    {
        var data = new TheoryData<string, string>();
        foreach (string name in Names)
        {
            data.Add(name, Fixture.Pt);
            data.Add(name, Fixture.Safetensors);
        }
        return data;
    }

    public static TheoryData<string> AllNames()
    {
        var data = new TheoryData<string>();
        foreach (string name in Names)
        {
            data.Add(name);
        }
        return data;
    }

    private static Dictionary<string, Func<IStructuredLinear>> Build()
    {
        var layers = new Dictionary<string, Func<IStructuredLinear>>(StringComparer.Ordinal)
        {
            ["dense_19x23"] = () => new Dense19x23(),
            ["lowrank_21x17_r3"] = () => new LowRank21x17(),
            ["monarch_square_36_b6"] = () => new MonarchSquare36(),
            ["monarch_square_48_b3"] = () => new MonarchSquare48(),
            ["monarch_padded_22x37_b4"] = () => new MonarchPadded22x37(),
            ["monarch_padded_29x13_b3"] = () => new MonarchPadded29x13(),
            ["monarch_padded_13x15_b4_nobias"] = () => new MonarchPadded13x15(),
            ["blockdiag_padded_20x11_b3"] = () => new BlockDiagPadded20x11(),
            ["kronecker_15x8"] = () => new Kron15x8(),
            ["blast_square_27_b3_r4"] = () => new BlastSquare27(),
            ["blast_grid_18x28_4x2_r5"] = () => new BlastGrid18x28(),
            ["blast_grid_33x10_2x3_r4"] = () => new BlastGrid33x10(),
        };
        AddComposites(layers);
        return layers;
    }

    /// <summary>Implemented in Composites/Adapters.cs when the DSL composites are compiled in.</summary>
    static partial void AddComposites(Dictionary<string, Func<IStructuredLinear>> layers);
}
