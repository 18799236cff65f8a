using StructGen.Benchmarks.Native;
using StructGen.Benchmarks.Shapes;

namespace StructGen.Benchmarks.ReferenceForms;

/// <summary>
/// Monarch as fly's <c>blockdiag_butterfly_multiply</c> runs it (the autograd <c>Function</c> with its own
/// backward). Forward: bmm over <c>x</c> viewed <c>[k, batch, p]</c> (one strided sgemm per block), the
/// Monarch permutation as a copy (<c>reshape(batch, r, l).transpose(-1, -2).contiguous()</c>), the second bmm,
/// and the output copy (<c>permute(1, 2, 0).reshape</c>). Backward: the <c>dout</c> copy, <c>dw2 = bmm(doutᵀ, out1)</c>,
/// <c>dout1 = bmm(dout, w2)</c>, its copy back to <c>[k, batch, q]</c>, <c>dx = bmm(dout1, w1)</c>,
/// <c>dw1 = bmm(dout1ᵀ, x)</c>, after recomputing <c>out1</c> (which fly saves in the forward pass).
/// </summary>
internal sealed unsafe class MonarchForm : ReferenceForm
{
    private readonly ReferenceTensor _w1;
    private readonly ReferenceTensor _w2;
    private readonly int _k, _q, _p, _l, _s, _r;
    private readonly float* _u;
    private readonly float* _v;
    private readonly float* _z;
    private readonly float* _dv;

    public MonarchForm(StructureShape shape, int maxBatch)
        : base(shape, maxBatch)
    {
        (_k, _q, _p) = shape.MonarchFirst;
        (_l, _s, _r) = shape.MonarchSecond;
        _w1 = AddTensor("blkdiag1", _k, _q, _p);
        _w2 = AddTensor("blkdiag2", _l, _s, _r);
        _u = AddScratch((long)_k * _q);
        _v = AddScratch((long)_l * _r);
        _z = AddScratch((long)_l * _s);
        _dv = AddScratch((long)_l * _r);
    }

    public override void Forward(float* x, float* y, int batch)
    {
        CheckBatch(batch);
        if (batch == 0)
        {
            return;
        }
        FirstFactorAndPermutation(x, batch);
        int l = _l, s = _s, r = _r;
        float* w2 = _w2.Value.Pointer;
        for (int j = 0; j < l; j++)
        {
            OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.Trans, batch, s, r, 1f, _v + j * r, l * r, w2 + (long)j * s * r, r, 0f, _z + j * s, l * s);
        }
        // out2.permute(1, 2, 0).reshape(batch, s·l): y[b, s'·l + l'] = z[b, l', s'].
        Permutation.Transpose(_z, y, batch, l, s);
    }

    public override void Backward(float* x, float* dy, float* dx, int batch)
    {
        CheckBatch(batch);
        if (batch == 0)
        {
            return;
        }
        FirstFactorAndPermutation(x, batch);
        int k = _k, q = _q, p = _p, l = _l, s = _s, r = _r, n = Shape.In;
        float* w1 = _w1.Value.Pointer, w2 = _w2.Value.Pointer;
        float* dz = _z; // dout.reshape(batch, s, l).transpose(-1, -2).contiguous(): [batch, l, s]
        Permutation.Transpose(dy, dz, batch, s, l);
        for (int j = 0; j < l; j++)
        {
            long w = (long)j * s * r;
            OpenBlas.Sgemm(OpenBlas.Trans, OpenBlas.NoTrans, s, r, batch, 1f, dz + j * s, l * s, _v + j * r, l * r, 1f, _w2.Gradient.Pointer + w, r);
            OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.NoTrans, batch, r, s, 1f, dz + j * s, l * s, w2 + w, r, 0f, _dv + j * r, l * r);
        }
        float* du = _u; // dout1.transpose(0, 1).transpose(-1, -2).contiguous(): [batch, r, l] = [batch, k, q]
        Permutation.Transpose(_dv, du, batch, l, r);
        for (int i = 0; i < k; i++)
        {
            long w = (long)i * q * p;
            OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.NoTrans, batch, p, q, 1f, du + i * q, k * q, w1 + w, p, 0f, dx + i * p, n);
            OpenBlas.Sgemm(OpenBlas.Trans, OpenBlas.NoTrans, q, p, batch, 1f, du + i * q, k * q, x + i * p, n, 1f, _w1.Gradient.Pointer + w, p);
        }
    }

    // out1 = bmm(x viewed [k, batch, p], w1ᵀ) into [batch, k, q], then the Monarch permutation copy
    // out1.reshape(batch, r, l).transpose(-1, -2).contiguous(): v[b, l', r'] = u[b, r'·l + l'].
    private void FirstFactorAndPermutation(float* x, int batch)
    {
        int k = _k, q = _q, p = _p, n = Shape.In;
        float* w1 = _w1.Value.Pointer;
        for (int i = 0; i < k; i++)
        {
            OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.Trans, batch, q, p, 1f, x + i * p, n, w1 + (long)i * q * p, p, 0f, _u + i * q, k * q);
        }
        Permutation.Transpose(_u, _v, batch, _r, _l);
    }
}
