using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using StructGen.Analyzers.Diagnostics;

namespace StructGen.Analyzers.CallSites;

/// <summary>
/// SG0022: <c>layer.Forward(x, y, batch)</c> or <c>layer.Backward(x, dy, dx, batch)</c> where the layer's sizes,
/// the batch and a buffer's length are all known at compile time and the buffer does not hold
/// <c>batch·In</c> (or <c>batch·Out</c>) floats, so the call would throw. Each invocation is looked at on its
/// own: no compilation-wide scan, and a layer's sizes are read once per type.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CallSiteLengthAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(AnalyzerDescriptors.CallSiteLength);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            // Without the runtime's types there are no layers to check.
            INamedTypeSymbol? layerInterface = start.Compilation.GetTypeByMetadataName("StructGen.IStructuredLinear");
            INamedTypeSymbol? structureAttribute = start.Compilation.GetTypeByMetadataName("StructGen.StructuredLayerAttribute");
            if (layerInterface is null || structureAttribute is null)
            {
                return;
            }
            var checker = new Checker(layerInterface, new LayerShapes(structureAttribute));
            start.RegisterOperationAction(checker.Analyze, OperationKind.Invocation);
        });
    }

    /// <summary>Which side's features each buffer parameter holds, by position.</summary>
    private enum Side
    {
        In,
        Out,
    }

    private static readonly Side[] s_forward = { Side.In, Side.Out };

    private static readonly Side[] s_backward = { Side.In, Side.Out, Side.In };

    private sealed class Checker
    {
        private readonly INamedTypeSymbol _layerInterface;
        private readonly IMethodSymbol? _forward;
        private readonly IMethodSymbol? _backward;
        private readonly IMethodSymbol? _trainingForward;
        private readonly IMethodSymbol? _trainingBackward;
        private readonly LayerShapes _shapes;

        public Checker(INamedTypeSymbol layerInterface, LayerShapes shapes)
        {
            _layerInterface = layerInterface;
            _shapes = shapes;
            _forward = Single(layerInterface, "Forward", 3);
            _backward = Single(layerInterface, "Backward", 4);
            // The training pair: the same buffers and batch, then `saved` (whose width per row the analyzer does not know).
            _trainingForward = Single(layerInterface, "Forward", 4);
            _trainingBackward = Single(layerInterface, "Backward", 5);
        }

        public void Analyze(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            IMethodSymbol method = invocation.TargetMethod;
            Side[]? sides = method.Name switch
            {
                "Forward" => s_forward,
                "Backward" => s_backward,
                _ => null,
            };
            if (sides is null || method.IsStatic || (method.Parameters.Length != sides.Length + 1 && method.Parameters.Length != sides.Length + 2))
            {
                return;
            }
            if (invocation.Instance?.Type is not INamedTypeSymbol receiver || !IsLayerMethod(receiver, method))
            {
                return;
            }
            if (_shapes.Of(receiver) is not { } shape)
            {
                return;
            }

            int batchOrdinal = sides.Length;
            IArgumentOperation? batchArgument = ArgumentFor(invocation, batchOrdinal);
            if (batchArgument?.Value.ConstantValue is not { HasValue: true, Value: int batch } || batch < 0)
            {
                return;
            }

            for (int ordinal = 0; ordinal < sides.Length; ordinal++)
            {
                if (ArgumentFor(invocation, ordinal) is not { } argument
                    || KnownLength.Of(argument.Value, context.CancellationToken) is not { } actual)
                {
                    continue;
                }
                int features = sides[ordinal] == Side.In ? shape.In : shape.Out;
                long expected = (long)batch * features;
                if (actual != expected)
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        AnalyzerDescriptors.CallSiteLength,
                        argument.Syntax.GetLocation(),
                        method.Parameters[ordinal].Name,
                        string.Format(CultureInfo.InvariantCulture, "{0}·{1} = {2}", batch, features, expected),
                        actual.ToString(CultureInfo.InvariantCulture)));
                }
            }
        }

        /// <summary>
        /// The method is <c>IStructuredLinear.Forward/Backward</c> (or its training overload, which adds <c>saved</c>)
        /// itself or the receiver's implementation of it.
        /// </summary>
        private bool IsLayerMethod(INamedTypeSymbol receiver, IMethodSymbol method)
        {
            bool training = method.Parameters.Length == (method.Name == "Forward" ? 4 : 5);
            IMethodSymbol? member = (method.Name, training) switch
            {
                ("Forward", false) => _forward,
                ("Forward", true) => _trainingForward,
                (_, false) => _backward,
                _ => _trainingBackward,
            };
            if (member is null)
            {
                return false;
            }
            if (SymbolEqualityComparer.Default.Equals(method.OriginalDefinition, member))
            {
                // Called through the interface: only a concrete receiver type says which layer it is.
                return !SymbolEqualityComparer.Default.Equals(receiver, _layerInterface) && Implements(receiver);
            }
            return Implements(receiver)
                && SymbolEqualityComparer.Default.Equals(receiver.FindImplementationForInterfaceMember(member), method);
        }

        private bool Implements(INamedTypeSymbol type)
        {
            foreach (INamedTypeSymbol implemented in type.AllInterfaces)
            {
                if (SymbolEqualityComparer.Default.Equals(implemented, _layerInterface))
                {
                    return true;
                }
            }
            return false;
        }

        private static IArgumentOperation? ArgumentFor(IInvocationOperation invocation, int ordinal)
        {
            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                if (argument.Parameter?.Ordinal == ordinal)
                {
                    return argument;
                }
            }
            return null;
        }

        private static IMethodSymbol? Single(INamedTypeSymbol type, string name, int parameters)
        {
            foreach (ISymbol member in type.GetMembers(name))
            {
                if (member is IMethodSymbol method && method.Parameters.Length == parameters)
                {
                    return method;
                }
            }
            return null;
        }
    }
}
