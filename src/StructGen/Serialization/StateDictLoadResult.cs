using System.Collections.Generic;

namespace StructGen.Serialization;

/// <summary>
/// What <see cref="StateDictExtensions.LoadStateDict"/> did not pair up (as torch's <c>_IncompatibleKeys</c>).
/// Both lists are empty after a successful strict load.
/// </summary>
public sealed class StateDictLoadResult
{
    internal StateDictLoadResult(IReadOnlyList<string> missingKeys, IReadOnlyList<string> unexpectedKeys)
    {
        MissingKeys = missingKeys;
        UnexpectedKeys = unexpectedKeys;
    }

    /// <summary>Keys (<c>prefix + name</c>) of layer tensors the state dict lacks; those parameters were left as they were.</summary>
    public IReadOnlyList<string> MissingKeys { get; }

    /// <summary>Keys under the prefix that name no tensor of the layer.</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; }
}
