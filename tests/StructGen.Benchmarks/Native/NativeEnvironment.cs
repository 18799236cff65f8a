using System;
using System.Runtime.InteropServices;

namespace StructGen.Benchmarks.Native;

/// <summary>
/// The process environment as native code sees it. On Unix <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// changes only the managed copy; OpenBLAS reads the C <c>environ</c> with <c>getenv</c> when it is loaded, so
/// variables meant for it must be changed here, before <see cref="OpenBlas.Load"/>.
/// </summary>
internal static partial class NativeEnvironment
{
    /// <summary>Removes <paramref name="name"/> from both the native and the managed environment.</summary>
    public static void Unset(string name)
    {
        if (unsetenv(name) != 0)
        {
            throw new InvalidOperationException($"unsetenv({name}) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
        Environment.SetEnvironmentVariable(name, null);
    }

    /// <summary>Sets <paramref name="name"/> in both the native and the managed environment.</summary>
    public static void Set(string name, string value)
    {
        if (setenv(name, value, 1) != 0)
        {
            throw new InvalidOperationException($"setenv({name}) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
        Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>The value native code would read (<c>getenv</c>), or <see langword="null"/>.</summary>
    public static string? Get(string name) => Marshal.PtrToStringUTF8(getenv(name));

    [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int unsetenv(string name);

    [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int setenv(string name, string value, int overwrite);

    [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getenv(string name);
}
