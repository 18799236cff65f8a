using System;
using System.Collections.Generic;

namespace StructGen.Dsl.Tests;

/// <summary>
/// Bytes a call allocates on this thread once warm. The runtime itself may allocate once on a thread
/// while the process is young (on-stack replacement, tier-1 recompilation, growth of the thread's static
/// storage when another test loads a type), and that can land in any single window of calls. A per-call
/// allocation, the thing the tests guard against, shows in every window; so the calls run in up to five
/// windows and the result is the smallest window's count, with all counts for the failure message.
/// </summary>
internal static class SteadyStateAllocation
{
    private const int Windows = 5;

    public static (long Smallest, string Windows) Measure(Action call, int callsPerWindow)
    {
        var counts = new List<long>();
        for (int window = 0; window < Windows; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < callsPerWindow; i++)
            {
                call();
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            counts.Add(allocated);
            if (allocated == 0)
            {
                break;
            }
        }
        long smallest = long.MaxValue;
        foreach (long count in counts)
        {
            smallest = Math.Min(smallest, count);
        }
        return (smallest, string.Join(", ", counts));
    }
}
