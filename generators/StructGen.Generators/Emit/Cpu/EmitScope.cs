namespace StructGen.Generators.Emit.Cpu;

/// <summary>
/// The names a facet writes its bodies against, so one facet serves a layer of its own and any position
/// inside a sum, an adapter, a chain or a model step. At the root (a layer that is one primitive) every
/// name is the plain one (<c>x</c>, <c>y</c>, <c>In</c>, <c>OffsetA</c>, <c>R</c>) and the emitted code is
/// exactly the single-structure code; inside a composite, constants get a path prefix (<c>T1_R</c>: term 1's
/// rank; <c>F0_K</c>: factor 0's blocks) and tensors the prefix of their checkpoint name
/// (<c>1.A</c> → <c>Offset1_A</c>), so siblings never collide.
/// </summary>
/// <param name="X">Input rows <c>[rows, In]</c> (a <c>ref float</c> local or parameter).</param>
/// <param name="Y">Output rows <c>[rows, Out]</c>.</param>
/// <param name="Dy">Gradient of the output, <c>[rows, Out]</c>.</param>
/// <param name="Dx">Gradient of the input, <c>[rows, In]</c>.</param>
/// <param name="Scratch">This facet's scratch region (per row counts are the facet's own).</param>
/// <param name="Dense">Where <c>ToDense</c> writes <c>W [Out, In]</c> (row stride <see cref="In"/>).</param>
/// <param name="In">Name of the constant holding the input width (also the row stride of x and dx).</param>
/// <param name="Out">Name of the constant holding the output width (also the row stride of y and dy).</param>
/// <param name="ConstantPrefix">Prefix of the facet's own constants and composite locals.</param>
/// <param name="TensorPrefix">Prefix of the facet's tensor names in the layer (<c>"0."</c>, <c>"1.0."</c>).</param>
/// <param name="AddToOutput">Forward adds into y instead of overwriting it (sum terms after the first).</param>
/// <param name="AddToInputGradient">Backward adds into dx instead of overwriting it.</param>
/// <param name="AddToDense">ToDense adds into its destination (which is otherwise zero on entry).</param>
/// <param name="Saved">
/// The <c>ref float</c> holding the tile's rows of the intermediate the training forward keeps for the backward
/// (<c>[rows, SavedPerRow]</c>), used where the <c>bool</c> named <see cref="UseSaved"/> is true; <c>null</c> where the
/// position keeps nothing (structures with nothing worth keeping, composites inside composites). The rows are
/// <c>[rows, SavedPerRow]</c> of the facet that saves (a layer's whole saved row, or a model step's region).
/// </param>
/// <param name="KeepsInScratch">
/// An operand of a composite that keeps intermediates: the operand computes its intermediate in its scratch as usual
/// (<see cref="Saved"/> is <c>null</c>), the composite copies those rows to its saved rows after the operand's forward and
/// back before its backward, and the operand's backward skips the recomputation where <c>useSaved</c> is true.
/// </param>
/// <param name="StreamOutput">
/// The <c>bool</c> (a parameter of <c>ForwardTile</c>) that says whether a facet whose last pass writes the whole output may
/// write it with streaming stores (<see cref="StructGen.Kernels.OutputStreaming"/>); <c>null</c> where the output is read
/// again within the call (a sum adding into it, a chain's next factor, a model's next step).
/// </param>
/// <param name="Bias">
/// The <c>ref float</c> expression of the layer's bias where a facet that streams its output
/// (<see cref="StreamOutput"/>) should add it on the way out, so the output is written once; <c>null</c> where the layer
/// has no bias or the position is inside a composite.
/// </param>
internal sealed record EmitScope(
    string X, string Y, string Dy, string Dx, string Scratch, string Dense,
    string In, string Out,
    string ConstantPrefix, string TensorPrefix,
    bool AddToOutput, bool AddToInputGradient, bool AddToDense,
    string? Saved = null, bool KeepsInScratch = false, string? StreamOutput = null, string? Bias = null)
{
    /// <summary>The <c>bool</c> that says whether <see cref="Saved"/> is the caller's buffer (else it is unused).</summary>
    public string UseSaved => "useSaved";

    /// <summary>Whether this position writes and reads a saved intermediate in the caller's saved rows.</summary>
    public bool Saves => Saved is not null;

    /// <summary>Whether this position's backward may skip recomputing its intermediate (saved rows, or restored by its composite).</summary>
    public bool Keeps => Saves || KeepsInScratch;

    /// <summary>A layer that is this structure alone: the parameters of <c>ForwardTile</c>/<c>BackwardTile</c>/<c>ToDense</c>.</summary>
    public static EmitScope Root { get; } = new("x", "y", "dy", "dx", "s", "d", "In", "Out", "", "", false, false, false);

    /// <summary>The root scope of a layer whose facet keeps an intermediate: the tile methods take <c>ref float saved, bool useSaved</c>.</summary>
    public static EmitScope RootSaving { get; } = Root with { Saved = "saved" };

    /// <summary>A constant of this facet (<c>R</c> at the root, <c>T1_R</c> in term 1).</summary>
    public string Constant(string name) => ConstantPrefix + name;

    /// <summary>The offset constant of one of this facet's tensors, named from its full checkpoint name.</summary>
    public string Offset(string tensor) => StructureEmitter.OffsetName(TensorPrefix + tensor);

    /// <summary>The name of a local a composite declares (prefixed, so nested composites do not shadow it).</summary>
    public string Local(string name) => ConstantPrefix.Length == 0 ? name : ConstantPrefix + name;

    /// <summary><c>true</c>/<c>false</c> for the forward output's <c>accumulate:</c> argument.</summary>
    public string AccumulateOutput => AddToOutput ? "true" : "false";

    /// <summary><c>true</c>/<c>false</c> for the input gradient's <c>accumulate:</c> argument.</summary>
    public string AccumulateInputGradient => AddToInputGradient ? "true" : "false";

    /// <summary><c>=</c> or <c>+=</c> for a ToDense element whose destination starts at zero.</summary>
    public string DenseAssign => AddToDense ? "+=" : "=";
}
