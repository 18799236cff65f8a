using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace StructGen.Analyzers.CallSites;

/// <summary>
/// The number of elements a buffer expression has when the source says so without running anything:
/// <c>new float[N]</c>, array initializers, <c>stackalloc</c>, collection expressions, <c>AsSpan</c>/<c>Slice</c>
/// with constant arguments, and locals initialized so and never written again. Anything else is unknown
/// (null): the analyzer warns only where it is certain.
/// </summary>
internal static class KnownLength
{
    /// <summary>How many locals deep the analysis follows initializers (<c>var a = new float[8]; Span&lt;float&gt; s = a;</c>).</summary>
    private const int MaxDepth = 8;

    public static long? Of(IOperation value, CancellationToken cancellationToken) => Of(value, MaxDepth, cancellationToken);

    private static long? Of(IOperation? value, int depth, CancellationToken cancellationToken)
    {
        value = Unwrap(value);
        if (value is null || depth < 0)
        {
            return null;
        }

        // stackalloc and collection expressions have no stable IOperation shape across Roslyn versions; read their syntax.
        if (FromSyntax(value, cancellationToken) is { } fromSyntax)
        {
            return fromSyntax;
        }

        switch (value)
        {
            case IArrayCreationOperation { DimensionSizes.Length: 1 } array:
                if (array.DimensionSizes[0].ConstantValue is { HasValue: true, Value: int size })
                {
                    return size;
                }
                return array.Initializer is { } initializer ? initializer.ElementValues.Length : null;

            case ILocalReferenceOperation { IsDeclaration: false } local:
                return OfLocal(local, depth, cancellationToken);

            case IInvocationOperation invocation:
                return OfSlice(invocation, depth, cancellationToken);

            case IObjectCreationOperation creation:
                return OfSpanConstructor(creation, depth, cancellationToken);

            default:
                return null;
        }
    }

    /// <summary>Looks through implicit conversions (array → span, span → read-only span) and parentheses.</summary>
    private static IOperation? Unwrap(IOperation? value)
    {
        while (true)
        {
            switch (value)
            {
                case IConversionOperation conversion when conversion.Operand.Type is null or IArrayTypeSymbol || IsSpan(conversion.Operand.Type as INamedTypeSymbol):
                    value = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    value = parenthesized.Operand;
                    break;
                default:
                    return value;
            }
        }
    }

    private static long? FromSyntax(IOperation value, CancellationToken cancellationToken)
    {
        SyntaxNode syntax = value.Syntax;
        while (syntax is ParenthesizedExpressionSyntax parenthesized)
        {
            syntax = parenthesized.Expression;
        }
        switch (syntax)
        {
            case StackAllocArrayCreationExpressionSyntax stackAlloc:
                if (stackAlloc.Type is ArrayTypeSyntax { RankSpecifiers.Count: 1 } arrayType
                    && arrayType.RankSpecifiers[0].Sizes.Count == 1
                    && arrayType.RankSpecifiers[0].Sizes[0] is var size
                    && !size.IsKind(SyntaxKind.OmittedArraySizeExpression))
                {
                    return value.SemanticModel?.GetConstantValue(size, cancellationToken) is { HasValue: true, Value: int n } ? n : null;
                }
                return stackAlloc.Initializer?.Expressions.Count;

            case ImplicitStackAllocArrayCreationExpressionSyntax implicitStackAlloc:
                return implicitStackAlloc.Initializer.Expressions.Count;

            case CollectionExpressionSyntax collection:
                // A spread (`..other`) has a length we do not follow.
                foreach (CollectionElementSyntax element in collection.Elements)
                {
                    if (element is not ExpressionElementSyntax)
                    {
                        return null;
                    }
                }
                return collection.Elements.Count;

            default:
                return null;
        }
    }

    /// <summary>
    /// A local counts when it is initialized at its declaration and nothing in the member can write it
    /// afterwards: no assignment, <c>ref</c>/<c>out</c> argument, deconstruction or <c>ref</c> taken to it.
    /// Only the operation tree of the member that uses it is read.
    /// </summary>
    private static long? OfLocal(ILocalReferenceOperation use, int depth, CancellationToken cancellationToken)
    {
        ILocalSymbol local = use.Local;
        if (local.IsRef)
        {
            return null;
        }
        IOperation root = use;
        while (root.Parent is { } parent)
        {
            root = parent;
        }

        IOperation? initializer = null;
        foreach (IOperation operation in root.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (operation is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local))
            {
                initializer = declarator.GetVariableInitializer()?.Value;
                continue;
            }
            if (operation is ILocalReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                && IsWrite(reference))
            {
                return null;
            }
        }
        return initializer is null ? null : Of(initializer, depth - 1, cancellationToken);
    }

    private static bool IsWrite(ILocalReferenceOperation reference)
    {
        if (reference.IsDeclaration || reference.Syntax.Parent is RefExpressionSyntax)
        {
            return true;
        }
        return reference.Parent switch
        {
            IAssignmentOperation assignment => assignment.Target == reference,
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } => true,
            ITupleOperation => true,
            IIncrementOrDecrementOperation => true,
            _ => false,
        };
    }

    /// <summary><c>array.AsSpan(start, length)</c>, <c>span.Slice(start, length)</c> and their one- and zero-argument forms.</summary>
    private static long? OfSlice(IInvocationOperation invocation, int depth, CancellationToken cancellationToken)
    {
        IMethodSymbol method = invocation.TargetMethod;
        bool asSpan = method.Name == "AsSpan" && method.IsExtensionMethod
            && method.ContainingType is { Name: "MemoryExtensions" } extensions
            && extensions.ContainingNamespace?.ToDisplayString() == "System";
        bool slice = method.Name == "Slice" && !method.IsStatic && IsSpan(method.ContainingType);
        if (!asSpan && !slice)
        {
            return null;
        }

        IOperation? source = slice ? invocation.Instance : null;
        IOperation? start = null, length = null;
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter)
            {
                return null;
            }
            if (asSpan && parameter.Ordinal == 0)
            {
                source = argument.Value;
                continue;
            }
            if (parameter.Type.SpecialType != SpecialType.System_Int32)
            {
                // Index and Range overloads: not followed.
                return null;
            }
            if (parameter.Name == "start")
            {
                start = argument.Value;
            }
            else if (parameter.Name == "length")
            {
                length = argument.Value;
            }
            else
            {
                return null;
            }
        }

        if (length is not null)
        {
            return length.ConstantValue is { HasValue: true, Value: int n } ? n : null;
        }
        long? whole = Of(source, depth, cancellationToken);
        if (start is null)
        {
            return whole;
        }
        return whole is { } total && start.ConstantValue is { HasValue: true, Value: int offset } ? total - offset : null;
    }

    /// <summary><c>new Span&lt;float&gt;(array)</c> and <c>new Span&lt;float&gt;(array, start, length)</c>.</summary>
    private static long? OfSpanConstructor(IObjectCreationOperation creation, int depth, CancellationToken cancellationToken)
    {
        if (!IsSpan(creation.Type as INamedTypeSymbol) || creation.Arguments.Length is not (1 or 3))
        {
            return null;
        }
        if (creation.Arguments[0].Value.Type is not IArrayTypeSymbol)
        {
            return null;
        }
        if (creation.Arguments.Length == 1)
        {
            return Of(creation.Arguments[0].Value, depth, cancellationToken);
        }
        IArgumentOperation? lengthArgument = null;
        foreach (IArgumentOperation argument in creation.Arguments)
        {
            if (argument.Parameter?.Name == "length")
            {
                lengthArgument = argument;
            }
        }
        return lengthArgument?.Value.ConstantValue is { HasValue: true, Value: int n } ? n : null;
    }

    private static bool IsSpan(INamedTypeSymbol? type)
        => type is { Name: "Span" or "ReadOnlySpan", Arity: 1 }
           && type.ContainingNamespace?.ToDisplayString() == "System";
}
