using System.Collections.Generic;
using System.Linq;
using StructGen.Generators.Helpers;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>
/// Chain facet, <c>a -&gt; h -&gt; b -&gt; …</c>: factors applied left to right, <c>W = W_b·W_a</c>. Factor
/// <c>i</c> is its own facet (constants <c>F{i}_…</c>, tensors <c>{i}.…</c>) reading the previous factor's
/// output rows from scratch (<c>h{i-1}</c>, <c>[rows, F{i-1}_Out]</c>) and writing its own. Backward
/// recomputes the inner activations, then runs the factors' backward passes last to first, the gradient of
/// each inner activation (<c>dh{i}</c>) in scratch too. The factors' own scratch follows, shared by all of
/// them since they run one after the other. A chain that saves keeps its inner activations and its factors'
/// intermediates in its saved rows (<see cref="SavedColumns"/>): its training backward then copies them back and runs
/// no forward at all.
/// </summary>
internal sealed class ChainEmitter : StructureEmitter
{
    private readonly ChainSpec _spec;
    private readonly IReadOnlyList<StructureEmitter> _factors;
    private readonly SavedColumns _saved;
    private readonly int[] _hiddenOffsets;
    private readonly int[] _keptOffsets;

    public ChainEmitter(ChainSpec spec, EmitScope scope)
        : base(scope)
    {
        _spec = spec;
        int n = spec.Factors.Count;
        _factors = spec.Factors.Select((factor, i) =>
        {
            string prefix = scope.ConstantPrefix + "F" + i + "_";
            return For(factor, OperandScope(scope, factor, scope with
            {
                X = i == 0 ? scope.X : Hidden(i - 1),
                Y = i == n - 1 ? scope.Y : Hidden(i),
                Dx = i == 0 ? scope.Dx : HiddenGradient(i - 1),
                Dy = i == n - 1 ? scope.Dy : HiddenGradient(i),
                Scratch = scope.Local("rest"),
                Dense = scope.Local("w" + i),
                In = prefix + "In",
                Out = prefix + "Out",
                ConstantPrefix = prefix,
                TensorPrefix = scope.TensorPrefix + i + ".",
                AddToOutput = i == n - 1 && scope.AddToOutput,
                AddToInputGradient = i == 0 && scope.AddToInputGradient,
                AddToDense = false,
            }));
        }).ToList();
        _saved = new SavedColumns(scope);
        _hiddenOffsets = Enumerable.Range(0, n - 1).Select(i => scope.Saves ? _saved.Reserve(spec.Factors[i].Out, $"h{i} (factor {i}'s output)") : -1).ToArray();
        _keptOffsets = _factors.Select((f, i) => f.Scope.KeepsInScratch ? _saved.Reserve(f.Kept!.Value.Width, $"factor {i}'s {f.Kept!.Value.What}") : -1).ToArray();
    }

    public override int SavedPerRow => Scope.Saves ? _saved.Width : 0;

    public override string SavedDescription => _saved.Description;

    /// <summary>Inner activation <paramref name="i"/> as kept rows: its scratch local, row stride factor i's output width.</summary>
    private KeptRows HiddenRows(int i) => new(Hidden(i), _factors[i].Scope.Out, _spec.Factors[i].Out, $"h{i}");

    public override LayerSpec Spec => _spec;

    /// <summary>Inner widths per row: the outputs of every factor but the last.</summary>
    private int InnerPerRow => _spec.Factors.Take(_spec.Factors.Count - 1).Sum(f => f.Out);

    public override IEnumerable<string> Constants()
    {
        for (int i = 0; i < _factors.Count; i++)
        {
            StructureEmitter factor = _factors[i];
            yield return $"/// <summary>Factor {i} of the chain, {factor.Spec.Describe()}: {factor.Spec.In} → {factor.Spec.Out}.</summary>\nprivate const int {factor.Scope.In} = {factor.Spec.In}, {factor.Scope.Out} = {factor.Spec.Out};";
            foreach (string constant in factor.Constants())
            {
                yield return constant;
            }
        }
    }

    public override string Formula => "W = " + string.Join("·", Enumerable.Range(0, _factors.Count).Reverse().Select(i => "W_" + i))
        + "; h_0 = x·W_0ᵀ, h_i = h_(i-1)·W_iᵀ, y = h_(n-2)·W_(n-1)ᵀ";

    public override int ForwardScratchPerRow => InnerPerRow + _factors.Max(f => f.ForwardScratchPerRow);

    public override int BackwardScratchPerRow => 2 * InnerPerRow + _factors.Max(f => System.Math.Max(f.ForwardScratchPerRow, f.BackwardScratchPerRow));

    public override void WriteForward(IndentedTextWriter w, KernelSet kernels)
    {
        w.Line($"// chain of {_factors.Count} factors, applied left to right: {Widths()}");
        WriteHidden(w, gradients: false);
        for (int i = 0; i < _factors.Count; i++)
        {
            WriteFactorForward(w, kernels, i);
        }
    }

    public override void WriteBackward(IndentedTextWriter w, KernelSet kernels)
    {
        string inner = Scope.Saves ? "the inner activations from saved (or recomputed)" : "recompute the inner activations";
        w.Line($"// chain of {_factors.Count} factors, {Widths()}: {inner}, then back through the factors, last first");
        WriteHidden(w, gradients: true);
        if (Scope.Saves)
        {
            using (w.OpenBlock($"if ({Scope.UseSaved})"))
            {
                for (int i = 0; i < _factors.Count - 1; i++)
                {
                    _saved.WriteCopyIn(w, HiddenRows(i), _hiddenOffsets[i], guarded: false);
                }
            }
            using (w.OpenBlock("else"))
            {
                WriteInnerForwards(w, kernels);
            }
        }
        else
        {
            WriteInnerForwards(w, kernels);
        }
        for (int i = _factors.Count - 1; i >= 0; i--)
        {
            StructureEmitter factor = _factors[i];
            w.Line($"// factor {i} of {_factors.Count}, backward: {factor.Scope.Dy} → {factor.Scope.Dx}{(i == 0 && Scope.AddToInputGradient ? " (added)" : "")}");
            using (w.OpenBlock())
            {
                if (_keptOffsets[i] >= 0)
                {
                    _saved.WriteCopyIn(w, factor.Kept!.Value, _keptOffsets[i]);
                }
                factor.WriteBackward(w, kernels);
            }
        }
    }

    public override void WriteToDense(IndentedTextWriter w)
    {
        int n = _factors.Count;
        w.Line($"// W {Scope.DenseAssign} {string.Join("·", Enumerable.Range(0, n).Reverse().Select(i => "W_" + i))}: each factor's dense weight, then their product (allocates: ToDense is not a hot path)");
        for (int i = 0; i < n; i++)
        {
            StructureEmitter factor = _factors[i];
            string array = Scope.Local("dense" + i);
            w.Line($"// W_{i}: {factor.Spec.Describe()}, [{factor.Spec.Out}, {factor.Spec.In}]");
            w.Line($"float[] {array} = new float[{factor.Scope.Out} * {factor.Scope.In}];");
            using (w.OpenBlock())
            {
                w.Line($"ref float {factor.Scope.Dense} = ref MemoryMarshal.GetArrayDataReference({array});");
                factor.WriteToDense(w);
            }
        }
        string product = Scope.Local("dense0");
        for (int i = 1; i < n; i++)
        {
            StructureEmitter factor = _factors[i];
            string left = Scope.Local("dense" + i);
            if (i == n - 1)
            {
                w.Line($"// W {Scope.DenseAssign} W_{i}·(W_{i - 1}·…·W_0)");
                w.Line($"global::StructGen.Kernels.CompositeOps.Multiply({left}, {product}, MemoryMarshal.CreateSpan(ref {Scope.Dense}, {Out} * {In}), {factor.Scope.Out}, {factor.Scope.In}, {In}, accumulate: {(Scope.AddToDense ? "true" : "false")});");
            }
            else
            {
                string next = Scope.Local("product" + i);
                w.Line($"float[] {next} = new float[{factor.Scope.Out} * {In}];");
                w.Line($"global::StructGen.Kernels.CompositeOps.Multiply({left}, {product}, {next}, {factor.Scope.Out}, {factor.Scope.In}, {In}, accumulate: false);");
                product = next;
            }
        }
    }

    /// <summary>The recomputation of the inner activations: every factor's forward but the last.</summary>
    private void WriteInnerForwards(IndentedTextWriter w, KernelSet kernels)
    {
        for (int i = 0; i < _factors.Count - 1; i++)
        {
            WriteFactorForward(w, kernels, i, keep: false);
        }
    }

    /// <summary>Factor <paramref name="i"/>'s forward; with <paramref name="keep"/>, then the copies of what it keeps (the training forward).</summary>
    private void WriteFactorForward(IndentedTextWriter w, KernelSet kernels, int i, bool keep = true)
    {
        StructureEmitter factor = _factors[i];
        w.Line($"// factor {i} of {_factors.Count}: {CompositeText.Operand(factor.Spec, factor.Scope.TensorPrefix)}");
        using (w.OpenBlock())
        {
            factor.WriteForward(w, kernels);
            if (keep && _keptOffsets[i] >= 0)
            {
                _saved.WriteCopyOut(w, factor.Kept!.Value, _keptOffsets[i]);
            }
            if (keep && i < _hiddenOffsets.Length && _hiddenOffsets[i] >= 0)
            {
                _saved.WriteCopyOut(w, HiddenRows(i), _hiddenOffsets[i]);
            }
        }
    }

    /// <summary>The inner activations (and their gradients) at the start of the scratch region, then the factors' scratch.</summary>
    private void WriteHidden(IndentedTextWriter w, bool gradients)
    {
        string s = Scope.Scratch;
        int offset = 0;
        for (int i = 0; i < _factors.Count - 1; i++)
        {
            w.Line($"ref float {Hidden(i)} = ref {Add(s, offset)}; // [rows, {_factors[i].Spec.Out}] factor {i}'s output");
            offset += _factors[i].Spec.Out;
        }
        if (gradients)
        {
            for (int i = 0; i < _factors.Count - 1; i++)
            {
                w.Line($"ref float {HiddenGradient(i)} = ref {Add(s, offset)}; // [rows, {_factors[i].Spec.Out}] ∂ of factor {i}'s output");
                offset += _factors[i].Spec.Out;
            }
        }
        w.Line($"ref float {Scope.Local("rest")} = ref {Add(s, offset)}; // the factors' own scratch");
    }

    private static string Add(string buffer, int perRow) => perRow == 0 ? buffer : $"Unsafe.Add(ref {buffer}, TileRows * {perRow})";

    private string Hidden(int i) => Scope.Local("h" + i);

    private string HiddenGradient(int i) => Scope.Local("dh" + i);

    /// <summary><c>64 → 32 → 64</c>.</summary>
    private string Widths() => string.Join(" → ", new[] { _spec.In }.Concat(_spec.Factors.Select(f => f.Out)));
}
