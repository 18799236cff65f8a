using System.Runtime.InteropServices;
using Perfolizer.Horology;

namespace StructGen.Benchmarks.Machine;

/// <summary>
/// CPU time consumed by this process (<c>clock_gettime(CLOCK_PROCESS_CPUTIME_ID)</c>, nanoseconds) as a
/// BenchmarkDotNet clock. On a shared machine, wall time also counts the slices in which other processes
/// ran on our core; for single-threaded work, CPU time is the time the work itself took. On an idle
/// machine the two agree. <c>--wall-clock</c> switches back to BenchmarkDotNet's default clock.
/// </summary>
internal sealed partial class ProcessCpuClock : IClock
{
    private const int ClockProcessCpuTimeId = 2;

    /// <summary>The one instance.</summary>
    public static ProcessCpuClock Instance { get; } = new();

    /// <summary>Whether benchmarks and the machine-limit measurements use this clock (the default).</summary>
    public static bool InUse { get; set; } = true;

    public string Title => "Process CPU time";

    public bool IsAvailable => true;

    public Frequency Frequency => Frequency.GHz;

    public long GetTimestamp() => Nanoseconds();

    /// <summary>CPU time of the process in nanoseconds.</summary>
    public static long Nanoseconds()
    {
        clock_gettime(ClockProcessCpuTimeId, out TimeSpec time);
        return time.Seconds * 1_000_000_000L + time.Nanoseconds;
    }

    /// <summary>Seconds now on the clock the suite uses (CPU time, or wall time with <c>--wall-clock</c>).</summary>
    public static double Now() => InUse ? Nanoseconds() / 1e9 : System.Diagnostics.Stopwatch.GetTimestamp() / (double)System.Diagnostics.Stopwatch.Frequency;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc.so.6")]
    private static partial int clock_gettime(int clockId, out TimeSpec time);
}
