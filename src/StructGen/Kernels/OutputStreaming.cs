using System.ComponentModel;

namespace StructGen.Kernels;

/// <summary>
/// When a forward writes its output around the caches. An ordinary store first reads the line it writes into the
/// cache (read for ownership), and a call's output that the caches cannot keep then costs a read and a write of
/// memory per line, and evicts the weights and activations the next tile reads. A non-temporal ("streaming") store
/// writes whole lines straight to memory instead. It pays only where the output would not have stayed in the caches
/// anyway: on the Zen 4 host (1 MB L2 per core, an L3 shared with other guests) Monarch 4096's forward at batch 256
/// (4 MB of output) took 8–10 % less time with its output permutation streamed, and was level or slower with 1–2 MB
/// of output (batch 64–128: the caller's next read would have found the output cached).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class OutputStreaming
{
    /// <summary>Floats of output (4 MB) from which a call writes it with streaming stores.</summary>
    public const long MinimumFloats = 1L << 20;

    /// <summary>Whether a call writing <paramref name="outputFloats"/> floats in all (every thread's rows) should stream them.</summary>
    public static bool Pays(long outputFloats) => outputFloats >= MinimumFloats;
}
