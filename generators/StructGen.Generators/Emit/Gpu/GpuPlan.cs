using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using StructGen.Generators.Emit.Cpu;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Gpu;

/// <summary>
/// The launch plan of a layer (or of a model's layer steps) on the device: the kernel classes
/// (<see cref="Nodes"/>), the scratch slices between kernels, and each pass as a list of launches. The six
/// structures are leaves whose facets (<see cref="GpuStructure"/>) give their products; the composites are
/// planned here by composing them, as the CPU composites compose their operands (Emit/Cpu):
/// <list type="bullet">
/// <item>a sum runs its terms one after the other on the same views; the first stores the output and the
/// input gradient, the others add into them (the products' accumulate flag), so no term needs a buffer;</item>
/// <item>the adapter is the sum of its base (dense) and its update (low rank with PEFT's scaling);</item>
/// <item>a chain writes each inner activation into scratch (<c>h0</c>, <c>h1</c>, …), and backward recomputes
/// them, then goes back through the factors, last first, with the inner gradients (<c>dh0</c>, …) in scratch.</item>
/// </list>
/// Every slice has its own place in the scratch buffer (the sum of their widths per row), so no launch
/// overwrites what a later one reads.
/// </summary>
internal sealed class GpuPlan
{
    private readonly Dictionary<string, long> _offsets;
    private readonly List<GpuNode> _nodes = new();
    private readonly List<GpuScratch> _scratch = new();

    /// <param name="tensors">Every tensor of the layer (or model) in parameter order, bias included where it has one.</param>
    public GpuPlan(IEnumerable<TensorSpec> tensors)
    {
        _offsets = new Dictionary<string, long>(StringComparer.Ordinal);
        long offset = 0;
        foreach (TensorSpec tensor in tensors)
        {
            _offsets[tensor.Name] = offset;
            offset += tensor.Length;
        }
        ParameterTotal = offset;
    }

    /// <summary>Floats in the parameter buffer.</summary>
    public long ParameterTotal { get; }

    public IReadOnlyList<GpuNode> Nodes => _nodes;

    /// <summary>Scratch slices in buffer order, named by their launcher locals.</summary>
    public IReadOnlyList<GpuScratch> Scratch => _scratch;

    /// <summary>Scratch floats per row of the batch: every slice end to end.</summary>
    public int ScratchPerRow => _scratch.Sum(s => s.PerRow);

    /// <summary>The offset of tensor <paramref name="name"/> in the parameter buffer.</summary>
    public long OffsetOf(string name) => _offsets.TryGetValue(name, out long offset)
        ? offset
        : throw new InvalidOperationException($"No tensor '{name}' in the layout.");

    /// <summary>Adds a scratch slice (once; a slice is shared by the passes that use it).</summary>
    public void AddScratch(string local, int perRow, string comment)
    {
        if (!_scratch.Any(s => s.Name == local))
        {
            _scratch.Add(new GpuScratch(local, perRow, comment));
        }
    }

    /// <summary>The class at <paramref name="path"/>, created on first use.</summary>
    public GpuNode Node(string path, string title, LayerSpec spec, GpuStructure? facet, IReadOnlyList<GpuOffset> offsets)
    {
        string? name = path.Length == 0 ? null : path;
        GpuNode? node = _nodes.FirstOrDefault(n => n.ClassName == name);
        if (node is null)
        {
            node = new GpuNode(name, title, spec, facet, offsets);
            _nodes.Add(node);
        }
        return node;
    }

    /// <summary>Appends the launches of <paramref name="spec"/>'s forward pass at <paramref name="site"/>.</summary>
    public void Forward(LayerSpec spec, GpuSite site, string title, List<GpuLaunch> pass)
    {
        switch (spec)
        {
            case SumSpec sum:
                pass.Add(GpuLaunch.Heading($"sum of {sum.Terms.Count} terms: {site.Y} {(site.AddOutput ? "+=" : "=")} {string.Join(" + ", sum.Terms.Select((_, i) => site.X + "·W_" + Int(i) + "ᵀ"))}; the first term {(site.AddOutput ? "adds" : "stores")}, the others add"));
                for (int i = 0; i < sum.Terms.Count; i++)
                {
                    pass.Add(GpuLaunch.Heading(TermTitle(sum, i, site)));
                    Forward(sum.Terms[i], Term(site, i), TermTitle(sum, i, site), pass);
                }
                break;
            case AdapterSpec adapter:
                pass.Add(GpuLaunch.Heading($"adapter: {site.Y} {(site.AddOutput ? "+=" : "=")} {site.X}·weightᵀ + {site.X}·({Scaling(adapter)}lora_B·lora_A)ᵀ, the base first, the update adding"));
                Leaf(adapter.Base, AdapterBase(site), AdapterTitle(adapter, site, update: false), BaseTensors(site), null, forward: true, pass);
                Leaf(adapter.Update, AdapterUpdate(site), AdapterTitle(adapter, site, update: true), UpdateTensors(site), UpdateFacet(adapter), forward: true, pass);
                break;
            case ChainSpec chain:
                pass.Add(GpuLaunch.Heading($"chain of {chain.Factors.Count} factors, applied left to right: {Widths(chain)}"));
                for (int i = 0; i < chain.Factors.Count; i++)
                {
                    pass.Add(GpuLaunch.Heading(FactorTitle(chain, i, site)));
                    Forward(chain.Factors[i], Factor(chain, site, i), FactorTitle(chain, i, site), pass);
                }
                break;
            default:
                Leaf(spec, site, title, LeafTensors(spec, site), null, forward: true, pass);
                break;
        }
    }

    /// <summary>Appends the launches of <paramref name="spec"/>'s backward pass at <paramref name="site"/>.</summary>
    public void Backward(LayerSpec spec, GpuSite site, string title, List<GpuLaunch> pass)
    {
        switch (spec)
        {
            case SumSpec sum:
                pass.Add(GpuLaunch.Heading($"sum of {sum.Terms.Count} terms: each term receives {site.Dy} whole; their input gradients add up in {site.Dx}"));
                for (int i = 0; i < sum.Terms.Count; i++)
                {
                    pass.Add(GpuLaunch.Heading(TermTitle(sum, i, site)));
                    Backward(sum.Terms[i], Term(site, i), TermTitle(sum, i, site), pass);
                }
                break;
            case AdapterSpec adapter:
                pass.Add(GpuLaunch.Heading($"adapter: the base writes {site.Dx}{(site.AddInputGradient ? " (added)" : "")} and ∂weight, the update adds into {site.Dx} and ∂lora_A, ∂lora_B"));
                Leaf(adapter.Base, AdapterBase(site), AdapterTitle(adapter, site, update: false), BaseTensors(site), null, forward: false, pass);
                Leaf(adapter.Update, AdapterUpdate(site), AdapterTitle(adapter, site, update: true), UpdateTensors(site), UpdateFacet(adapter), forward: false, pass);
                break;
            case ChainSpec chain:
                int n = chain.Factors.Count;
                pass.Add(GpuLaunch.Heading($"chain of {n} factors, {Widths(chain)}: recompute the inner activations, then back through the factors, last first"));
                for (int i = 0; i < n - 1; i++)
                {
                    pass.Add(GpuLaunch.Heading(FactorTitle(chain, i, site) + " (recomputed)"));
                    Forward(chain.Factors[i], Factor(chain, site, i), FactorTitle(chain, i, site), pass);
                }
                for (int i = n - 1; i >= 0; i--)
                {
                    GpuSite factor = Factor(chain, site, i);
                    pass.Add(GpuLaunch.Heading($"factor {i} of {n}, backward: {factor.Dy} → {factor.Dx}{(factor.AddInputGradient ? " (added)" : "")}"));
                    Backward(chain.Factors[i], factor, FactorTitle(chain, i, site), pass);
                }
                break;
            default:
                Leaf(spec, site, title, LeafTensors(spec, site), null, forward: false, pass);
                break;
        }
    }

    /// <summary>One structure's products: its class, its scratch, and a launch per product with the site's views bound.</summary>
    private void Leaf(LayerSpec spec, GpuSite site, string title, IReadOnlyList<(string Local, string Full)> tensors, GpuStructure? facetOverride, bool forward, List<GpuLaunch> pass)
    {
        GpuStructure facet = facetOverride ?? GpuStructure.For(spec) ?? throw new InvalidOperationException("No ILGPU facet for " + spec.GetType().Name);
        var offsets = tensors.Select(t => new GpuOffset(GpuStructure.Offset(t.Local), OffsetOf(t.Full), t.Full + " " + Shape(spec, t.Local))).ToList();
        GpuNode node = Node(site.Path, title, spec, facet, offsets);
        if (site.Bias && site.BiasOffset is { } biasOffset)
        {
            node.BiasOffset = biasOffset;
        }
        foreach (GpuScratch s in facet.Scratch)
        {
            AddScratch(site.Local(s.Name), s.PerRow, s.Comment);
        }

        IReadOnlyList<GpuGemm> gemms = forward ? facet.Forward(site.Bias) : facet.Backward();
        foreach (GpuGemm original in gemms)
        {
            GpuGemm gemm = original;
            if ((forward && site.AddOutput && gemm.C.Buffer == "y") || (!forward && site.AddInputGradient && gemm.C.Buffer == "dx"))
            {
                gemm = gemm with { C = gemm.C with { Accumulate = true } };
            }
            node.Use(gemm);
            var arguments = gemm.Buffers.Select(b => Bind(b, site)).Concat(new[] { "rows" }).ToList();
            string summary = gemm.C.Accumulate && gemm.C.Buffer is "y" or "dx" ? AddingSummary(gemm.Summary) : gemm.Summary;
            pass.Add(new GpuLaunch(summary, node.FieldPrefix + gemm.Name, GpuGemmEmitter.Groups(gemm), arguments));
        }
    }

    /// <summary>The launcher view bound to a kernel's buffer name at <paramref name="site"/>.</summary>
    private static string Bind(string buffer, GpuSite site) => buffer switch
    {
        "x" => site.X,
        "y" => site.Y,
        "dy" => site.Dy,
        "dx" => site.Dx,
        "p" or "dp" => buffer,
        _ => site.Local(buffer),
    };

    /// <summary><c>y[b, o] = …</c> becomes <c>y[b, o] += …</c> where a term adds into the output.</summary>
    private static string AddingSummary(string summary)
    {
        int at = summary.IndexOf("] = ", StringComparison.Ordinal);
        return at < 0 ? summary : summary.Substring(0, at) + "] += " + summary.Substring(at + 4);
    }

    private static GpuSite Term(GpuSite site, int i) => site with
    {
        Path = site.Child("T" + Int(i)),
        TensorPrefix = site.TensorPrefix + Int(i) + ".",
        AddOutput = i > 0 || site.AddOutput,
        AddInputGradient = i > 0 || site.AddInputGradient,
        Bias = i == 0 && site.Bias,
    };

    private static GpuSite AdapterBase(GpuSite site) => site with { Path = site.Child("Base") };

    private static GpuSite AdapterUpdate(GpuSite site) => site with { Path = site.Child("Update"), AddOutput = true, AddInputGradient = true, Bias = false };

    private GpuSite Factor(ChainSpec chain, GpuSite site, int i)
    {
        int n = chain.Factors.Count;
        for (int j = 0; j < n - 1; j++)
        {
            int width = chain.Factors[j].Out;
            AddScratch(site.Local("h" + Int(j)), width, $"[rows, {width}] factor {j}'s output");
        }
        for (int j = 0; j < n - 1; j++)
        {
            int width = chain.Factors[j].Out;
            AddScratch(site.Local("dh" + Int(j)), width, $"[rows, {width}] ∂ of factor {j}'s output (backward)");
        }
        return site with
        {
            Path = site.Child("F" + Int(i)),
            TensorPrefix = site.TensorPrefix + Int(i) + ".",
            X = i == 0 ? site.X : site.Local("h" + Int(i - 1)),
            Y = i == n - 1 ? site.Y : site.Local("h" + Int(i)),
            Dx = i == 0 ? site.Dx : site.Local("dh" + Int(i - 1)),
            Dy = i == n - 1 ? site.Dy : site.Local("dh" + Int(i)),
            AddOutput = i == n - 1 && site.AddOutput,
            AddInputGradient = i == 0 && site.AddInputGradient,
            Bias = i == n - 1 && site.Bias,
        };
    }

    private static IReadOnlyList<(string Local, string Full)> LeafTensors(LayerSpec spec, GpuSite site)
        => spec.Tensors.Select(t => (t.Name, site.TensorPrefix + t.Name)).ToList();

    private static IReadOnlyList<(string Local, string Full)> BaseTensors(GpuSite site) => new[] { ("weight", site.TensorPrefix + "weight") };

    /// <summary>The update's facet reads <c>A</c> and <c>B</c>; in the adapter they are PEFT's <c>lora_A</c> and <c>lora_B</c>.</summary>
    private static IReadOnlyList<(string Local, string Full)> UpdateTensors(GpuSite site) => new[] { ("A", site.TensorPrefix + "lora_A"), ("B", site.TensorPrefix + "lora_B") };

    private static GpuStructure UpdateFacet(AdapterSpec adapter) => new LowRankGpu(adapter.Update, adapter.Alpha == adapter.Rank ? null : (float)adapter.Scaling);

    private static string Shape(LayerSpec spec, string local) => spec.Tensors.FirstOrDefault(t => t.Name == local)?.ShapeText ?? "";

    private static string Scaling(AdapterSpec adapter) => adapter.Alpha == adapter.Rank ? "" : $"({Int(adapter.Alpha)}/{Int(adapter.Rank)})·";

    private static string TermTitle(SumSpec sum, int i, GpuSite site)
        => $"term {i} of {sum.Terms.Count}: {CompositeText.Operand(sum.Terms[i], site.TensorPrefix + Int(i) + ".")}";

    private static string FactorTitle(ChainSpec chain, int i, GpuSite site)
        => $"factor {i} of {chain.Factors.Count}: {CompositeText.Operand(chain.Factors[i], site.TensorPrefix + Int(i) + ".")}";

    private static string AdapterTitle(AdapterSpec adapter, GpuSite site, bool update) => update
        ? $"adapter update: lowrank(r: {Int(adapter.Rank)}) as {site.TensorPrefix}lora_A [{Int(adapter.Rank)}, {Int(adapter.In)}], {site.TensorPrefix}lora_B [{Int(adapter.Out)}, {Int(adapter.Rank)}], scaling alpha/R = {Int(adapter.Alpha)}/{Int(adapter.Rank)}; adds into the output"
        : $"adapter base: dense as {site.TensorPrefix}weight [{Int(adapter.Out)}, {Int(adapter.In)}]";

    /// <summary><c>64 → 32 → 64</c>.</summary>
    private static string Widths(ChainSpec chain) => string.Join(" → ", new[] { chain.In }.Concat(chain.Factors.Select(f => f.Out)));

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
