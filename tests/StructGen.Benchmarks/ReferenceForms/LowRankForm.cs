using StructGen.Benchmarks.Native;
using StructGen.Benchmarks.Shapes;

namespace StructGen.Benchmarks.ReferenceForms;

/// <summary>
/// Low rank as LoRA / two chained <c>nn.Linear</c> run it: <c>h = x·Aᵀ</c>, <c>y = h·Bᵀ</c> (two sgemms).
/// Backward (autograd of the two linears): <c>dB += dyᵀ·h</c>, <c>dh = dy·B</c>, <c>dA += dhᵀ·x</c>,
/// <c>dx = dh·A</c>, after recomputing <c>h</c>.
/// </summary>
internal sealed unsafe class LowRankForm : ReferenceForm
{
    private readonly ReferenceTensor _a;
    private readonly ReferenceTensor _b;
    private readonly float* _h;
    private readonly float* _dh;

    public LowRankForm(StructureShape shape, int maxBatch)
        : base(shape, maxBatch)
    {
        _a = AddTensor("A", shape.Rank, shape.In);
        _b = AddTensor("B", shape.Out, shape.Rank);
        _h = AddScratch(shape.Rank);
        _dh = AddScratch(shape.Rank);
    }

    public override void Forward(float* x, float* y, int batch)
    {
        CheckBatch(batch);
        if (batch == 0)
        {
            return;
        }
        int n = Shape.In, m = Shape.Out, r = Shape.Rank;
        OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.Trans, batch, r, n, 1f, x, n, _a.Value.Pointer, n, 0f, _h, r);
        OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.Trans, batch, m, r, 1f, _h, r, _b.Value.Pointer, r, 0f, y, m);
    }

    public override void Backward(float* x, float* dy, float* dx, int batch)
    {
        CheckBatch(batch);
        if (batch == 0)
        {
            return;
        }
        int n = Shape.In, m = Shape.Out, r = Shape.Rank;
        OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.Trans, batch, r, n, 1f, x, n, _a.Value.Pointer, n, 0f, _h, r);
        OpenBlas.Sgemm(OpenBlas.Trans, OpenBlas.NoTrans, m, r, batch, 1f, dy, m, _h, r, 1f, _b.Gradient.Pointer, r);
        OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.NoTrans, batch, r, m, 1f, dy, m, _b.Value.Pointer, r, 0f, _dh, r);
        OpenBlas.Sgemm(OpenBlas.Trans, OpenBlas.NoTrans, r, n, batch, 1f, _dh, r, x, n, 1f, _a.Gradient.Pointer, n);
        OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.NoTrans, batch, n, r, 1f, _dh, r, _a.Value.Pointer, n, 0f, dx, n);
    }
}
