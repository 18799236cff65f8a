using StructGen.Benchmarks.Native;
using StructGen.Benchmarks.Shapes;

namespace StructGen.Benchmarks.ReferenceForms;

/// <summary>
/// Block diagonal as fly's <c>BlockdiagMultiply</c> runs it: <c>torch.bmm</c> over the input viewed as
/// <c>[blocks, batch, p]</c> into an output viewed the same way, so one strided sgemm per block and no copy.
/// Backward: per block <c>dx_k = dy_k·w[k]</c> and <c>dw[k] += dy_kᵀ·x_k</c>.
/// </summary>
internal sealed unsafe class BlockDiagonalForm : ReferenceForm
{
    private readonly ReferenceTensor _weight;
    private readonly int _o;
    private readonly int _p;

    public BlockDiagonalForm(StructureShape shape, int maxBatch)
        : base(shape, maxBatch)
    {
        _o = shape.Out / shape.Blocks;
        _p = shape.In / shape.Blocks;
        _weight = AddTensor("weight", shape.Blocks, _o, _p);
    }

    public override void Forward(float* x, float* y, int batch)
    {
        CheckBatch(batch);
        if (batch == 0)
        {
            return;
        }
        int n = Shape.In, m = Shape.Out, o = _o, p = _p;
        for (int k = 0; k < Shape.Blocks; k++)
        {
            OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.Trans, batch, o, p, 1f, x + k * p, n, _weight.Value.Pointer + (long)k * o * p, p, 0f, y + k * o, m);
        }
    }

    public override void Backward(float* x, float* dy, float* dx, int batch)
    {
        CheckBatch(batch);
        if (batch == 0)
        {
            return;
        }
        int n = Shape.In, m = Shape.Out, o = _o, p = _p;
        for (int k = 0; k < Shape.Blocks; k++)
        {
            long w = (long)k * o * p;
            OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.NoTrans, batch, p, o, 1f, dy + k * o, m, _weight.Value.Pointer + w, p, 0f, dx + k * p, n);
            OpenBlas.Sgemm(OpenBlas.Trans, OpenBlas.NoTrans, o, p, batch, 1f, dy + k * o, m, x + k * p, n, 1f, _weight.Gradient.Pointer + w, p);
        }
    }
}
