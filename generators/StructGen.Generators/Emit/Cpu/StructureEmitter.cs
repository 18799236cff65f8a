using System.Collections.Generic;
using System.Linq;
using StructGen.Generators.Helpers;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>
/// One facet per operator family. A facet writes the body of a row tile's forward and backward pass
/// from the IR's sizes, and the dense reconstruction, against the names of its <see cref="EmitScope"/>:
/// forward reads <c>Scope.X</c> and writes <c>Scope.Y</c> using <c>int rows, ref float p</c> and its scratch;
/// backward reads <c>Scope.X</c> and <c>Scope.Dy</c>, writes <c>Scope.Dx</c> and adds parameter gradients
/// into <c>ref float g</c>. <c>Offset*</c> constants locate tensors in <c>p</c> and <c>g</c>; scratch
/// regions are sized in rows of <c>TileRows</c>. The composites (sum, adapter, chain) are facets too:
/// they give their operands scopes of their own and call the operands' writers.
/// </summary>
internal abstract class StructureEmitter
{
    protected StructureEmitter(EmitScope scope) => Scope = scope;

    /// <summary>The names this facet writes against.</summary>
    public EmitScope Scope { get; }

    /// <summary>The structure this facet emits.</summary>
    public abstract LayerSpec Spec { get; }

    /// <summary>
    /// The facet of a layer that is <paramref name="spec"/> alone. Low rank, Kronecker, BLAST and Monarch layers
    /// keep their intermediate for the training backward (<see cref="SavedPerRow"/>); the others need only the input.
    /// </summary>
    public static StructureEmitter For(LayerSpec spec) => For(spec, KeepsIntermediate(spec) ? EmitScope.RootSaving : EmitScope.Root);

    /// <summary>
    /// The facet of a layer of its own: the root scope, whose forward may stream its output (<see cref="StreamsOutput"/>)
    /// and then adds the bias itself (<see cref="AddsBias"/>).
    /// </summary>
    public static StructureEmitter ForLayer(LayerSpec spec, bool bias)
    {
        EmitScope root = KeepsIntermediate(spec) ? EmitScope.RootSaving : EmitScope.Root;
        return For(spec, root with { StreamOutput = "streamOutput", Bias = bias ? "ref Unsafe.Add(ref p, OffsetBias)" : null });
    }

    /// <summary>
    /// Whether a layer or model step of this structure keeps an intermediate for the training backward: the structures
    /// with a product worth not redoing (<see cref="KeepsOwnIntermediate"/>), a sum with such a term, and every chain
    /// (its inner activations).
    /// </summary>
    public static bool KeepsIntermediate(LayerSpec spec) => spec switch
    {
        SumSpec sum => sum.Terms.Any(KeepsOwnIntermediate),
        ChainSpec => true,
        _ => KeepsOwnIntermediate(spec),
    };

    /// <summary>Structures that keep an intermediate of their own, in saved rows or, inside a composite, in their scratch.</summary>
    public static bool KeepsOwnIntermediate(LayerSpec spec) => spec is LowRankSpec or KroneckerSpec or BlastSpec or MonarchSpec or AdapterSpec;

    /// <summary>
    /// The scope of operand <paramref name="operand"/> inside a composite at <paramref name="scope"/>: a structure that
    /// keeps its own intermediate keeps it in its scratch (the composite copies it to and from the saved rows) when the
    /// composite saves; composites inside composites keep nothing (they recompute). Operands never stream their output:
    /// the composite reads it again (a sum's next term adds into it, a chain's next factor reads it).
    /// </summary>
    public static EmitScope OperandScope(EmitScope scope, LayerSpec operand, EmitScope operandScope)
        => operandScope with { Saved = null, KeepsInScratch = scope.Saves && KeepsOwnIntermediate(operand), StreamOutput = null, Bias = null };

    /// <summary>The facet of <paramref name="spec"/> at the position <paramref name="scope"/> describes.</summary>
    public static StructureEmitter For(LayerSpec spec, EmitScope scope) => spec switch
    {
        DenseSpec d => new DenseEmitter(d, scope),
        LowRankSpec l => new LowRankEmitter(l, scope),
        MonarchSpec m => new MonarchEmitter(m, scope),
        KroneckerSpec k => new KroneckerEmitter(k, scope),
        BlastSpec b => new BlastEmitter(b, scope),
        BlockDiagonalSpec b => new BlockDiagonalEmitter(b, scope),
        AdapterSpec a => new AdapterEmitter(a, scope),
        SumSpec s => new SumEmitter(s, scope),
        ChainSpec c => new ChainEmitter(c, scope),
        _ => throw new System.NotSupportedException("No CPU emitter for " + spec.GetType().Name),
    };

    /// <summary>
    /// Whether the forward's last pass writes the whole output itself and may use streaming stores for a large call
    /// (Monarch's output permutation): <c>ForwardTile</c> then takes the <c>bool</c> named by <see cref="EmitScope.StreamOutput"/>.
    /// </summary>
    public virtual bool StreamsOutput => false;

    /// <summary>
    /// Whether this facet is a layer's own (<see cref="ForLayer"/>'s root scope, the only one given a
    /// <see cref="EmitScope.StreamOutput"/>): the facet whose <c>ForwardRows</c> and <c>BackwardRows</c> declare its per-call
    /// flags. Operands of composites and model steps have no call of their own to decide in.
    /// </summary>
    protected bool OwnLayer => Scope.StreamOutput is not null;

    /// <summary>
    /// The <c>bool</c>s a layer's forward decides once per call (in <c>ForwardRows</c>, before the first tile; see
    /// <see cref="WriteForwardCallSetup"/>) and passes to every <c>ForwardTile</c>, in this order; empty where the facet needs none.
    /// </summary>
    public virtual IReadOnlyList<string> ForwardCallFlags => NoFlags;

    /// <summary>Floats of scratch, after the forward tile's <c>TileRows × </c><see cref="ForwardScratchPerRow"/>, that a call's setup fills.</summary>
    public virtual int ForwardCallScratch => 0;

    /// <summary>
    /// Writes, in <c>ForwardRows</c> before the tile loop (<c>p</c>, <c>s</c>, <c>batch</c> and <c>saved</c> in scope), the
    /// declarations of <see cref="ForwardCallFlags"/> and whatever the call prepares once for all its tiles.
    /// </summary>
    public virtual void WriteForwardCallSetup(IndentedTextWriter w)
    {
    }

    /// <summary>
    /// The <c>bool</c>s a layer's backward decides once per call (in <c>BackwardRows</c>, before the first tile; see
    /// <see cref="WriteBackwardCallSetup"/>) and passes to every <c>BackwardTile</c>, in this order; empty where the facet needs none.
    /// </summary>
    public virtual IReadOnlyList<string> BackwardCallFlags => NoFlags;

    /// <summary>No per-call flags.</summary>
    protected static readonly IReadOnlyList<string> NoFlags = new string[0];

    /// <summary>The flags among <paramref name="flags"/> that are not <c>null</c>, in order.</summary>
    protected static IReadOnlyList<string> Flags(params string?[] flags) => flags.Where(f => f is not null).Select(f => f!).ToArray();

    /// <summary>
    /// The per-call flag with which a layer's own block loops request their operand's next column block (<see cref="WriteNextBlockPrefetch"/>)
    /// only in calls whose rows come from memory, decided by <c>Prefetch.PaysForCall</c> or, where a facet says so, <c>Prefetch.PaysForOutput</c>.
    /// </summary>
    protected const string BlockRequestFlag = "requestBlocks";

    /// <summary><see cref="BlockRequestFlag"/> where a facet decides its requests per call (<paramref name="perCall"/>), else <c>null</c>: no flag, no guard.</summary>
    protected static string? BlockRequestIf(bool perCall) => perCall ? BlockRequestFlag : null;

    /// <summary>
    /// Writes the declaration of <see cref="BlockRequestFlag"/> decided from the call's input (<c>Prefetch.PaysForCall</c>,
    /// 4 MB), where <paramref name="perCall"/>; the comment says who requests what (<paramref name="requests"/>) and when.
    /// </summary>
    protected void WriteBlockRequestDecision(IndentedTextWriter w, bool perCall, string requests)
        => WriteCallDecision(w, BlockRequestIf(perCall), requests + " once this call's rows come from memory (4 MB of input).",
            $"global::StructGen.Kernels.Prefetch.PaysForCall((long)batch * {In})");

    /// <summary>
    /// Writes, in <c>BackwardRows</c> before the tile loop (<c>p</c>, <c>g</c>, <c>s</c>, <c>batch</c> and <c>saved</c> in
    /// scope), the declarations of <see cref="BackwardCallFlags"/>.
    /// </summary>
    public virtual void WriteBackwardCallSetup(IndentedTextWriter w)
    {
    }

    /// <summary>
    /// Whether a layer's forward tile requests the input rows of the next tile while it computes its own, for a call
    /// whose rows come from memory (<c>Prefetch.PaysForCall</c>): <c>ForwardTile</c> then takes <c>int ahead</c>
    /// (<see cref="Ahead"/>), the count of those rows (0 for the last tile and for calls the caches hold), and the facet
    /// spreads the requests over a loop of its own. The hardware prefetchers start afresh on every 4 KB page, so a tile
    /// whose first pass reads whole rows in one sweep otherwise waits on memory for each of them.
    /// </summary>
    public virtual bool RequestsNextTile => false;

    /// <summary>
    /// The backward's counterpart of <see cref="RequestsNextTile"/>: <c>BackwardTile</c> takes <c>int ahead</c> and
    /// requests the next tile's rows of the input and of the output gradient.
    /// </summary>
    public virtual bool RequestsNextTileBackward => false;

    /// <summary>The <c>int</c> parameter of a tile that requests the next tile's rows (<see cref="RequestsNextTile"/>).</summary>
    protected const string Ahead = "ahead";

    /// <summary>
    /// Writes the request of row <paramref name="row"/> (an expression) of the next tile of <paramref name="rows"/>
    /// (a buffer of the layer's own tile, e.g. <c>x</c> or <c>dy</c>, whose rows lie <paramref name="width"/> floats
    /// apart), guarded by <c>row &lt; ahead</c> and, where given, by <paramref name="when"/>; the comment names it
    /// <paramref name="label"/> (default: the buffer's name).
    /// </summary>
    protected static void WriteNextTileRequest(IndentedTextWriter w, string rows, string width, string row, string? when = null, string? label = null)
        => w.Line($"if ({(when is null ? "" : when + " && ")}{row} < {Ahead}) global::StructGen.Kernels.Prefetch.Lines(ref Unsafe.Add(ref {rows}, (nint)(rows + {row}) * {width}), {width}); // the next tile's row {row} of {label ?? rows}");

    /// <summary>
    /// Writes the declaration of a per-call flag (one of <see cref="ForwardCallFlags"/>, <see cref="BackwardCallFlags"/>): a comment
    /// saying <paramref name="why"/>, then <c>bool flag = decision;</c>; nothing where <paramref name="flag"/> is <c>null</c>.
    /// </summary>
    protected static void WriteCallDecision(IndentedTextWriter w, string? flag, string why, string decision)
    {
        if (flag is null)
        {
            return;
        }
        w.Line($"// {why}");
        w.Line($"bool {flag} = {decision};");
    }

    /// <summary>
    /// Whether the forward adds the layer's bias itself (a facet that streams its output: the bias goes in on the way out
    /// instead of in a pass over <c>y</c> after the tile).
    /// </summary>
    public bool AddsBias => StreamsOutput && Scope.Bias is not null;

    /// <summary>Structure-specific constants (<c>private const int P = 64;</c>), with a comment each.</summary>
    public abstract IEnumerable<string> Constants();

    /// <summary>The formula, shown in the class documentation.</summary>
    public abstract string Formula { get; }

    /// <summary>Scratch floats needed per row of a tile, forward.</summary>
    public abstract int ForwardScratchPerRow { get; }

    /// <summary>Scratch floats needed per row of a tile, backward.</summary>
    public abstract int BackwardScratchPerRow { get; }

    /// <summary>
    /// Floats per row the training forward writes to <c>Scope.Saved</c> for the backward to read instead of
    /// recomputing (0 where <see cref="EmitScope.Saves"/> is false or nothing is worth keeping).
    /// </summary>
    public virtual int SavedPerRow => 0;

    /// <summary>What the saved intermediate is, for the generated documentation (empty when nothing is saved).</summary>
    public virtual string SavedDescription => "";

    /// <summary>
    /// Where this facet's intermediate lies in its scratch (forward and backward alike), for a composite that copies it
    /// to and from its saved rows (<see cref="EmitScope.KeepsInScratch"/>); <c>null</c> for structures that keep nothing.
    /// </summary>
    public virtual KeptRows? Kept => null;

    public abstract void WriteForward(IndentedTextWriter w, KernelSet kernels);

    public abstract void WriteBackward(IndentedTextWriter w, KernelSet kernels);

    /// <summary>
    /// Writes (or, with <see cref="EmitScope.AddToDense"/>, adds) <c>W</c> into <c>Scope.Dense</c>
    /// (<c>[Out, In]</c>, zero on entry).
    /// </summary>
    public abstract void WriteToDense(IndentedTextWriter w);

    /// <summary>
    /// Where the kept intermediate lives: the caller's saved rows when this position saves and the caller gave them
    /// (<c>(useSaved ? ref saved : ref scratch)</c>), else <paramref name="scratch"/> (a ref expression without <c>ref</c>).
    /// </summary>
    protected string SavedOr(string scratch) => Scope.Saves ? $"({Scope.UseSaved} ? ref {Scope.Saved} : ref {scratch})" : scratch;

    /// <summary>Writes the recomputation of the kept intermediate: guarded by <c>if (!useSaved)</c> where this position saves.</summary>
    protected void WriteUnlessSaved(IndentedTextWriter w, System.Action recompute)
    {
        if (!Scope.Keeps)
        {
            recompute();
            return;
        }
        using (w.OpenBlock($"if (!{Scope.UseSaved})"))
        {
            recompute();
        }
    }

    /// <summary>The comment of a kept intermediate in a backward body.</summary>
    protected string KeptOrRecomputed => Scope.Saves ? ": the forward's, or recomputed"
        : Scope.KeepsInScratch ? ": the forward's (copied back from saved), or recomputed" : ", recomputed";

    /// <summary>The comment of a kept intermediate in a forward body.</summary>
    protected string KeptForBackward => Scope.Saves ? ", kept for the backward when saved is given"
        : Scope.KeepsInScratch ? ", copied to saved for the backward when saved is given" : "";

    /// <summary><c>ref Unsafe.Add(ref p, OffsetX + extra)</c>.</summary>
    protected static string At(string buffer, string offset) => offset == "0" ? $"ref {buffer}" : $"ref Unsafe.Add(ref {buffer}, {offset})";

    /// <summary>The scope's input constant (<c>In</c>, <c>F0_In</c>, …).</summary>
    protected string In => Scope.In;

    /// <summary>The scope's output constant.</summary>
    protected string Out => Scope.Out;

    /// <summary>
    /// Whether block-ahead prefetching pays for rows of <paramref name="rowFloats"/> floats read <paramref name="blockFloats"/>
    /// at a time: rows of at least 1 KB (narrower rows sit close enough for the hardware prefetchers) and blocks of one to
    /// eight cache lines. Longer blocks are streams the hardware follows itself: BLAST 4096's 256-float column blocks
    /// measured 7 % slower with the requests, block diagonal 4096's level.
    /// </summary>
    protected static bool PrefetchPays(int rowFloats, int blockFloats) => rowFloats >= 256 && blockFloats >= 16 && blockFloats <= 128;

    /// <summary>
    /// Inside a loop over column blocks <c>k</c> (named by <paramref name="k"/>) of a tile (block <c>k</c> reads <paramref name="width"/> floats of every
    /// row of <paramref name="matrix"/>, rows <paramref name="stride"/> apart): requests block <c>k + 1</c> of every row
    /// into L2 while block <c>k</c> computes. A tile's rows are more short streams than the hardware prefetchers follow,
    /// so without it each block waits on memory once the batch no longer fits the caches (Monarch 1024's forward at
    /// batch 4096: 12–14 → 7–8 ms on an older host). While a call's rows lie in the caches the requests cost more than they
    /// save (4–5 % of a Zen 5 forward at batch 256), so a layer's own loops guard them with a per-call flag
    /// (<paramref name="when"/>, <see cref="BlockRequestFlag"/>). Emitted only for whole blocks, up to <paramref name="end"/>
    /// (the run's last block), and only where <see cref="PrefetchPays"/>.
    /// </summary>
    protected static void WriteNextBlockPrefetch(IndentedTextWriter w, string matrix, string stride, string width, int end, string k = "k", string? when = null)
        => w.Line($"if ({(when is null ? "" : when + " && ")}{k} + 1 < {end}) global::StructGen.Kernels.Prefetch.Columns(ref Unsafe.Add(ref {matrix}, ({k} + 1) * {width}), {stride}, {width}, rows); // block {k} + 1 of every row, into L2");

    /// <summary>A constant of this facet.</summary>
    protected string C(string name) => Scope.Constant(name);

    /// <summary>The offset constant of one of this facet's tensors.</summary>
    protected string Offset(string tensor) => Scope.Offset(tensor);

    /// <summary><c>=</c> when the forward output is overwritten, <c>+=</c> when it is added to (for comments).</summary>
    protected string OutputAssign => Scope.AddToOutput ? "+=" : "=";

    /// <summary>The same for the input gradient.</summary>
    protected string InputGradientAssign => Scope.AddToInputGradient ? "+=" : "=";

    public static string OffsetName(string tensor) => "Offset" + Identifier(tensor);

    public static string Identifier(string tensor)
    {
        var chars = new System.Text.StringBuilder();
        bool upper = true;
        foreach (char c in tensor)
        {
            if (char.IsLetterOrDigit(c))
            {
                chars.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
                chars.Append('_');
            }
        }
        return chars.ToString();
    }
}
