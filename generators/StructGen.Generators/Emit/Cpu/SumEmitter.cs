using System.Collections.Generic;
using System.Linq;
using StructGen.Generators.Helpers;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>
/// Sum facet, <c>a + b + …</c>: every term has the shape of the whole and <c>W = Σ W_i</c>. Term <c>i</c> is
/// its own facet with constants prefixed <c>T{i}_</c> and tensors <c>{i}.…</c>; the first term writes the
/// output and the others add into it (the product kernels' <c>accumulate</c>), so no term needs a buffer of
/// its own. Backward: every term receives the same output gradient, and their input gradients add up the
/// same way. The terms run one after the other, so they share one scratch region. A sum that saves keeps its terms'
/// intermediates side by side in its saved rows (<see cref="SavedColumns"/>), each copied there after its term's forward
/// and back before its term's backward (the terms share their scratch).
/// </summary>
internal sealed class SumEmitter : StructureEmitter
{
    private readonly SumSpec _spec;
    private readonly IReadOnlyList<StructureEmitter> _terms;
    private readonly SavedColumns _saved;
    private readonly int[] _savedOffsets;

    public SumEmitter(SumSpec spec, EmitScope scope)
        : base(scope)
    {
        _spec = spec;
        _terms = spec.Terms.Select((term, i) => For(term, OperandScope(scope, term, scope with
        {
            ConstantPrefix = scope.ConstantPrefix + "T" + i + "_",
            TensorPrefix = scope.TensorPrefix + i + ".",
            AddToOutput = i > 0 || scope.AddToOutput,
            AddToInputGradient = i > 0 || scope.AddToInputGradient,
            AddToDense = i > 0 || scope.AddToDense,
        }))).ToList();
        _saved = new SavedColumns(scope);
        _savedOffsets = _terms.Select((term, i) => term.Scope.KeepsInScratch ? _saved.Reserve(term.Kept!.Value.Width, $"term {i}'s {term.Kept!.Value.What}") : -1).ToArray();
    }

    public override int SavedPerRow => Scope.Saves ? _saved.Width : 0;

    public override string SavedDescription => _saved.Description;

    public override LayerSpec Spec => _spec;

    public override IEnumerable<string> Constants()
    {
        foreach (StructureEmitter term in _terms)
        {
            bool first = true;
            foreach (string constant in term.Constants())
            {
                yield return first ? $"// term {Index(term)}: {term.Spec.Describe()}\n{constant}" : constant;
                first = false;
            }
        }
    }

    public override string Formula => "W = " + string.Join(" + ", _terms.Select(t => "W_" + Index(t))) + "; y = Σ_i x·W_iᵀ, each term adding into y";

    public override int ForwardScratchPerRow => _terms.Max(t => t.ForwardScratchPerRow);

    public override int BackwardScratchPerRow => _terms.Max(t => t.BackwardScratchPerRow);

    public override void WriteForward(IndentedTextWriter w, KernelSet kernels)
    {
        w.Line($"// sum of {_terms.Count} terms, {_spec.In} → {_spec.Out}: {Scope.Y} {OutputAssign} {string.Join(" + ", _terms.Select(t => Scope.X + "·W_" + Index(t) + "ᵀ"))}; the first term {(Scope.AddToOutput ? "adds" : "writes")}, the others add");
        foreach (StructureEmitter term in _terms)
        {
            w.Line($"// term {Index(term)} of {_terms.Count}: {CompositeText.Operand(term.Spec, term.Scope.TensorPrefix)}");
            using (w.OpenBlock())
            {
                term.WriteForward(w, kernels);
                if (_savedOffsets[Index(term)] >= 0)
                {
                    _saved.WriteCopyOut(w, term.Kept!.Value, _savedOffsets[Index(term)]);
                }
            }
        }
    }

    public override void WriteBackward(IndentedTextWriter w, KernelSet kernels)
    {
        w.Line($"// sum of {_terms.Count} terms: each term receives {Scope.Dy} whole; their input gradients add up in {Scope.Dx}");
        foreach (StructureEmitter term in _terms)
        {
            w.Line($"// term {Index(term)} of {_terms.Count}: {CompositeText.Operand(term.Spec, term.Scope.TensorPrefix)}");
            using (w.OpenBlock())
            {
                if (_savedOffsets[Index(term)] >= 0)
                {
                    _saved.WriteCopyIn(w, term.Kept!.Value, _savedOffsets[Index(term)]);
                }
                term.WriteBackward(w, kernels);
            }
        }
    }

    public override void WriteToDense(IndentedTextWriter w)
    {
        w.Line($"// W {Scope.DenseAssign} {string.Join(" + ", _terms.Select(t => "W_" + Index(t)))}");
        foreach (StructureEmitter term in _terms)
        {
            w.Line($"// term {Index(term)}: {term.Spec.Describe()}");
            using (w.OpenBlock())
            {
                term.WriteToDense(w);
            }
        }
    }

    private int Index(StructureEmitter term)
    {
        for (int i = 0; i < _terms.Count; i++)
        {
            if (ReferenceEquals(_terms[i], term))
            {
                return i;
            }
        }
        return -1;
    }
}
