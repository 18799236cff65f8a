using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using StructGen.Generators.Emit.Cpu;
using StructGen.Generators.Helpers;
using StructGen.Generators.Model;
using StructGen.Language.Collections;
using StructGen.Language.Diagnostics;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit;

/// <summary>
/// Writes the class of a <c>.sgl</c> <c>model</c>: a <c>StructGen.IStructuredModel</c> whose forward and
/// backward passes run a tile of rows through every step in turn. Each layer step is the same facet a layer
/// of its own would get (constants <c>L{i}_…</c>, tensors <c>{i}.…</c> as <c>torch.nn.Sequential</c> keys
/// them) followed by its bias; each activation step calls <c>StructGen.Training.Activations</c>. A tile's
/// intermediate activations, their gradients and the layers' scratch are one rented buffer of constant size,
/// so a call allocates nothing once the pool holds a buffer for each concurrent caller.
/// </summary>
internal static class ModelEmitter
{
    public static void Emit(SourceProductionContext context, ModelInfo model, string hintName)
    {
        string source;
        try
        {
            source = Write(model);
        }
        catch (Exception ex)
        {
            // Never throw into the compiler.
            context.ReportDiagnostic(new DiagnosticInfo(DiagnosticCatalog.InternalError, "", SourceSpan.None,
                EquatableArray.Create($"{model.Hierarchy.FullName}: {ex.GetType().Name}: {ex.Message}")).ToDiagnostic());
            return;
        }
        context.AddSource(hintName, source);
    }

    public static string Write(ModelInfo model) => new Writer(model).Write();

    private sealed class Writer
    {
        private readonly ModelInfo _model;
        private readonly ModelSpec _spec;
        private readonly IReadOnlyList<ModelStep> _steps;
        private readonly List<TensorSpec> _tensors;
        private readonly List<long> _offsets;
        private readonly long _total;
        private readonly int[] _activationOffsets;
        private readonly bool _storeLast;
        private readonly int _gradientBuffers;
        private readonly int _gradientWidth;
        private readonly int _restOffset;
        private readonly int _perRow;
        private readonly int _tileRows;
        private readonly KernelSet _kernels = new();

        /// <summary>
        /// The training forward's saved buffer, region by region, each <c>[batch, Width]</c>: the stored step outputs
        /// (what the backward would otherwise recompute), then each keeping layer step's own intermediate.
        /// </summary>
        private readonly List<SavedRegion> _saved = new();
        private readonly int _savedPerRow;

        public Writer(ModelInfo model)
        {
            _model = model;
            _spec = model.Spec;
            _steps = _spec.Steps.ToList();
            _tensors = _spec.Tensors.ToList();
            long offset = 0;
            _offsets = _tensors.Select(t => { long o = offset; offset += t.Length; return o; }).ToList();
            _total = offset;

            // Scratch per row: every step's output but the model's (plus the last one when it is an activation,
            // whose backward reads its output), two gradient buffers that alternate going back, the layers' scratch.
            int n = _steps.Count;
            _storeLast = n > 0 && _steps[n - 1] is ActivationStep;
            int stored = _storeLast ? n : Math.Max(0, n - 1);
            _activationOffsets = new int[stored];
            int perRow = 0;
            for (int i = 0; i < stored; i++)
            {
                _activationOffsets[i] = perRow;
                perRow += _steps[i].Out;
            }
            _gradientBuffers = Math.Min(2, Math.Max(0, n - 1));
            _gradientWidth = n > 1 ? _steps.Take(n - 1).Max(s => s.Out) : 0;
            perRow += _gradientBuffers * _gradientWidth;
            _restOffset = perRow;
            int layerScratch = 0;
            for (int i = 0; i < n; i++)
            {
                if (Facet(i, "y", "dy", "dx") is { } facet)
                {
                    layerScratch = Math.Max(layerScratch, Math.Max(facet.ForwardScratchPerRow, facet.BackwardScratchPerRow));
                }
            }
            _perRow = perRow + layerScratch;
            _tileRows = LayerEmitter.TileRows(_perRow);

            int savedOffset = 0;
            for (int i = 0; i < stored; i++)
            {
                _saved.Add(new SavedRegion(Act(i), _steps[i].Out, savedOffset, $"output of step {i}"));
                savedOffset += _steps[i].Out;
            }
            for (int i = 0; i < n; i++)
            {
                if (Facet(i, "y", "dy", "dx") is { SavedPerRow: > 0 } facet)
                {
                    _saved.Add(new SavedRegion(Kept(i), facet.SavedPerRow, savedOffset, $"step {i}'s {facet.SavedDescription}"));
                    savedOffset += facet.SavedPerRow;
                }
            }
            _savedPerRow = savedOffset;
        }

        /// <summary>One region of the saved buffer: <c>[batch, Width]</c> starting at <c>batch · Offset</c>.</summary>
        private sealed record SavedRegion(string Local, int Width, int Offset, string What);

        private bool Saves => _savedPerRow > 0;

        /// <summary>The tile's rows of a saved region: <c>saved + batch·Offset + row·Width</c>.</summary>
        private static string SavedAt(SavedRegion region)
            => $"Unsafe.Add(ref saved, (nint)batch * {region.Offset} + (nint)row * {region.Width})";

        public string Write()
        {
            var w = new IndentedTextWriter();
            HierarchyInfo hierarchy = _model.Hierarchy;
            w.Line("// <auto-generated/>");
            w.Line($"// StructGen generated this model from: {LayerEmitter.OneLine(_model.Declaration)}");
            w.Line("#nullable enable");
            w.Line("#pragma warning disable CS0162 // unreachable code: branches on constant vector widths");
            w.Line();
            w.Line("using System;");
            w.Line("using System.Collections.Generic;");
            w.Line("using System.Runtime.CompilerServices;");
            w.Line("using System.Runtime.InteropServices;");
            w.Line("using System.Runtime.Intrinsics;");
            w.Line("using Avx = global::System.Runtime.Intrinsics.X86.Avx;");
            w.Line("using BlastCoupling = global::StructGen.Kernels.BlastCoupling;");
            w.Line("using LayerGuard = global::StructGen.Kernels.LayerGuard;");
            w.Line("using RowOps = global::StructGen.Kernels.RowOps;");
            w.Line();

            IDisposable? ns = hierarchy.Namespace.Length > 0 ? w.OpenBlock($"namespace {hierarchy.Namespace}") : null;
            WriteDocumentation(w);
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"StructGen\", \"0.1.0\")]");
            using (w.OpenBlock($"public sealed partial class {hierarchy.TypeName} : global::StructGen.IStructuredModel"))
            {
                WriteConstants(w);
                WriteStorage(w);
                WriteProperties(w);
                WriteForward(w);
                WriteBackward(w);
                WriteInitialize(w);
                LayerEmitter.WriteKernels(w, _kernels);
            }
            ns?.Dispose();
            return w.ToString();
        }

        private void WriteDocumentation(IndentedTextWriter w)
        {
            string chain = string.Join(" → ", _steps.Select(StepName));
            w.Line("/// <summary>");
            w.Line($"/// Model <c>{_model.Hierarchy.TypeName}</c>, {_spec.In} → {_spec.Out}: {LayerEmitter.Xml(chain)}; every layer has a bias, as <c>torch.nn.Linear</c>.");
            w.Line("/// </summary>");
            w.Line("/// <remarks>");
            w.Line("/// <code>");
            w.Line("/// Steps       #   step                           widths          FLOPs/row");
            for (int i = 0; i < _steps.Count; i++)
            {
                ModelStep step = _steps[i];
                string widths = step is LayerStep ? $"{step.In} → {step.Out}" : $"{step.Out}";
                string flops = step is LayerStep layer ? CompositeText.Number(layer.Layer.ForwardFlopsPerRow) : "";
                w.Line($"///             {i,-3} {LayerEmitter.Xml(StepName(step)),-30} {widths,-15} {flops}".TrimEnd());
            }
            int nameWidth = Math.Max(11, _tensors.Count == 0 ? 0 : _tensors.Max(t => t.Name.Length));
            w.Line($"/// Tensors     {"name".PadRight(nameWidth)} shape              offset   init");
            for (int i = 0; i < _tensors.Count; i++)
            {
                w.Line($"///             {_tensors[i].Name.PadRight(nameWidth)} {_tensors[i].ShapeText,-18} {_offsets[i],-8} U(±{_tensors[i].InitBound.ToString("0.#####", CultureInfo.InvariantCulture)}): {LayerEmitter.Xml(_tensors[i].InitRule)}");
            }
            w.Line($"/// Parameters  {_total}");
            w.Line($"/// FLOPs/row   {_spec.ForwardFlopsPerRow} (layers; activations and biases not counted)");
            w.Line($"/// Scratch     {_tileRows} rows × {_perRow} floats per call: the tile's activations, their gradients, the layers' scratch");
            if (Saves)
            {
                w.Line($"/// Saved       {_savedPerRow} floats a row (SavedPerRow), kept by Forward(…, saved) for Backward(…, saved), regions [batch, width] in turn:");
                foreach (SavedRegion region in _saved)
                {
                    w.Line($"///             {region.Width,-6} {LayerEmitter.Xml(region.What)}");
                }
            }
            else
            {
                w.Line("/// Saved       nothing (SavedPerRow = 0): no step output to keep");
            }
            w.Line(LayerEmitter.KernelsLine);
            w.Line("/// </code>");
            w.Line("/// </remarks>");
        }

        private void WriteConstants(IndentedTextWriter w)
        {
            w.Line("/// <summary>Input features.</summary>");
            w.Line($"private const int In = {_spec.In};");
            w.Line("/// <summary>Output features.</summary>");
            w.Line($"private const int Out = {_spec.Out};");
            for (int i = 0; i < _steps.Count; i++)
            {
                if (_steps[i] is ActivationStep activation)
                {
                    w.Line($"/// <summary>Step {i}, {ActivationNames.Name(activation.Function)}: features in and out.</summary>");
                    w.Line($"private const int {Width(i)} = {activation.Width};");
                    continue;
                }
                StructureEmitter facet = Facet(i, "y", "dy", "dx")!;
                w.Line($"/// <summary>Step {i}, {LayerEmitter.Xml(facet.Spec.Describe())}: {facet.Spec.In} → {facet.Spec.Out}.</summary>");
                w.Line($"private const int {facet.Scope.In} = {facet.Spec.In}, {facet.Scope.Out} = {facet.Spec.Out};");
                foreach (string constant in facet.Constants())
                {
                    w.Lines(constant);
                }
            }
            w.Line($"/// <summary>Rows per tile: one tile's scratch is TileRows × {_perRow} floats.</summary>");
            w.Line($"private const int TileRows = {_tileRows};");
            w.Line($"private const int ScratchLength = {(long)_tileRows * _perRow};");
            w.Line("/// <summary>Floats per row the training forward keeps for the backward (the class remarks list the regions).</summary>");
            w.Line($"private const int SavedWidth = {_savedPerRow};");
            for (int i = 0; i < _tensors.Count; i++)
            {
                w.Line($"private const int {StructureEmitter.OffsetName(_tensors[i].Name)} = {_offsets[i]}; // {_tensors[i].Name} {_tensors[i].ShapeText}");
            }
            w.Line($"private const int ParameterTotal = {_total};");
            w.Line($"private const int DefaultSeed = {_model.Seed};");
            w.Line();
        }

        private void WriteStorage(IndentedTextWriter w)
        {
            w.Line("private static readonly global::StructGen.ParameterTensor[] s_tensors =");
            using (w.OpenBlock(null, "};"))
            {
                foreach (TensorSpec tensor in _tensors)
                {
                    w.Line($"new global::StructGen.ParameterTensor(\"{tensor.Name}\", {StructureEmitter.OffsetName(tensor.Name)}, {string.Join(", ", tensor.Shape)}),");
                }
            }
            w.Line();
            ParameterStorageText.WriteFields(w);
            w.Line("private readonly global::StructGen.Kernels.ScratchPool _scratch = new global::StructGen.Kernels.ScratchPool(ScratchLength);");
            w.Line();
            w.Line($"/// <summary>Creates the model, initialized from seed {_model.Seed} (see <see cref=\"Initialize\"/>).</summary>");
            w.Line($"public {_model.Hierarchy.TypeName}() => Initialize(DefaultSeed);");
            w.Line();
        }

        private void WriteProperties(IndentedTextWriter w)
        {
            w.Lines(
$@"/// <inheritdoc />
public int InFeatures => In;

/// <inheritdoc />
public int OutFeatures => Out;

/// <inheritdoc />
public int ParameterCount => ParameterTotal;

/// <inheritdoc />
public long ForwardFlopsPerRow => {_spec.ForwardFlopsPerRow}L;

{ParameterStorageText.Members}
");
        }

        private void WriteForward(IndentedTextWriter w)
        {
            w.Lines(
$@"/// <inheritdoc />
public void Forward(ReadOnlySpan<float> input, Span<float> output, int batch)
{{
    LayerGuard.Forward(input, output, batch, In, Out);
    ForwardRows(input, output, batch, default);
}}

/// <inheritdoc />
public int SavedPerRow => SavedWidth;

/// <inheritdoc />
public void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, Span<float> saved)
{{
    LayerGuard.Forward(input, output, batch, In, Out);
    LayerGuard.SavedForward(input, output, saved, batch, SavedWidth);
    ForwardRows(input, output, batch, saved);
}}

/// <summary>Every step over <paramref name=""batch""/> validated rows, tile by tile{(Saves ? ", writing the saved regions when saved is not empty" : "")}.</summary>
private void ForwardRows(ReadOnlySpan<float> input, Span<float> output, int batch, Span<float> saved)
{{
    if (batch == 0)
    {{
        return;
    }}
    float[] scratch = _scratch.Rent();
    try
    {{
        {ParameterStorageText.ParametersRef}
        ref float s = ref global::StructGen.Kernels.AlignedArray.Start(scratch);
        ref float input0 = ref MemoryMarshal.GetReference(input);
        ref float output0 = ref MemoryMarshal.GetReference(output);{SavedLocals}
        for (int row = 0; row < batch; row += TileRows)
        {{
            int rows = Math.Min(TileRows, batch - row);
            ForwardTile(ref Unsafe.Add(ref input0, (nint)row * In), ref Unsafe.Add(ref output0, (nint)row * Out), rows, ref p, ref s{SavedArguments});
        }}
    }}
    finally
    {{
        _scratch.Return(scratch);
    }}
}}

/// <summary>Every step on one tile of at most <see cref=""TileRows""/> rows{(Saves ? "; with useSaved, the step outputs and the layers' intermediates go to their regions of saved" : "")}.</summary>
private static void ForwardTile(ref float x, ref float y, int rows, ref float p, ref float s{SavedParameters})
{{");
            w.IncreaseIndent();
            WriteScratch(w, gradients: false);
            for (int i = 0; i < _steps.Count; i++)
            {
                WriteStepForward(w, i, i == _steps.Count - 1 ? "y" : Act(i));
            }
            if (Saves && _storeLast)
            {
                SavedRegion last = _saved[_steps.Count - 1];
                w.Line($"// the last step's output is the model's: keep a copy, its backward reads it");
                using (w.OpenBlock("if (useSaved)"))
                {
                    w.Line($"MemoryMarshal.CreateReadOnlySpan(ref y, rows * Out).CopyTo(MemoryMarshal.CreateSpan(ref {SavedAt(last)}, rows * Out));");
                }
            }
            w.DecreaseIndent();
            w.Line("}");
            w.Line();
        }

        /// <summary>Locals of the row loop that the saving tiles read.</summary>
        private string SavedLocals => Saves ? @"
        // Not saving: the tiles get the scratch as a stand-in they never read, at offset 0.
        bool useSaved = !saved.IsEmpty;
        ref float saved0 = ref (useSaved ? ref MemoryMarshal.GetReference(saved) : ref s);
        int savedBatch = useSaved ? batch : 0;" : "";

        private string SavedArguments => Saves ? ", ref saved0, savedBatch, useSaved ? row : 0, useSaved" : "";

        private string SavedParameters => Saves ? ", ref float saved, int batch, int row, bool useSaved" : "";

        private void WriteBackward(IndentedTextWriter w)
        {
            w.Lines(
$@"/// <inheritdoc />
public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch)
{{
    LayerGuard.Backward(input, outputGradient, inputGradient, batch, In, Out);
    BackwardRows(input, outputGradient, inputGradient, batch, default);
}}

/// <inheritdoc />
public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch, ReadOnlySpan<float> saved)
{{
    LayerGuard.Backward(input, outputGradient, inputGradient, batch, In, Out);
    LayerGuard.SavedBackward(inputGradient, saved, batch, SavedWidth);
    BackwardRows(input, outputGradient, inputGradient, batch, saved);
}}

/// <summary>Back through every step over <paramref name=""batch""/> validated rows, tile by tile{(Saves ? ", reading the saved regions when saved is not empty" : "")}.</summary>
private void BackwardRows(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch, ReadOnlySpan<float> saved)
{{
    if (batch == 0)
    {{
        return;
    }}
    float[] scratch = _scratch.Rent();
    try
    {{
        {ParameterStorageText.ParametersRef}
        {ParameterStorageText.GradientsRef}
        ref float s = ref global::StructGen.Kernels.AlignedArray.Start(scratch);
        ref float input0 = ref MemoryMarshal.GetReference(input);
        ref float dy0 = ref MemoryMarshal.GetReference(outputGradient);
        ref float dx0 = ref MemoryMarshal.GetReference(inputGradient);{SavedLocals}
        for (int row = 0; row < batch; row += TileRows)
        {{
            int rows = Math.Min(TileRows, batch - row);
            BackwardTile(ref Unsafe.Add(ref input0, (nint)row * In), ref Unsafe.Add(ref dy0, (nint)row * Out), ref Unsafe.Add(ref dx0, (nint)row * In), rows, ref p, ref g, ref s{SavedArguments});
        }}
    }}
    finally
    {{
        _scratch.Return(scratch);
    }}
}}

/// <summary>
/// One tile: {(Saves ? "reads every step's output from saved (with useSaved) or recomputes it" : "recomputes every step's output")}, then goes back through the steps, last first: writes dx and
/// adds every parameter gradient (biases included) into g.
/// </summary>
private static void BackwardTile(ref float x, ref float dy, ref float dx, int rows, ref float p, ref float g, ref float s{SavedParameters})
{{");
            w.IncreaseIndent();
            WriteScratch(w, gradients: true);
            int n = _steps.Count;
            if (n > 1 || _storeLast)
            {
                IDisposable? unlessSaved = null;
                if (Saves)
                {
                    w.Line("// without saved: recompute the steps' outputs (the backward of each step reads its input, and an activation's its output)");
                    unlessSaved = w.OpenBlock("if (!useSaved)");
                }
                else
                {
                    w.Line("// recompute the steps' outputs (the backward of each step reads its input, and an activation's its output)");
                }
                for (int i = 0; i < n - 1; i++)
                {
                    WriteStepForward(w, i, Act(i));
                }
                if (_storeLast)
                {
                    WriteStepForward(w, n - 1, Act(n - 1));
                }
                unlessSaved?.Dispose();
            }
            w.Line("// back through the steps, last first");
            for (int i = n - 1; i >= 0; i--)
            {
                WriteStepBackward(w, i);
            }
            w.DecreaseIndent();
            w.Line("}");
            w.Line();
        }

        private void WriteScratch(IndentedTextWriter w, bool gradients)
        {
            int count = gradients ? _activationOffsets.Length : Math.Max(0, _steps.Count - 1);
            for (int i = 0; i < count; i++)
            {
                string home = Saves ? $"(useSaved ? ref {SavedAt(_saved[i])} : ref {At(_activationOffsets[i])})" : At(_activationOffsets[i]);
                w.Line($"ref float {Act(i)} = ref {home}; // [rows, {_steps[i].Out}] output of step {i} ({LayerEmitter.Xml(StepName(_steps[i]))})");
            }
            foreach (SavedRegion region in _saved.Skip(_activationOffsets.Length))
            {
                w.Line($"ref float {region.Local} = ref {SavedAt(region)}; // [rows, {region.Width}] {LayerEmitter.Xml(region.What)}, used with useSaved");
            }
            if (gradients)
            {
                for (int b = 0; b < _gradientBuffers; b++)
                {
                    w.Line($"ref float grad{b} = ref {At(_restOffset - (_gradientBuffers - b) * _gradientWidth)}; // [rows, ≤ {_gradientWidth}] ∂ of the outputs of steps {(b == 0 ? "0, 2, 4, …" : "1, 3, 5, …")}");
                }
            }
            if (_steps.Any(s => s is LayerStep))
            {
                w.Line($"ref float rest = ref {At(_restOffset)}; // the layers' own scratch");
            }
        }

        private void WriteStepForward(IndentedTextWriter w, int i, string output)
        {
            ModelStep step = _steps[i];
            string input = Input(i);
            if (step is ActivationStep activation)
            {
                string name = ActivationNames.Name(activation.Function);
                w.Line($"// step {i} of {_steps.Count}: {name} over {activation.Width} features");
                w.Line($"global::StructGen.Training.Activations.{Method(activation.Function)}({ReadOnly(input, Width(i))}, {Writable(output, Width(i))});");
                return;
            }
            StructureEmitter facet = Facet(i, output, "dy", "dx")!;
            w.Line($"// step {i} of {_steps.Count}: {CompositeText.Operand(facet.Spec, facet.Scope.TensorPrefix)}; then + {i}.bias");
            using (w.OpenBlock())
            {
                facet.WriteForward(w, _kernels);
            }
            w.Line($"RowOps.AddBias(ref {output}, ref Unsafe.Add(ref p, {Bias(i)}), {facet.Scope.Out}, rows);");
        }

        private void WriteStepBackward(IndentedTextWriter w, int i)
        {
            ModelStep step = _steps[i];
            string dy = i == _steps.Count - 1 ? "dy" : Gradient(i);
            string dx = i == 0 ? "dx" : Gradient(i - 1);
            if (step is ActivationStep activation)
            {
                string name = ActivationNames.Name(activation.Function);
                // ReLU and GELU differentiate from their input, tanh and sigmoid from their output.
                string from = activation.Function is Activation.Tanh or Activation.Sigmoid ? Act(i) : Input(i);
                w.Line($"// step {i}, {name}: {dx} = {name}'({(from == Input(i) ? "input" : "output")}) ⊙ {dy}");
                w.Line($"global::StructGen.Training.Activations.{Method(activation.Function)}Backward({ReadOnly(from, Width(i))}, {ReadOnly(dy, Width(i))}, {Writable(dx, Width(i))});");
                return;
            }
            StructureEmitter facet = Facet(i, Act(i), dy, dx)!;
            w.Line($"// step {i}, {LayerEmitter.Xml(facet.Spec.Describe())}: ∂{i}.bias += Σ_rows {dy}, then {dy} → {dx}");
            w.Line($"RowOps.AddColumnSums(ref {dy}, ref Unsafe.Add(ref g, {Bias(i)}), {facet.Scope.Out}, rows);");
            using (w.OpenBlock())
            {
                facet.WriteBackward(w, _kernels);
            }
        }

        private void WriteInitialize(IndentedTextWriter w)
        {
            w.Line("/// <inheritdoc />");
            w.Line("/// <remarks>Each tensor is uniform in ±bound, the bound of its structure (docs/initialization.md); biases U(±1/√In) as torch.nn.Linear.</remarks>");
            using (w.OpenBlock("public void Initialize(int seed)"))
            {
                for (int i = 0; i < _tensors.Count; i++)
                {
                    string bound = _tensors[i].InitBound.ToString("R", CultureInfo.InvariantCulture);
                    w.Line($"global::StructGen.Initialization.SeededUniform.Fill(Parameters.Slice({StructureEmitter.OffsetName(_tensors[i].Name)}, {_tensors[i].Length}), {bound}, seed, {i}); // {LayerEmitter.Xml(_tensors[i].InitRule)}");
                }
            }
            w.Line();
        }

        /// <summary>The facet of layer step <paramref name="i"/> writing <paramref name="y"/> (null for an activation).</summary>
        private StructureEmitter? Facet(int i, string y, string dy, string dx)
        {
            if (_steps[i] is not LayerStep layer)
            {
                return null;
            }
            string prefix = "L" + i.ToString(CultureInfo.InvariantCulture) + "_";
            var scope = new EmitScope(
                X: Input(i), Y: y, Dy: dy, Dx: dx, Scratch: "rest", Dense: "d",
                In: prefix + "In", Out: prefix + "Out",
                ConstantPrefix: prefix, TensorPrefix: i.ToString(CultureInfo.InvariantCulture) + ".",
                AddToOutput: false, AddToInputGradient: false, AddToDense: false,
                Saved: StructureEmitter.KeepsIntermediate(layer.Layer) ? Kept(i) : null);
            return StructureEmitter.For(layer.Layer, scope);
        }

        private string Input(int i) => i == 0 ? "x" : Act(i - 1);

        private static string Act(int i) => "act" + i.ToString(CultureInfo.InvariantCulture);

        private static string Kept(int i) => "kept" + i.ToString(CultureInfo.InvariantCulture);

        private static string Gradient(int i) => "grad" + (i % 2).ToString(CultureInfo.InvariantCulture);

        private static string Width(int i) => "A" + i.ToString(CultureInfo.InvariantCulture) + "_Width";

        private static string Bias(int i) => StructureEmitter.OffsetName(i.ToString(CultureInfo.InvariantCulture) + ".bias");

        private static string At(int perRow) => perRow == 0 ? "s" : $"Unsafe.Add(ref s, TileRows * {perRow})";

        private static string ReadOnly(string buffer, string width) => $"MemoryMarshal.CreateReadOnlySpan(ref {buffer}, rows * {width})";

        private static string Writable(string buffer, string width) => $"MemoryMarshal.CreateSpan(ref {buffer}, rows * {width})";

        private static string Method(Activation function) => function switch
        {
            Activation.Relu => "Relu",
            Activation.Gelu => "Gelu",
            Activation.Tanh => "Tanh",
            _ => "Sigmoid",
        };

        private static string StepName(ModelStep step) => step switch
        {
            LayerStep { Name: { } name } layer => name + " = " + layer.Layer.Describe(),
            LayerStep layer => layer.Layer.Describe(),
            ActivationStep activation => ActivationNames.Name(activation.Function),
            _ => step.Describe(),
        };
    }
}
