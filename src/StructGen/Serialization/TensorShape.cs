using System.Collections.Generic;

namespace StructGen.Serialization;

/// <summary>Element counts of shapes read from files, without overflow.</summary>
internal static class TensorShape
{
    /// <summary>
    /// Largest element count accepted: the bytes of any dtype (≤ 8 bytes each) still fit in a <see cref="long"/>.
    /// </summary>
    public const long MaxElements = long.MaxValue / 8;

    /// <summary>The product of the dimensions; false when it exceeds <see cref="MaxElements"/>. A zero dimension makes it zero whatever the others are.</summary>
    public static bool TryCountElements(IReadOnlyList<int> shape, out long count)
    {
        count = 1;
        foreach (int d in shape)
        {
            if (d == 0)
            {
                count = 0;
                return true;
            }
        }
        foreach (int d in shape)
        {
            if (count > MaxElements / d)
            {
                count = 0;
                return false;
            }
            count *= d;
        }
        return true;
    }
}
