namespace StructGen.Benchmarks.ReferenceForms;

/// <summary>
/// The copy a PyTorch <c>.transpose(...).contiguous()</c> (or a reshape of a transposed view) makes: for
/// each of <c>count</c> consecutive matrices, <c>destination[c, r] = source[r, c]</c> with the source
/// <c>[rows, columns]</c> row-major. The reference forms pay it wherever the reference code does.
/// </summary>
internal static unsafe class Permutation
{
    public static void Transpose(float* source, float* destination, int count, int rows, int columns)
    {
        long size = (long)rows * columns;
        for (int i = 0; i < count; i++)
        {
            float* s = source + i * size;
            float* d = destination + i * size;
            for (int c = 0; c < columns; c++)
            {
                float* dc = d + (long)c * rows;
                for (int r = 0; r < rows; r++)
                {
                    dc[r] = s[(long)r * columns + c];
                }
            }
        }
    }
}
