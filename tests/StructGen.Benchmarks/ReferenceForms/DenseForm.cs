using StructGen.Benchmarks.Native;
using StructGen.Benchmarks.Shapes;

namespace StructGen.Benchmarks.ReferenceForms;

/// <summary>
/// Dense <c>y = x·Wᵀ</c> through OpenBLAS, the way <c>nn.Linear</c> runs it: <c>cblas_sgemm</c>, and at batch 1
/// <c>cblas_sgemv</c> (what a good dense path uses for one row). Backward: <c>dx = dy·W</c> and
/// <c>dW += dyᵀ·x</c>, two sgemms.
/// </summary>
internal sealed unsafe class DenseForm : ReferenceForm
{
    private readonly ReferenceTensor _weight;

    public DenseForm(StructureShape shape, int maxBatch)
        : base(shape, maxBatch)
    {
        _weight = AddTensor("weight", shape.Out, shape.In);
    }

    public override void Forward(float* x, float* y, int batch)
    {
        CheckBatch(batch);
        int n = Shape.In, m = Shape.Out;
        if (batch == 1)
        {
            OpenBlas.Sgemv(OpenBlas.NoTrans, m, n, 1f, _weight.Value.Pointer, n, x, 1, 0f, y, 1);
        }
        else if (batch > 1)
        {
            OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.Trans, batch, m, n, 1f, x, n, _weight.Value.Pointer, n, 0f, y, m);
        }
    }

    public override void Backward(float* x, float* dy, float* dx, int batch)
    {
        CheckBatch(batch);
        if (batch == 0)
        {
            return;
        }
        int n = Shape.In, m = Shape.Out;
        OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.NoTrans, batch, n, m, 1f, dy, m, _weight.Value.Pointer, n, 0f, dx, n);
        OpenBlas.Sgemm(OpenBlas.Trans, OpenBlas.NoTrans, m, n, batch, 1f, dy, m, x, n, 1f, _weight.Gradient.Pointer, n);
    }
}
