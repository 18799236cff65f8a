using StructGen.Benchmarks.Native;
using StructGen.Benchmarks.Shapes;

namespace StructGen.Benchmarks.ReferenceForms;

/// <summary>
/// Kronecker <c>Y = w1·X·w2ᵀ</c> per row (<c>X</c> = the row viewed <c>[In1, In2]</c>) as <c>torch.matmul</c>
/// runs <c>(w1 @ X) @ w2.T</c> over a batch: it folds the batch into one sgemm per factor, which needs the
/// transposed copies of <c>X</c> and of <c>w1·X</c>. Forward: copy <c>Xᵀ</c>, sgemm with <c>w1ᵀ</c>, copy
/// back, sgemm with <c>w2ᵀ</c>. Backward: <c>dw2 += dYᵀ·U</c>, <c>dU = dY·w2</c>, copy <c>dUᵀ</c>,
/// <c>dw1 += dUᵀ·Xᵀ</c>, <c>dXᵀ = dUᵀ·w1</c>, copy back (after recomputing <c>U = w1·X</c>).
/// </summary>
internal sealed unsafe class KroneckerForm : ReferenceForm
{
    private readonly ReferenceTensor _w1;
    private readonly ReferenceTensor _w2;
    private readonly int _out1, _in1, _out2, _in2;
    private readonly float* _xt;
    private readonly float* _ut;
    private readonly float* _u;
    private readonly float* _du;

    public KroneckerForm(StructureShape shape, int maxBatch)
        : base(shape, maxBatch)
    {
        (_out1, _in1, _out2, _in2) = (shape.Out1, shape.In1, shape.Out2, shape.In2);
        _w1 = AddTensor("w1", _out1, _in1);
        _w2 = AddTensor("w2", _out2, _in2);
        _xt = AddScratch((long)_in2 * _in1);
        _ut = AddScratch((long)_in2 * _out1);
        _u = AddScratch((long)_out1 * _in2);
        _du = AddScratch((long)_out1 * _in2);
    }

    public override void Forward(float* x, float* y, int batch)
    {
        CheckBatch(batch);
        if (batch == 0)
        {
            return;
        }
        FirstFactor(x, batch);
        OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.Trans, batch * _out1, _out2, _in2, 1f, _u, _in2, _w2.Value.Pointer, _in2, 0f, y, _out2);
    }

    public override void Backward(float* x, float* dy, float* dx, int batch)
    {
        CheckBatch(batch);
        if (batch == 0)
        {
            return;
        }
        FirstFactor(x, batch);
        int out1 = _out1, in1 = _in1, out2 = _out2, in2 = _in2;
        OpenBlas.Sgemm(OpenBlas.Trans, OpenBlas.NoTrans, out2, in2, batch * out1, 1f, dy, out2, _u, in2, 1f, _w2.Gradient.Pointer, in2);
        OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.NoTrans, batch * out1, in2, out2, 1f, dy, out2, _w2.Value.Pointer, in2, 0f, _du, in2);
        float* dut = _ut;
        Permutation.Transpose(_du, dut, batch, out1, in2);
        OpenBlas.Sgemm(OpenBlas.Trans, OpenBlas.NoTrans, out1, in1, batch * in2, 1f, dut, out1, _xt, in1, 1f, _w1.Gradient.Pointer, in1);
        float* dxt = _xt;
        OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.NoTrans, batch * in2, in1, out1, 1f, dut, out1, _w1.Value.Pointer, in1, 0f, dxt, in1);
        Permutation.Transpose(dxt, dx, batch, in2, in1);
    }

    // U[b] = w1·X[b], computed folded: Xᵀ copy [batch·In2, In1], times w1ᵀ, copied back to [batch, Out1, In2].
    private void FirstFactor(float* x, int batch)
    {
        Permutation.Transpose(x, _xt, batch, _in1, _in2);
        OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.Trans, batch * _in2, _out1, _in1, 1f, _xt, _in1, _w1.Value.Pointer, _in1, 0f, _ut, _out1);
        Permutation.Transpose(_ut, _u, batch, _in2, _out1);
    }
}
