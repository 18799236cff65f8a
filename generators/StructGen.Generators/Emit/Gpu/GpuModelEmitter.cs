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

namespace StructGen.Generators.Emit.Gpu;

/// <summary>
/// Writes the GPU part of a <c>.sgl</c> <c>model</c> (<c>{Hint}.Gpu.g.cs</c>): <c>ToAccelerator</c>, a launcher
/// deriving from <c>StructGen.Gpu.GpuModel</c>, and the kernels. The device buffers mirror the CPU model's
/// (ModelEmitter): every step's output but the model's (and the last one when it is an activation, whose
/// backward reads its output) in scratch, two gradient buffers that alternate going back, then the layers'
/// own scratch. Each layer step is planned as a layer of its own (<see cref="GpuPlan"/>, classes <c>L{i}…</c>)
/// with its bias fused into the product that writes its output and its bias gradient in class <c>L{i}</c>;
/// each activation step is one element-wise kernel (<see cref="GpuActivations"/>). Backward recomputes the
/// outputs, then goes back through the steps, last first.
/// </summary>
internal static class GpuModelEmitter
{
    public static void Emit(SourceProductionContext context, ModelInfo model, string cpuHint)
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
                EquatableArray.Create($"{model.Hierarchy.FullName} (ILGPU kernels): {ex.GetType().Name}: {ex.Message}")).ToDiagnostic());
            return;
        }
        context.AddSource(GpuLayerEmitter.HintName(cpuHint), source);
    }

    public static string Write(ModelInfo model) => new Writer(model).Write();

    private sealed class Writer
    {
        private readonly ModelInfo _model;
        private readonly ModelSpec _spec;
        private readonly IReadOnlyList<ModelStep> _steps;
        private readonly List<TensorSpec> _tensors;
        private readonly GpuPlan _plan;
        private readonly List<GpuLaunch> _forward = new();
        private readonly List<GpuLaunch> _backward = new();
        private readonly List<Activation> _activations;

        public Writer(ModelInfo model)
        {
            _model = model;
            _spec = model.Spec;
            _steps = _spec.Steps.ToList();
            _tensors = _spec.Tensors.ToList();
            _plan = new GpuPlan(_tensors);
            _activations = _steps.OfType<ActivationStep>().Select(a => a.Function).Distinct().ToList();

            // The activation buffers first, as in the CPU model's scratch.
            int n = _steps.Count;
            bool storeLast = n > 0 && _steps[n - 1] is ActivationStep;
            int stored = storeLast ? n : Math.Max(0, n - 1);
            for (int i = 0; i < stored; i++)
            {
                _plan.AddScratch(Act(i), _steps[i].Out, $"[rows, {_steps[i].Out}] output of step {i} ({StepName(_steps[i])})");
            }
            int gradientWidth = n > 1 ? _steps.Take(n - 1).Max(s => s.Out) : 0;
            for (int b = 0; b < Math.Min(2, Math.Max(0, n - 1)); b++)
            {
                _plan.AddScratch("grad" + Int(b), gradientWidth, $"[rows, ≤ {gradientWidth}] ∂ of the outputs of steps {(b == 0 ? "0, 2, 4, …" : "1, 3, 5, …")} (backward)");
            }

            // A class per layer step (its sizes, its bias and the bias gradient), created before its operands' classes.
            foreach ((int index, LayerStep step) in _spec.Layers)
            {
                _plan.Node(StepClass(index), StepTitle(index, step), step.Layer, GpuStructure.For(step.Layer), StepOffsets(index, step.Layer));
            }

            for (int i = 0; i < n; i++)
            {
                StepForward(i, i == n - 1 ? "y" : Act(i), _forward);
            }

            if (n > 1 || storeLast)
            {
                _backward.Add(GpuLaunch.Heading("recompute the steps' outputs (the backward of each step reads its input, and an activation's its output)"));
            }
            for (int i = 0; i < n - 1; i++)
            {
                StepForward(i, Act(i), _backward);
            }
            if (storeLast)
            {
                StepForward(n - 1, Act(n - 1), _backward);
            }
            _backward.Add(GpuLaunch.Heading("back through the steps, last first"));
            for (int i = n - 1; i >= 0; i--)
            {
                StepBackward(i);
            }

            foreach ((int index, LayerStep step) in _spec.Layers)
            {
                GpuNode node = _plan.Node(StepClass(index), "", step.Layer, null, Array.Empty<GpuOffset>());
                node.HasBiasGradient = true;
                node.BiasOffset = _plan.OffsetOf(Bias(index));
            }
        }

        private void StepForward(int i, string output, List<GpuLaunch> pass)
        {
            string input = Input(i);
            if (_steps[i] is ActivationStep activation)
            {
                string name = GpuActivations.Name(activation.Function);
                pass.Add(GpuLaunch.Heading($"step {i} of {_steps.Count}: {ActivationNames.Name(activation.Function)} over {activation.Width} features"));
                pass.Add(new GpuLaunch($"{output} = {ActivationNames.Name(activation.Function)}({input})", name, Elements(activation.Width), new[] { input, output, Count(activation.Width) }));
                return;
            }
            var layer = (LayerStep)_steps[i];
            pass.Add(GpuLaunch.Heading($"step {i} of {_steps.Count}: {CompositeText.Operand(layer.Layer, Int(i) + ".")}; + {Int(i)}.bias, fused into the product that writes {output}"));
            _plan.Forward(layer.Layer, Site(i, output, "dy", "dx"), StepTitle(i, layer), pass);
        }

        private void StepBackward(int i)
        {
            string dy = i == _steps.Count - 1 ? "dy" : Gradient(i);
            string dx = i == 0 ? "dx" : Gradient(i - 1);
            if (_steps[i] is ActivationStep activation)
            {
                string name = ActivationNames.Name(activation.Function);
                bool fromOutput = GpuActivations.DifferentiatesFromOutput(activation.Function);
                string from = fromOutput ? Act(i) : Input(i);
                _backward.Add(GpuLaunch.Heading($"step {i}, {name}: {dx} = {name}'({(fromOutput ? "output" : "input")}) ⊙ {dy}"));
                _backward.Add(new GpuLaunch($"{dx} = {name}'({from}) ⊙ {dy}", GpuActivations.Name(activation.Function) + "Backward", Elements(activation.Width), new[] { from, dy, dx, Count(activation.Width) }));
                return;
            }
            var layer = (LayerStep)_steps[i];
            _backward.Add(GpuLaunch.Heading($"step {i}, {GpuLauncherText.Xml(layer.Layer.Describe())}: ∂{i}.bias += Σ_rows {dy}, then {dy} → {dx}"));
            _backward.Add(new GpuLaunch($"∂{i}.bias[o] += Σ_b {dy}[b, o]", StepClass(i) + "_BiasGradient", $"Tiles(GpuKernels.{StepClass(i)}.Out, GpuKernels.Threads)", new[] { dy, "dp", "rows" }));
            _plan.Backward(layer.Layer, Site(i, Act(i), dy, dx), StepTitle(i, layer), _backward);
        }

        private GpuSite Site(int i, string output, string dy, string dx)
            => new(StepClass(i), Int(i) + ".", Input(i), output, dy, dx, AddOutput: false, AddInputGradient: false, Bias: true, BiasOffset: _plan.OffsetOf(Bias(i)));

        public string Write()
        {
            var w = new IndentedTextWriter();
            HierarchyInfo hierarchy = _model.Hierarchy;
            w.Line("// <auto-generated/>");
            w.Line($"// StructGen generated the ILGPU kernels of this model from: {LayerEmitter.OneLine(_model.Declaration)}");
            w.Line("#nullable enable");
            w.Line();
            IDisposable? ns = hierarchy.Namespace.Length > 0 ? w.OpenBlock($"namespace {hierarchy.Namespace}") : null;
            using (w.OpenBlock($"partial class {hierarchy.TypeName}"))
            {
                WriteToAccelerator(w);
                WriteLauncher(w);
                w.Line();
                var kernels = GpuLauncherText.Kernels(_plan).ToList();
                foreach (Activation function in _activations)
                {
                    string name = GpuActivations.Name(function);
                    kernels.Add(new GpuLauncherText.Loaded(name, "GpuKernels." + name, 2));
                    kernels.Add(new GpuLauncherText.Loaded(name + "Backward", "GpuKernels." + name + "Backward", 3));
                }
                GpuLauncherText.WriteKernelSet(w, kernels);
                w.Line();
                WriteKernels(w);
            }
            ns?.Dispose();
            return w.ToString();
        }

        private void WriteToAccelerator(IndentedTextWriter w)
        {
            w.Line("/// <summary>");
            w.Line("/// Uploads this model's parameters to <paramref name=\"accelerator\"/> and returns the launcher of its ILGPU kernels");
            w.Line($"/// ({_spec.In} → {_spec.Out}: {GpuLauncherText.Xml(string.Join(" → ", _steps.Select(StepName)))}). Dispose the launcher to free its device memory.");
            w.Line("/// </summary>");
            w.Line("/// <remarks>");
            w.Line("/// <code>");
            w.Line($"/// Forward   {GpuLauncherText.Sequence(_forward)}");
            w.Line($"/// Backward  {GpuLauncherText.Sequence(_backward)}");
            w.Line($"/// Scratch   {GpuLauncherText.Xml(GpuLauncherText.Scratch(_plan))}");
            w.Line($"/// Tiles     {GpuTiles.TileM} × {GpuTiles.TileN} × {GpuTiles.TileK} in shared memory, {GpuTiles.Threads} threads per group, {GpuTiles.BlockM} × {GpuTiles.BlockN} outputs per thread; activations one thread per element");
            w.Line("/// </code>");
            w.Line("/// </remarks>");
            w.Line("/// <param name=\"accelerator\">A CUDA, OpenCL or CPU accelerator (see <see cref=\"global::StructGen.Gpu.GpuAccelerators\"/>).</param>");
            w.Line("public GpuLauncher ToAccelerator(global::ILGPU.Runtime.Accelerator accelerator) => new GpuLauncher(this, accelerator);");
            w.Line();
        }

        private void WriteLauncher(IndentedTextWriter w)
        {
            string type = _model.Hierarchy.TypeName;
            w.Line($"/// <summary>{type} on an ILGPU accelerator: parameters and gradients in device memory, every step as kernel launches.</summary>");
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"StructGen\", \"0.1.0\")]");
            using (w.OpenBlock("public sealed class GpuLauncher : global::StructGen.Gpu.GpuModel"))
            {
                w.Line("private readonly GpuKernelSet _kernels;");
                w.Line();
                w.Line($"internal GpuLauncher({type} model, global::ILGPU.Runtime.Accelerator accelerator)");
                w.Line("    : base(model, accelerator, GpuKernels.ScratchPerRow, GpuKernels.Threads)");
                using (w.OpenBlock(null))
                {
                    w.Line("GpuKernels.CheckLayout(model);");
                    w.Line("_kernels = GpuKernelSet.For(accelerator);");
                }
                w.Line();
                w.Line("/// <inheritdoc />");
                using (w.OpenBlock("protected override void ForwardCore(global::ILGPU.ArrayView<float> input, global::ILGPU.ArrayView<float> output, int batch, global::ILGPU.ArrayView<float> scratch)"))
                {
                    w.Line("int rows = batch;");
                    w.Line("global::ILGPU.ArrayView<float> x = input, y = output, p = Parameters;");
                    GpuLauncherText.WriteScratchViews(w, _plan, _forward);
                    GpuLauncherText.WriteLaunches(w, _forward);
                }
                w.Line();
                w.Line("/// <inheritdoc />");
                using (w.OpenBlock("protected override void BackwardCore(global::ILGPU.ArrayView<float> input, global::ILGPU.ArrayView<float> outputGradient, global::ILGPU.ArrayView<float> inputGradient, int batch, global::ILGPU.ArrayView<float> scratch)"))
                {
                    w.Line("int rows = batch;");
                    w.Line("global::ILGPU.ArrayView<float> x = input, dy = outputGradient, dx = inputGradient, p = Parameters, dp = Gradients;");
                    GpuLauncherText.WriteScratchViews(w, _plan, _backward);
                    GpuLauncherText.WriteLaunches(w, _backward);
                }
            }
        }

        private void WriteKernels(IndentedTextWriter w)
        {
            w.Line("/// <summary>");
            w.Line($"/// ILGPU kernels of model {_model.Hierarchy.TypeName}, {_spec.In} → {_spec.Out}: each layer step's kernels in class <c>L{{step}}</c>");
            w.Line("/// (a composite step's operands in <c>L{step}_T0</c>, <c>L{step}_F1</c>, …) with its sizes, offsets and bias; the");
            w.Line("/// activations' element-wise kernels here. Scalar bodies (ILGPU cannot compile System.Runtime.Intrinsics).");
            w.Line("/// </summary>");
            using (w.OpenBlock("internal static class GpuKernels"))
            {
                w.Line("/// <summary>Input features.</summary>");
                w.Line($"public const int In = {_spec.In};");
                w.Line("/// <summary>Output features.</summary>");
                w.Line($"public const int Out = {_spec.Out};");
                foreach (TensorSpec t in _tensors)
                {
                    w.Line($"public const int {GpuStructure.Offset(t.Name)} = {_plan.OffsetOf(t.Name)}; // {t.Name} {t.ShapeText}");
                }
                w.Line($"public const int ParameterTotal = {_plan.ParameterTotal};");
                w.Line($"/// <summary>Scratch floats per row: {GpuLauncherText.Xml(GpuLauncherText.Scratch(_plan))}.</summary>");
                w.Line($"public const int ScratchPerRow = {_plan.ScratchPerRow};");
                w.Line($"/// <summary>Tile of C per group ({GpuTiles.TileM} × {GpuTiles.TileN}) and K-slice staged in shared memory ({GpuTiles.TileK}).</summary>");
                w.Line($"public const int TileM = {GpuTiles.TileM}, TileN = {GpuTiles.TileN}, TileK = {GpuTiles.TileK};");
                w.Line($"/// <summary>Threads per group: {GpuTiles.ThreadsM} × {GpuTiles.ThreadsN}, each owning {GpuTiles.BlockM} × {GpuTiles.BlockN} outputs of the tile.</summary>");
                w.Line($"public const int ThreadsN = {GpuTiles.ThreadsN}, Threads = {GpuTiles.Threads};");
                w.Line();
                w.Line("/// <summary>The CPU model's flat parameter layout must be the one these kernels index.</summary>");
                using (w.OpenBlock("public static void CheckLayout(global::StructGen.IStructuredModel model)"))
                {
                    w.Line("global::System.Collections.Generic.IReadOnlyList<global::StructGen.ParameterTensor> tensors = model.Tensors;");
                    var checks = new List<string> { "model.ParameterCount != ParameterTotal", $"tensors.Count != {_tensors.Count}" };
                    for (int i = 0; i < _tensors.Count; i++)
                    {
                        checks.Add($"tensors[{i}].Offset != {GpuStructure.Offset(_tensors[i].Name)}");
                    }
                    w.Line("if (" + string.Join(" || ", checks) + ")");
                    using (w.OpenBlock(null))
                    {
                        w.Line("throw new global::System.InvalidOperationException(\"The model's parameter layout differs from the one its ILGPU kernels were generated for; rebuild the project.\");");
                    }
                }
                GpuActivations.Write(w, _activations);
                GpuLauncherText.WriteNestedClasses(w, _plan);
            }
        }

        private IReadOnlyList<GpuOffset> StepOffsets(int index, LayerSpec layer)
            => GpuStructure.For(layer) is null
                ? Array.Empty<GpuOffset>()
                : layer.Tensors.Select(t => new GpuOffset(GpuStructure.Offset(t.Name), _plan.OffsetOf(Int(index) + "." + t.Name), $"{Int(index)}.{t.Name} {t.ShapeText}")).ToList();

        private string StepTitle(int i, LayerStep step) => $"step {i} of {_steps.Count}: {CompositeText.Operand(step.Layer, Int(i) + ".")}; bias {Int(i)}.bias [{step.Layer.Out}]";

        private string Input(int i) => i == 0 ? "x" : Act(i - 1);

        private static string Act(int i) => "act" + Int(i);

        private static string Gradient(int i) => "grad" + Int(i % 2);

        private static string Bias(int i) => Int(i) + ".bias";

        private static string StepClass(int i) => "L" + Int(i);

        private static string Elements(int width) => $"Tiles(rows * {Int(width)}L, GpuKernels.Threads)";

        private static string Count(int width) => $"rows * {Int(width)}";

        private static string StepName(ModelStep step) => step switch
        {
            LayerStep { Name: { } name } layer => name + " = " + layer.Layer.Describe(),
            LayerStep layer => layer.Layer.Describe(),
            ActivationStep activation => ActivationNames.Name(activation.Function),
            _ => step.Describe(),
        };

        private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
