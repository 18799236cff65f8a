#!/usr/bin/python3
"""PyTorch as the peer of the StructGen benchmark suite (issue 9).

Times the suite's shapes the way the public reference code computes them on one CPU core, forward and
forward+backward, at batch 1, 16 and 256, and prints the medians as a table and as JSON. Given the JSON
reports of a BenchmarkDotNet run (--structgen DIR), it also prints StructGen time over PyTorch time and the
C# reference form's time over PyTorch time (how faithful that baseline is).

    /usr/bin/python3 tests/StructGen.Benchmarks/torch_peer.py [--quick] [--wall-clock] [--json FILE]
        [--structgen tests/StructGen.Benchmarks/bin/Release/net10.0/BenchmarkDotNet.Artifacts/results]

Forms (../shared/STRUCTURES.md names and layouts):
  dense       nn.Linear(n, n, bias=False)
  monarch     fly's blockdiag_butterfly_multiply: an autograd Function with bmm, the permutation copies
              and its own backward (written here from the algorithm)
  blockdiag   fly's BlockdiagMultiply: bmm over strided views, its own backward
  lowrank     two chained nn.Linear (LoRA's lora_A, lora_B)
  kronecker   (w1 @ X) @ w2.T over the batch, X the input viewed [In1, In2]: torch.matmul folds the batch
  blast       changwoolee/BLAST BlastLinear.forward: bmm with C, (y[None] * D[:, :, None]).sum(1), bmm with B

One thread: OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=MKL_NUM_THREADS=1 before torch loads, and
torch.set_num_threads(1). OPENBLAS_CORETYPE is removed before torch loads so OpenBLAS detects the CPU,
as the C# suite does. Timing uses process CPU time by default (the C# suite's clock on this shared
machine); --wall-clock uses perf_counter.
"""

import argparse
import ctypes
import glob
import json
import math
import os
import statistics
import sys
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
CLEARED_CORETYPE = os.environ.pop("OPENBLAS_CORETYPE", None)

import torch  # noqa: E402  (after the environment is fixed)
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(1)
torch.set_num_interop_threads(1)

BATCHES = (1, 16, 256)
SIZES = (1024, 4096)


def openblas_core():
    """Kernel set of the OpenBLAS that torch loaded (libblas.so.3 is OpenBLAS through alternatives)."""
    for name in ("libblas.so.3", "libopenblas.so.0"):
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return f"{name}: {lib.openblas_get_corename().decode()}"
        except (OSError, AttributeError):
            continue
    return "unknown"


# --------------------------------------------------------------------------------------------------------
# Shapes: the same catalog as Shapes/StructureShape.cs.

def shape_of(kind, n):
    root = int(round(math.sqrt(n)))
    return {
        "dense": dict(),
        "monarch": dict(blocks=root),
        "lowrank": dict(rank=64),
        "lowrank_wide": dict(rank=n // 16),
        "kronecker": dict(in1=root, out1=root),
        "blast": dict(blocks=16, rank=32 if n == 1024 else n // 32),
        "blockdiag": dict(blocks=16),
    }[kind]


def describe(kind, n):
    s = shape_of(kind, n)
    return {
        "dense": f"dense {n}",
        "monarch": f"monarch(blocks: {s.get('blocks')}) {n}",
        "lowrank": f"lowrank(r: {s.get('rank')}) {n}",
        "lowrank_wide": f"lowrank(r: {s.get('rank')}) {n}",
        "kronecker": f"kronecker({s.get('out1')}x{s.get('in1')}, {n // max(1, s.get('out1', 1))}x{n // max(1, s.get('in1', 1))}) {n}",
        "blast": f"blast(blocks: {s.get('blocks')}, r: {s.get('rank')}) {n}",
        "blockdiag": f"blockdiag(blocks: {s.get('blocks')}) {n}",
    }[kind]


def kinds_at(n):
    kinds = ["dense", "monarch", "lowrank", "kronecker", "blast", "blockdiag"]
    if n != 1024:
        kinds.insert(3, "lowrank_wide")
    return kinds


# --------------------------------------------------------------------------------------------------------
# The reference forms.

class ButterflyMultiply(torch.autograd.Function):
    """Monarch, fly's "version 2": x [batch, k*p], w1 [k, q, p], w2 [l, s, r] with l*r == k*q."""

    @staticmethod
    def forward(ctx, x, w1, w2):
        batch, n = x.shape
        k, q, p = w1.shape
        l, s, r = w2.shape
        xk = x.reshape(batch, k, p).transpose(0, 1)                               # [k, batch, p] view
        out1 = torch.empty(batch, k, q, dtype=x.dtype).transpose(0, 1)            # [k, batch, q] view
        out1 = torch.bmm(xk, w1.transpose(-1, -2), out=out1)
        out1 = out1.transpose(0, 1).reshape(batch, r, l).transpose(-1, -2).contiguous().transpose(0, 1)  # [l, batch, r]
        out2 = torch.empty(batch, l, s, dtype=x.dtype).transpose(0, 1)            # [l, batch, s] view
        out2 = torch.bmm(out1, w2.transpose(-1, -2), out=out2)
        ctx.save_for_backward(x, w1, w2, out1)
        return out2.permute(1, 2, 0).reshape(batch, s * l)

    @staticmethod
    def backward(ctx, dout):
        x, w1, w2, out1 = ctx.saved_tensors
        batch, n = x.shape
        k, q, p = w1.shape
        l, s, r = w2.shape
        dout_r = dout.reshape(batch, s, l).transpose(-1, -2).contiguous().transpose(0, 1)  # [l, batch, s]
        dw2 = torch.bmm(dout_r.transpose(-1, -2), out1)                                      # [l, s, r]
        dout1 = torch.empty(batch, l, r, dtype=x.dtype).transpose(0, 1)
        dout1 = torch.bmm(dout_r, w2, out=dout1)                                             # [l, batch, r]
        dout1 = dout1.transpose(0, 1).transpose(-1, -2).contiguous().reshape(batch, k, q).transpose(0, 1)
        dx = torch.empty(batch, k, p, dtype=x.dtype)
        dx = torch.bmm(dout1, w1, out=dx.transpose(0, 1)).transpose(0, 1).reshape(batch, n)
        dw1 = torch.bmm(dout1.transpose(-1, -2), x.reshape(batch, k, p).transpose(0, 1))
        return dx, dw1, dw2


class BlockdiagMultiply(torch.autograd.Function):
    """Block diagonal, fly's BlockdiagMultiply: x [batch, k*p], w [k, q, p]."""

    @staticmethod
    def forward(ctx, x, w):
        ctx.save_for_backward(x, w)
        batch, n = x.shape
        k, q, p = w.shape
        xk = x.reshape(batch, k, p).transpose(0, 1)
        out = torch.empty(batch, k, q, dtype=x.dtype).transpose(0, 1)
        out = torch.bmm(xk, w.transpose(-1, -2), out=out).transpose(0, 1)
        return out.reshape(batch, k * q)

    @staticmethod
    def backward(ctx, dout):
        x, w = ctx.saved_tensors
        batch, n = x.shape
        k, q, p = w.shape
        dout_r = dout.reshape(batch, k, q).transpose(0, 1)
        dx = torch.empty(batch, k, p, dtype=x.dtype)
        dx = torch.bmm(dout_r, w, out=dx.transpose(0, 1)).transpose(0, 1).reshape(batch, n)
        dw = torch.bmm(dout_r.transpose(-1, -2), x.reshape(batch, k, p).transpose(0, 1))
        return dx, dw


class Monarch(nn.Module):
    def __init__(self, n, blocks):
        super().__init__()
        p = n // blocks
        self.blkdiag1 = nn.Parameter(torch.empty(blocks, p, p).uniform_(-1, 1) / math.sqrt(p))
        self.blkdiag2 = nn.Parameter(torch.empty(blocks, p, p).uniform_(-1, 1) / math.sqrt(p))

    def forward(self, x):
        return ButterflyMultiply.apply(x, self.blkdiag1, self.blkdiag2)


class BlockDiagonal(nn.Module):
    def __init__(self, n, blocks):
        super().__init__()
        p = n // blocks
        self.weight = nn.Parameter(torch.empty(blocks, p, p).uniform_(-1, 1) / math.sqrt(p))

    def forward(self, x):
        return BlockdiagMultiply.apply(x, self.weight)


class LowRank(nn.Module):
    def __init__(self, n, rank):
        super().__init__()
        self.lora_A = nn.Linear(n, rank, bias=False)
        self.lora_B = nn.Linear(rank, n, bias=False)

    def forward(self, x):
        return self.lora_B(self.lora_A(x))


class Kronecker(nn.Module):
    def __init__(self, n, in1, out1):
        super().__init__()
        self.in1, self.in2 = in1, n // in1
        self.w1 = nn.Parameter(torch.empty(out1, in1).uniform_(-1, 1) / math.sqrt(in1))
        self.w2 = nn.Parameter(torch.empty(n // out1, n // in1).uniform_(-1, 1) / math.sqrt(n // in1))

    def forward(self, x):
        X = x.reshape(x.shape[0], self.in1, self.in2)
        return torch.matmul(torch.matmul(self.w1, X), self.w2.t()).reshape(x.shape[0], -1)


class Blast(nn.Module):
    def __init__(self, n, blocks, rank):
        super().__init__()
        self.blocks = blocks
        p = n // blocks
        self.B = nn.Parameter(torch.empty(blocks, p, rank).uniform_(-1, 1) / math.sqrt(rank))
        self.C = nn.Parameter(torch.empty(blocks, rank, p).uniform_(-1, 1) / math.sqrt(p))
        self.D = nn.Parameter(torch.empty(blocks, blocks, rank).uniform_(-1, 1) / math.sqrt(rank))

    def forward(self, x):
        batch, n = x.shape
        x = x.view(batch, self.blocks, n // self.blocks).transpose(0, 1)
        y = torch.bmm(x, self.C.transpose(1, 2))
        z = (y.unsqueeze(0) * self.D.unsqueeze(2)).sum(1)
        out = torch.bmm(z, self.B.transpose(1, 2))
        return out.transpose(0, 1).reshape(batch, -1)


def build(kind, n):
    s = shape_of(kind, n)
    if kind == "dense":
        return nn.Linear(n, n, bias=False)
    if kind == "monarch":
        return Monarch(n, s["blocks"])
    if kind in ("lowrank", "lowrank_wide"):
        return LowRank(n, s["rank"])
    if kind == "kronecker":
        return Kronecker(n, s["in1"], s["out1"])
    if kind == "blast":
        return Blast(n, s["blocks"], s["rank"])
    if kind == "blockdiag":
        return BlockDiagonal(n, s["blocks"])
    raise ValueError(kind)


def check(module, kind, n):
    """The module must compute x·Wᵀ of its dense reconstruction (STRUCTURES.md formulas)."""
    with torch.no_grad():
        eye = torch.eye(n)
        w = module(eye).t()  # column j of W is module(e_j)
        x = torch.randn(3, n)
        err = (module(x) - x @ w.t()).abs().max() / (x @ w.t()).abs().max()
    assert err < 1e-4, (kind, n, float(err))


# --------------------------------------------------------------------------------------------------------
# Timing.

def median_seconds(fn, clock, min_reps=5, max_reps=60, budget=0.4):
    for _ in range(3):
        fn()
    times = []
    start_all = clock()
    while len(times) < min_reps or (len(times) < max_reps and clock() - start_all < budget):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return statistics.median(times)


def measure(kind, n, batch, clock):
    torch.manual_seed(n + batch)
    module = build(kind, n)
    if batch == 1 and n == 1024:
        check(module, kind, n)
    x = torch.randn(batch, n)
    dy = torch.randn(batch, n)

    def forward():
        with torch.no_grad():
            module(x)

    xg = x.clone().requires_grad_(True)

    def forward_backward():
        for prm in module.parameters():
            prm.grad = None
        xg.grad = None
        module(xg).backward(dy)

    return median_seconds(forward, clock), median_seconds(forward_backward, clock)


# --------------------------------------------------------------------------------------------------------
# StructGen side by side: BenchmarkDotNet's JSON reports.

BDN_TYPES = {
    "MonarchBenchmark": "monarch", "LowRankBenchmark": "lowrank", "LowRankWideBenchmark": "lowrank_wide",
    "KroneckerBenchmark": "kronecker", "BlastBenchmark": "blast", "BlockDiagonalBenchmark": "blockdiag",
}


def read_bdn(directory):
    """{(kind, n, batch, method): median seconds} from *-report-brief.json files."""
    found = {}
    for path in glob.glob(os.path.join(directory, "*-report-brief.json")):
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
        for b in report.get("Benchmarks", []):
            kind = BDN_TYPES.get(b.get("Type"))
            stats = b.get("Statistics") or {}
            if kind is None or "Median" not in stats:
                continue
            params = dict(kv.split("=") for kv in b.get("Parameters", "").split("&") if "=" in kv)
            key = (kind, int(params["N"]), int(params["Batch"]), b["Method"])
            found[key] = stats["Median"] / 1e9
            if b["Method"].startswith("Dense"):
                found[("dense", int(params["N"]), int(params["Batch"]), b["Method"])] = stats["Median"] / 1e9
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="batch 256 only at n = 1024 (like the C# --quick, smaller)")
    parser.add_argument("--wall-clock", action="store_true", help="time with perf_counter instead of process CPU time")
    parser.add_argument("--json", help="also write the results to this JSON file")
    parser.add_argument("--structgen", help="BenchmarkDotNet results folder: print StructGen / PyTorch ratios")
    parser.add_argument("--sizes", default="1024,4096")
    args = parser.parse_args()
    clock = time.perf_counter if args.wall_clock else time.process_time

    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread, OpenBLAS {openblas_core()}; "
          f"OPENBLAS_CORETYPE {'was ' + repr(CLEARED_CORETYPE) + ', cleared' if CLEARED_CORETYPE else 'not set'}; "
          f"clock: {'wall' if args.wall_clock else 'process CPU time'}")
    results = []
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'structure':<36} {'batch':>5} {'forward':>12} {'fwd+bwd':>12}")
    for n in sizes:
        for kind in kinds_at(n):
            for batch in BATCHES:
                if args.quick and batch == 256 and n != 1024:
                    continue
                fwd, fwdbwd = measure(kind, n, batch, clock)
                results.append(dict(structure=kind, label=describe(kind, n), n=n, batch=batch,
                                    forward_us=fwd * 1e6, forward_backward_us=fwdbwd * 1e6))
                print(f"{describe(kind, n):<36} {batch:>5} {fwd * 1e6:>10.1f}us {fwdbwd * 1e6:>10.1f}us", flush=True)

    print()
    print("| structure | batch | PyTorch fwd | PyTorch fwd+bwd |")
    print("|---|---:|---:|---:|")
    for r in results:
        print(f"| {r['label']} | {r['batch']} | {r['forward_us']:.1f} µs | {r['forward_backward_us']:.1f} µs |")

    if args.structgen:
        bdn = read_bdn(args.structgen)
        print()
        print("Time over PyTorch time (below 1: faster than PyTorch). fwd+bwd of a C# form = its Forward + Backward medians;")
        print("StructGen's fwd+bwd = its training step (StructGenStep: the forward that keeps its intermediate, then the")
        print("backward that reads it, as autograd keeps saved tensors), with Forward + the recomputing Backward beside it.")
        print("dense rows compare the C# OpenBLAS dense baseline (sgemm, sgemv at batch 1) in both pairs of columns.")
        print("| structure | batch | SG / torch fwd | SG / torch fwd+bwd (step) | SG / torch fwd+bwd (recomputing) | C# ref form / torch fwd | C# ref form / torch fwd+bwd |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for r in results:
            key = (r["structure"], r["n"], r["batch"])
            role = "Dense" if r["structure"] == "dense" else None

            def ratio(prefix, both, step=False):
                p = role or prefix
                f = bdn.get(key + (p + "Forward",))
                b = bdn.get(key + (p + "Backward",))
                s = bdn.get(key + (p + "Step",))
                if step and role is None:
                    if s is None:
                        return "-"
                    mine = s
                elif f is None or (both and b is None):
                    return "-"
                else:
                    mine = f + b if both else f
                torch_s = (r["forward_backward_us"] if both else r["forward_us"]) / 1e6
                return f"{mine / torch_s:.2f}"

            print(f"| {r['label']} | {r['batch']} | {ratio('StructGen', False)} | {ratio('StructGen', True, step=True)} | "
                  f"{ratio('StructGen', True)} | {ratio('Reference', False)} | {ratio('Reference', True)} |")

    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(dict(torch=torch.__version__, openblas=openblas_core(), results=results), f, indent=1)
    json.dump(results, sys.stdout)
    print()


if __name__ == "__main__":
    main()
