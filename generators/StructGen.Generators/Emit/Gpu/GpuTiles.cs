namespace StructGen.Generators.Emit.Gpu;

/// <summary>
/// The tile shape of every generated ILGPU product. A group of <see cref="Threads"/> threads
/// (<see cref="ThreadsN"/> × <see cref="ThreadsM"/>) computes a <see cref="TileM"/> × <see cref="TileN"/> tile of C,
/// each thread a <see cref="BlockM"/> × <see cref="BlockN"/> register block, stepping through K in slices
/// of <see cref="TileK"/> staged in shared memory.
/// </summary>
/// <remarks>
/// 16 threads per group because ILGPU's default CPU accelerator allows no more (so the kernels run, and are
/// tested, there) and the CPU accelerator pays per thread at each barrier; a 4 × 4 register block keeps 16
/// multiply-adds per pair of shared loads. On CUDA this caps occupancy at 32 groups (512 threads) per SM:
/// a wider group is a change of these constants alone.
/// </remarks>
internal static class GpuTiles
{
    public const int ThreadsM = 4;
    public const int ThreadsN = 4;
    public const int Threads = ThreadsM * ThreadsN;
    public const int BlockM = 4;
    public const int BlockN = 4;
    public const int TileM = ThreadsM * BlockM;
    public const int TileN = ThreadsN * BlockN;
    public const int TileK = 16;
}
