using System.Numerics;
using StructGen.Benchmarks.Native;
using StructGen.Benchmarks.Shapes;

namespace StructGen.Benchmarks.ReferenceForms;

/// <summary>
/// BLAST as changwoolee/BLAST <c>BlastLinear.forward</c> runs it: <c>y = bmm(x viewed [b, batch, p], Cᵀ)</c>
/// (one strided sgemm per column block), the coupling <c>z_i = Σ_j D[i, j] ∘ y_j</c>, <c>out = bmm(z, Bᵀ)</c>
/// (one sgemm per row block) into <c>[b, batch, o]</c>, and the <c>transpose(0, 1).reshape</c> copy.
/// Backward: autograd's <c>dB</c>, <c>dz</c> per row block, the coupling's <c>dD</c> and <c>dy</c>, and
/// <c>dC</c>, <c>dx</c> per column block (after recomputing <c>y</c> and <c>z</c>).
/// </summary>
/// <remarks>
/// PyTorch evaluates the coupling as <c>(y.unsqueeze(0) * D.unsqueeze(2)).sum(1)</c>, materializing a
/// <c>[b, b, batch, r]</c> tensor (512 MB at n = 4096, batch 4096). Here it is one vectorized
/// multiply-accumulate pass with no temporary, which only makes the baseline stronger.
/// </remarks>
internal sealed unsafe class BlastForm : ReferenceForm
{
    private readonly ReferenceTensor _b;
    private readonly ReferenceTensor _c;
    private readonly ReferenceTensor _d;
    private readonly int _blocks, _o, _p, _rank;
    private readonly float* _right;
    private readonly float* _coupled;
    private readonly float* _out;
    private readonly float* _dCoupled;
    private readonly float* _dRight;

    public BlastForm(StructureShape shape, int maxBatch)
        : base(shape, maxBatch)
    {
        _blocks = shape.Blocks;
        _rank = shape.Rank;
        _o = shape.Out / _blocks;
        _p = shape.In / _blocks;
        _b = AddTensor("B", _blocks, _o, _rank);
        _c = AddTensor("C", _blocks, _rank, _p);
        _d = AddTensor("D", _blocks, _blocks, _rank);
        _right = AddScratch((long)_blocks * _rank);
        _coupled = AddScratch((long)_blocks * _rank);
        _out = AddScratch(shape.Out);
        _dCoupled = AddScratch((long)_blocks * _rank);
        _dRight = AddScratch((long)_blocks * _rank);
    }

    public override void Forward(float* x, float* y, int batch)
    {
        CheckBatch(batch);
        if (batch == 0)
        {
            return;
        }
        RightFactorsAndCoupling(x, batch);
        int blocks = _blocks, o = _o, rank = _rank;
        for (int i = 0; i < blocks; i++)
        {
            OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.Trans, batch, o, rank, 1f, _coupled + (long)i * batch * rank, rank, _b.Value.Pointer + (long)i * o * rank, rank, 0f, _out + (long)i * batch * o, o);
        }
        // out.transpose(0, 1).reshape(batch, Out): y[b, i·o + o'] = out[i, b, o'].
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < blocks; i++)
            {
                new System.Span<float>(_out + ((long)i * batch + b) * o, o).CopyTo(new System.Span<float>(y + (long)b * Shape.Out + i * o, o));
            }
        }
    }

    public override void Backward(float* x, float* dy, float* dx, int batch)
    {
        CheckBatch(batch);
        if (batch == 0)
        {
            return;
        }
        RightFactorsAndCoupling(x, batch);
        int blocks = _blocks, o = _o, p = _p, rank = _rank, n = Shape.In, m = Shape.Out;
        long slab = (long)batch * rank;
        for (int i = 0; i < blocks; i++)
        {
            long w = (long)i * o * rank;
            OpenBlas.Sgemm(OpenBlas.Trans, OpenBlas.NoTrans, o, rank, batch, 1f, dy + i * o, m, _coupled + i * slab, rank, 1f, _b.Gradient.Pointer + w, rank);
            OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.NoTrans, batch, rank, o, 1f, dy + i * o, m, _b.Value.Pointer + w, rank, 0f, _dCoupled + i * slab, rank);
        }
        // Coupling backward: dD[i, j] += Σ_b dz[i, b] ∘ y[j, b]; dy[j, b] = Σ_i D[i, j] ∘ dz[i, b]
        // (y: the right factors' products, z: the coupled vectors, as BlastLinear names them).
        float* d = _d.Value.Pointer, dd = _d.Gradient.Pointer;
        for (int i = 0; i < blocks; i++)
        {
            for (int j = 0; j < blocks; j++)
            {
                float* dIJ = dd + ((long)i * blocks + j) * rank;
                for (int b = 0; b < batch; b++)
                {
                    MultiplyAdd(_dCoupled + i * slab + (long)b * rank, _right + j * slab + (long)b * rank, dIJ, rank);
                }
            }
        }
        new System.Span<float>(_dRight, checked((int)(blocks * slab))).Clear();
        for (int j = 0; j < blocks; j++)
        {
            for (int i = 0; i < blocks; i++)
            {
                float* dIJ = d + ((long)i * blocks + j) * rank;
                for (int b = 0; b < batch; b++)
                {
                    MultiplyAdd(dIJ, _dCoupled + i * slab + (long)b * rank, _dRight + j * slab + (long)b * rank, rank);
                }
            }
        }
        for (int j = 0; j < blocks; j++)
        {
            long w = (long)j * rank * p;
            OpenBlas.Sgemm(OpenBlas.Trans, OpenBlas.NoTrans, rank, p, batch, 1f, _dRight + j * slab, rank, x + j * p, n, 1f, _c.Gradient.Pointer + w, p);
            OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.NoTrans, batch, p, rank, 1f, _dRight + j * slab, rank, _c.Value.Pointer + w, p, 0f, dx + j * p, n);
        }
    }

    // y_j = x_j·C[j]ᵀ into [b, batch, r]; z_i = Σ_j D[i, j] ∘ y_j into [b, batch, r].
    private void RightFactorsAndCoupling(float* x, int batch)
    {
        int blocks = _blocks, p = _p, rank = _rank, n = Shape.In;
        long slab = (long)batch * rank;
        for (int j = 0; j < blocks; j++)
        {
            OpenBlas.Sgemm(OpenBlas.NoTrans, OpenBlas.Trans, batch, rank, p, 1f, x + j * p, n, _c.Value.Pointer + (long)j * rank * p, p, 0f, _right + j * slab, rank);
        }
        new System.Span<float>(_coupled, checked((int)(blocks * slab))).Clear();
        float* d = _d.Value.Pointer;
        for (int i = 0; i < blocks; i++)
        {
            for (int j = 0; j < blocks; j++)
            {
                float* dIJ = d + ((long)i * blocks + j) * rank;
                for (int b = 0; b < batch; b++)
                {
                    MultiplyAdd(dIJ, _right + j * slab + (long)b * rank, _coupled + i * slab + (long)b * rank, rank);
                }
            }
        }
    }

    // accumulator[t] += a[t]·b[t] for t < length.
    private static void MultiplyAdd(float* a, float* b, float* accumulator, int length)
    {
        int t = 0;
        for (; t + Vector<float>.Count <= length; t += Vector<float>.Count)
        {
            var sum = Vector.Load(accumulator + t) + Vector.Load(a + t) * Vector.Load(b + t);
            sum.Store(accumulator + t);
        }
        for (; t < length; t++)
        {
            accumulator[t] += a[t] * b[t];
        }
    }
}
