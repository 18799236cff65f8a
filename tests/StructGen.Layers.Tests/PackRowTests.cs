using System;
using StructGen.Kernels;

namespace StructGen.Layers.Tests;

/// <summary>
/// The row copy that the generated products pack their operands with: every count from 0 to past the widest
/// vector's multiples (so each vector width and the scalar tail run), at source and destination offsets that are not
/// vector-aligned, copies exactly <c>count</c> floats and touches nothing after them.
/// </summary>
public class PackRowTests
{
    [Fact]
    public void Copies_exactly_count_floats_at_every_count_and_offset()
    {
        var source = new float[120];
        for (int i = 0; i < source.Length; i++)
        {
            source[i] = i + 1;
        }
        for (int count = 0; count <= 70; count++)
        {
            foreach (int offset in new[] { 0, 3 })
            {
                var destination = new float[100];
                destination.AsSpan().Fill(-1f);
                PackRow.Copy(ref source[offset + 5], ref destination[offset], count);
                for (int i = 0; i < destination.Length; i++)
                {
                    float expected = i >= offset && i < offset + count ? source[i + 5] : -1f;
                    Assert.True(expected == destination[i], $"count {count}, offset {offset}: destination[{i}] = {destination[i]}, expected {expected}");
                }
            }
        }
    }
}
