using System;
using System.Runtime.InteropServices;

namespace StructGen.Benchmarks.Native;

/// <summary>
/// OpenBLAS (Debian's <c>libopenblas0-pthread</c>, 32-bit integers) through function pointers resolved
/// with <see cref="NativeLibrary"/>. Only the CBLAS row-major entry points the baselines use.
/// </summary>
/// <remarks>
/// OpenBLAS picks its kernel set when the library is loaded, reading <c>OPENBLAS_CORETYPE</c>;
/// <see cref="Load"/> therefore clears that variable first so the library detects the CPU itself
/// (an older forced kernel set would flatter every comparison against it).
/// </remarks>
internal static unsafe class OpenBlas
{
    /// <summary>CBLAS <c>CblasRowMajor</c>.</summary>
    public const int RowMajor = 101;

    /// <summary>CBLAS <c>CblasNoTrans</c>.</summary>
    public const int NoTrans = 111;

    /// <summary>CBLAS <c>CblasTrans</c>.</summary>
    public const int Trans = 112;

    private static readonly string[] s_candidates =
    [
        "libopenblas.so.0",
        "/lib/x86_64-linux-gnu/libopenblas.so.0",
        "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
    ];

    private static delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> s_sgemm;
    private static delegate* unmanaged<int, int, int, int, float, float*, int, float*, int, float, float*, int, void> s_sgemv;
    private static delegate* unmanaged<int, void> s_setNumThreads;
    private static delegate* unmanaged<int> s_getNumThreads;
    private static delegate* unmanaged<byte*> s_getCoreName;
    private static delegate* unmanaged<byte*> s_getConfig;

    /// <summary>The value of <c>OPENBLAS_CORETYPE</c> found (and removed) before loading; null if none.</summary>
    public static string? ClearedCoreType { get; private set; }

    /// <summary>The library name that loaded.</summary>
    public static string LibraryName { get; private set; } = "";

    /// <summary>Whether <see cref="Load"/> has run.</summary>
    public static bool IsLoaded => s_sgemm != null;

    /// <summary>Kernel set OpenBLAS chose (<c>openblas_get_corename</c>), e.g. <c>Zen</c> or <c>SkylakeX</c>.</summary>
    public static string CoreName => Marshal.PtrToStringUTF8((IntPtr)s_getCoreName()) ?? "?";

    /// <summary>Build configuration (<c>openblas_get_config</c>).</summary>
    public static string Config => (Marshal.PtrToStringUTF8((IntPtr)s_getConfig()) ?? "?").Trim();

    /// <summary>Threads OpenBLAS uses now.</summary>
    public static int Threads => s_getNumThreads();

    /// <summary>
    /// Clears <c>OPENBLAS_CORETYPE</c>, asks for one thread through the environment (so no thread pool is
    /// started), loads the library, resolves the entry points and sets one thread. Idempotent.
    /// </summary>
    public static void Load()
    {
        if (IsLoaded)
        {
            return;
        }
        ClearedCoreType = NativeEnvironment.Get("OPENBLAS_CORETYPE") ?? Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE");
        NativeEnvironment.Unset("OPENBLAS_CORETYPE");
        NativeEnvironment.Set("OPENBLAS_NUM_THREADS", "1");

        IntPtr handle = IntPtr.Zero;
        foreach (string candidate in s_candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out handle))
            {
                LibraryName = candidate;
                break;
            }
        }
        if (handle == IntPtr.Zero)
        {
            throw new DllNotFoundException(
                "libopenblas.so.0 not found; install Debian's libopenblas0-pthread (apt-get install -y libopenblas0-pthread).");
        }

        s_sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)NativeLibrary.GetExport(handle, "cblas_sgemm");
        s_sgemv = (delegate* unmanaged<int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)NativeLibrary.GetExport(handle, "cblas_sgemv");
        s_setNumThreads = (delegate* unmanaged<int, void>)NativeLibrary.GetExport(handle, "openblas_set_num_threads");
        s_getNumThreads = (delegate* unmanaged<int>)NativeLibrary.GetExport(handle, "openblas_get_num_threads");
        s_getCoreName = (delegate* unmanaged<byte*>)NativeLibrary.GetExport(handle, "openblas_get_corename");
        s_getConfig = (delegate* unmanaged<byte*>)NativeLibrary.GetExport(handle, "openblas_get_config");
        s_setNumThreads(1);
    }

    /// <summary>
    /// Row-major <c>C = alpha·op(A)·op(B) + beta·C</c>, <c>op(A)</c> <c>[m, k]</c>, <c>op(B)</c> <c>[k, n]</c>.
    /// </summary>
    public static void Sgemm(int transA, int transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
        => s_sgemm(RowMajor, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>Row-major <c>y = alpha·op(A)·x + beta·y</c> with <c>A</c> <c>[m, n]</c>.</summary>
    public static void Sgemv(int trans, int m, int n, float alpha, float* a, int lda, float* x, int incX, float beta, float* y, int incY)
        => s_sgemv(RowMajor, trans, m, n, alpha, a, lda, x, incX, beta, y, incY);
}
