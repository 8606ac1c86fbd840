#!/usr/bin/env python3
"""The ONNX Runtime anchor of bench/anchors.py: one MatMulNBits node (4-bit
weights in blocks along K with f32 scales, zero point 8, accuracy_level 4:
int8 activations, ONNX Runtime's MLAS int8 kernels) in a model built with
the `onnx` package, timed with `onnxruntime` on an M x K f32 input.

  ort_matmulnbits.py N K M[,M...] THREADS REPS COPIES [BLOCK]

prints one line per M:
  ort bits=4 block=128 N=.. K=.. M=.. threads=.. ms=.. gflops=.. max_rel_err=..

COPIES sessions, each with its own weight, are called in turn so that the
weights do not stay in the cache.
"""
import sys
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper


def model(n, k, block, packed, scales):
    blocks = k // block
    node = helper.make_node(
        "MatMulNBits", ["A", "B", "scales"], ["Y"], domain="com.microsoft",
        K=k, N=n, bits=4, block_size=block, accuracy_level=4)
    graph = helper.make_graph(
        [node], "matmulnbits",
        [helper.make_tensor_value_info("A", TensorProto.FLOAT, ["M", k])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["M", n])],
        initializer=[
            helper.make_tensor("B", TensorProto.UINT8, [n, blocks, block // 2],
                               packed.tobytes(), raw=True),
            helper.make_tensor("scales", TensorProto.FLOAT, [n * blocks],
                               scales.tobytes(), raw=True)])
    m = helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)])
    return m.SerializeToString()


def main(argv):
    n, k = int(argv[1]), int(argv[2])
    ms = [int(v) for v in argv[3].split(",")]
    threads, reps, copies = int(argv[4]), int(argv[5]), max(1, int(argv[6]))
    block = int(argv[7]) if len(argv) > 7 else 128
    rng = np.random.default_rng(5)
    packed = rng.integers(0, 256, size=(n, k // 2), dtype=np.uint8)
    scales = (rng.random(n * (k // block), dtype=np.float32) * 0.02 + 0.001)
    # The weight's values: low nibble first, zero point 8.
    codes = np.stack([packed & 15, packed >> 4], axis=-1).reshape(n, k)
    w = (codes.astype(np.float64) - 8) * np.repeat(
        scales.reshape(n, k // block), block, axis=1)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Each session has its own thread pool: spinning idle pools of the
    # other copies would take the cores from the one that runs.
    if copies > 1:
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    blob = model(n, k, block, packed, scales)
    sessions = [ort.InferenceSession(blob, opts, providers=["CPUExecutionProvider"])
                for _ in range(copies)]
    for m in ms:
        a = rng.standard_normal((m, k), dtype=np.float32)
        y = sessions[0].run(None, {"A": a})[0]
        ref = a.astype(np.float64) @ w.T
        err = float(np.max(np.abs(y - ref)) / np.max(np.abs(ref)))
        index = [0]

        def call():
            sessions[index[0] % copies].run(None, {"A": a})
            index[0] += 1

        t0 = time.perf_counter()
        call()
        warm = time.perf_counter() - t0
        batch = 1 if warm >= 2e-3 else int(np.ceil(2e-3 / max(warm, 1e-7)))
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            for _ in range(batch):
                call()
            times.append((time.perf_counter() - t0) / batch)
        sec = sorted(times)[len(times) // 2]
        print("ort bits=4 block=%d N=%d K=%d M=%d threads=%d ms=%.4f "
              "gflops=%.3f max_rel_err=%.2e"
              % (block, n, k, m, threads, sec * 1e3, 2.0 * m * n * k / sec / 1e9,
                 err), flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
