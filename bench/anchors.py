#!/usr/bin/env python3
"""qc's integer kernels against llama.cpp's ggml and ONNX Runtime, run
alternately on the same shapes in one run, with the roofs qc-bench probes.

  python3 bench/anchors.py [--n 4096,14336] [--m 1,32,128] [--threads 1,2]
                           [--rounds 2] [--work build/anchors]

Setup (once, into --work; nothing of it is committed): llama.cpp's tree
from PyPI's llama-cpp-python source distribution (pinned below), its ggml
built with GGML_NATIVE=ON, bench/anchors/ggml-matmul.cpp built against it;
`onnx` and `onnxruntime` installed into the project's venv. qc-bench must
be built (build/bin/qc-bench).

Each round runs, for every N and thread count, qc-bench, then ggml (each
type in the buffer type llama.cpp picks for CPU weights: AMX where the CPU
and the build have it, else CPU_REPACK; and CPU_REPACK explicitly, the
AVX-512 kernels), then ONNX Runtime's MatMulNBits (blocks of 128 and 32,
accuracy_level 4); the table gives medians over the rounds (GFLOP/s,
2 M N K per call) and the ratios. M = 1 rotates weight copies past the
last-level cache for every tool; M >= 32 (compute-bound) gives ggml and
ONNX Runtime one copy, their best case.

The machine groups processes per session for scheduling, so run it on a
quiet machine; medians over alternating rounds only remove drift.
"""
import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tarfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LLAMA_CPP_PYTHON = "0.3.16"  # llama.cpp 4227c9b's ggml

# qc's kernels by family (qc-bench names); the best of each family counts.
# (The _rl kernels read the AVX-512 VNNI row-lane tile; qc-bench runs them
# only on such a CPU.)
QC_4BIT = ["w4a8row_g128_rl", "w4a8_g32_rl", "w4a8row_g128_tiled", "w4a8_g32_tiled"]
QC_8BIT = ["w8a8row_g128_rl", "w8a8_g32_rl", "w8a8row_g128_tiled", "w8a8_g32_tiled"]
QC_2BIT = ["w2a8row_g128_rl", "w2a8row_g128_tiled", "w2a8row_g128_lut"]
# 1-bit and binary weights: the LUT kernels (AVX-512 VBMI only). Ternary
# weights take the 2-bit integer-dot kernel (their codes are its narrow s2
# codes: the same kernel as w2a8row_g128_rl).
QC_1BIT = ["w1a8row_g128_lut", "bina8row_g128_lut"]
QC_AVX2 = ["avx2:w4a8row_g128_tiled"]
GGML_4BIT = ["q4_0", "q4_K"]


def sh(cmd, **kw):
    print("+", " ".join(cmd) if isinstance(cmd, list) else cmd, flush=True)
    return subprocess.run(cmd, check=True, **kw)


def setup(work, python):
    os.makedirs(work, exist_ok=True)
    harness = os.path.join(work, "ggml-matmul")
    if not os.path.exists(harness):
        src = os.path.join(work, "llama_cpp_python-%s" % LLAMA_CPP_PYTHON)
        if not os.path.isdir(src):
            # (Only this package from source: its build dependencies may
            # come as wheels, else pip builds them all, cmake included.)
            sh([python, "-m", "pip", "download", "--no-deps", "--no-binary",
                "llama-cpp-python", "llama-cpp-python==%s" % LLAMA_CPP_PYTHON,
                "-d", work])
            with tarfile.open(os.path.join(
                    work, "llama_cpp_python-%s.tar.gz" % LLAMA_CPP_PYTHON)) as t:
                t.extractall(work)
        ggml = os.path.join(src, "vendor", "llama.cpp", "ggml")
        # (The source distribution lacks the pkg-config template that
        # ggml's CMakeLists configures.)
        open(os.path.join(ggml, "ggml.pc.in"), "a").close()
        build = os.path.join(work, "ggml-build")
        sh(["cmake", "-S", ggml, "-B", build, "-G", "Ninja",
            "-DCMAKE_BUILD_TYPE=Release", "-DGGML_NATIVE=ON",
            "-DGGML_OPENMP=ON", "-DBUILD_SHARED_LIBS=OFF",
            "-DGGML_BUILD_TESTS=OFF", "-DGGML_BUILD_EXAMPLES=OFF"],
           stdout=subprocess.DEVNULL)
        sh(["ninja", "-C", build], stdout=subprocess.DEVNULL)
        libs = [os.path.join(build, "src", l) for l in
                ["libggml.a", "libggml-cpu.a", "libggml-base.a"]]
        sh(["g++", "-O2", "-std=c++17", "-I", os.path.join(ggml, "include"),
            os.path.join(ROOT, "bench", "anchors", "ggml-matmul.cpp")] + libs +
           ["-fopenmp", "-lpthread", "-ldl", "-lm", "-o", harness])
    try:
        subprocess.run([python, "-c", "import onnx, onnxruntime"], check=True,
                       stderr=subprocess.DEVNULL)
    except subprocess.CalledProcessError:
        sh([python, "-m", "pip", "install", "-q", "onnx", "onnxruntime"])
    return harness


def llc_bytes():
    """The last-level cache's size (sysfs, as qc-bench reads it), or 0."""
    for index in (3, 2):
        try:
            with open("/sys/devices/system/cpu/cpu0/cache/index%d/size" % index) as f:
                text = f.read().strip()
        except OSError:
            continue
        scale = {"K": 1 << 10, "M": 1 << 20}.get(text[-1:], 1)
        return int(text.rstrip("KM")) * scale
    return 0


def copies_for(weight_bytes):
    """Enough weight copies to pass three times the last-level cache, as
    qc-bench rotates its own (at most 3 GB of them)."""
    llc = llc_bytes() or (256 << 20)
    return max(1, min(int(3 * llc // weight_bytes) + 1,
                      int((3 << 30) // weight_bytes)))


def run_lines(cmd, prefix):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [l for l in out.splitlines() if l.startswith(prefix)]


def fields(line):
    return dict(re.findall(r"(\w+)=([^\s]+)", line))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", default="4096,14336")
    ap.add_argument("--m", default="1,32,128")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--work", default=os.path.join(ROOT, "build", "anchors"))
    ap.add_argument("--qc-bench", default=os.path.join(ROOT, "build", "bin", "qc-bench"))
    args = ap.parse_args()
    python = os.path.join(ROOT, ".venv", "bin", "python")
    if not os.path.exists(python):
        python = sys.executable
    if not os.path.exists(args.qc_bench):
        sys.exit("anchors: %s is not built (ninja -C build qc-bench)" % args.qc_bench)
    harness = setup(args.work, python)
    ns = [int(v) for v in args.n.split(",")]
    ms = [int(v) for v in args.m.split(",")]
    big = [m for m in ms if m > 1]
    threads = [int(v) for v in args.threads.split(",")]
    K = 4096
    # results[(tool, case, n, t, m)] = [gflops per round]
    results = collections.defaultdict(list)
    bufts = {}
    probes = {}
    qc_kernels = QC_4BIT + QC_8BIT + QC_2BIT + QC_1BIT + QC_AVX2
    # (tq1_0 and tq2_0: ggml's ternary types, 1.69 and 2.06 bits a weight.)
    ggml_cases = [(ty, "") for ty in ["q4_0", "q4_K", "q8_0", "q2_K", "tq1_0",
                                      "tq2_0"]] + \
                 [(ty, "CPU_REPACK") for ty in ["q4_0", "q4_K", "q2_K"]]
    for rnd in range(args.rounds):
        print("round %d of %d" % (rnd + 1, args.rounds), flush=True)
        for n in ns:
            for t in threads:
                for line in run_lines(
                        [args.qc_bench, "--m", ",".join(map(str, ms)), "--n", str(n),
                         "--threads", str(t), "--reps", str(args.reps),
                         "--rotations", "0", "--tails", "0",
                         "--kernels", ",".join(qc_kernels)], "qc-bench"):
                    f = fields(line)
                    if "case" in f:
                        results[("qc", f["case"], n, t, int(f["M"]))].append(
                            float(f["gflops"]))
                    elif "stream_gbps" in f:
                        probes[int(f["threads"])] = f
                for ty, want in ggml_cases:
                    # bytes of the weight: about 4.5 / 8.5 / 2.6 bits each
                    bits = {"q4_0": 4.5, "q4_K": 4.5, "q8_0": 8.5, "q2_K": 2.625,
                            "tq1_0": 1.6875, "tq2_0": 2.0625}[ty]
                    runs = []
                    if 1 in ms:
                        runs.append(([1], copies_for(n * K * bits / 8)))
                    if big:
                        runs.append((big, 1))
                    for mlist, copies in runs:
                        cmd = [harness, ty, str(n), str(K), ",".join(map(str, mlist)),
                               str(t), str(args.reps), str(copies)]
                        if want:
                            cmd.append(want)
                        for line in run_lines(cmd, "ggml "):
                            f = fields(line)
                            case = ty + ("/" + want if want else "")
                            bufts[case] = f["buft"]
                            results[("ggml", case, n, t, int(f["M"]))].append(
                                float(f["gflops"]))
                for block in [128, 32]:
                    runs = []
                    if 1 in ms:
                        runs.append(([1], copies_for(n * K * (4 + 32 / block) / 8)))
                    if big:
                        runs.append((big, 1))
                    for mlist, copies in runs:
                        for line in run_lines(
                                [python, os.path.join(ROOT, "bench", "anchors",
                                                      "ort_matmulnbits.py"),
                                 str(n), str(K), ",".join(map(str, mlist)), str(t),
                                 str(args.reps), str(copies), str(block)], "ort "):
                            f = fields(line)
                            results[("ort", "b%d" % block, n, t, int(f["M"]))].append(
                                float(f["gflops"]))

    def med(key):
        v = sorted(results.get(key, []))
        return v[len(v) // 2] if v else float("nan")

    def best(tool, cases, n, t, m):
        vals = [(med((tool, c, n, t, m)), c) for c in cases]
        vals = [v for v in vals if v[0] == v[0]]
        return max(vals) if vals else (float("nan"), "-")

    print("\nprobes (qc-bench, last round):")
    for t in threads:
        if t in probes:
            p = probes[t]
            print("  threads=%d stream %s GB/s, FMA %s GFLOP/s, vpmaddubsw %s G ops/s, "
                  "vpdpbusd zmm %s G ops/s" % (t, p["stream_gbps"], p["peak_fma_gflops"],
                                               p["peak_maddubs_gops"],
                                               p["peak_vpdpbusd_zmm_gops"]))
    print("ggml buffer types: " + ", ".join("%s -> %s" % kv for kv in sorted(bufts.items())))
    print("\nGFLOP/s, K = 4096, medians of %d rounds; ratios qc / anchor" % args.rounds)
    hdr = ("%6s %3s %4s | %8s %8s | %8s %8s %8s | %6s %6s %6s | %6s" %
           ("N", "thr", "M", "qc 4bit", "avx2", "ggml rp", "ggml", "ORT",
            "/ggmlrp", "/ggml", "/ORT", "roof"))
    print(hdr)
    print("-" * len(hdr))
    for n in ns:
        for t in threads:
            for m in ms:
                q, qc_case = best("qc", QC_4BIT, n, t, m)
                a2 = med(("qc", "avx2:w4a8row_g128_tiled", n, t, m))
                grp, _ = best("ggml", [c + "/CPU_REPACK" for c in GGML_4BIT], n, t, m)
                gd, _ = best("ggml", GGML_4BIT, n, t, m)
                o, _ = best("ort", ["b128", "b32"], n, t, m)
                p = probes.get(t)
                roof = ""
                if p and m > 1:
                    roof = "%5.0f%%" % (100 * q / max(float(p["peak_maddubs_gops"]),
                                                      float(p["peak_vpdpbusd_zmm_gops"])))
                print("%6d %3d %4d | %8.1f %8.1f | %8.1f %8.1f %8.1f | %6.2f %6.2f %6.2f | %6s"
                      % (n, t, m, q, a2, grp, gd, o, q / grp, q / gd, q / o, roof))
    print("\nW8A8 and W2 (best qc kernel of the family against ggml's q8_0, q2_K):")
    print("%6s %3s %4s | %8s %8s %6s | %8s %8s %8s %6s" %
          ("N", "thr", "M", "qc w8a8", "q8_0", "ratio", "qc w2a8", "q2_K rp", "q2_K", "ratio"))
    for n in ns:
        for t in threads:
            for m in ms:
                q8, _ = best("qc", QC_8BIT, n, t, m)
                g8 = med(("ggml", "q8_0", n, t, m))
                q2, _ = best("qc", QC_2BIT, n, t, m)
                g2r = med(("ggml", "q2_K/CPU_REPACK", n, t, m))
                g2 = med(("ggml", "q2_K", n, t, m))
                print("%6d %3d %4d | %8.1f %8.1f %6.2f | %8.1f %8.1f %8.1f %6.2f"
                      % (n, t, m, q8, g8, q8 / g8, q2, g2r, g2, q2 / max(g2r, g2)))
    print("\nLow bits (issue 31): qc's best W1 (LUT), W2 (integer-dot, LUT; ternary takes"
          "\nthe integer-dot one) and W4 kernels; ggml's ternary and 2-bit types")
    print("%6s %3s %4s | %7s %7s %7s | %7s %7s %7s | %6s %6s | %7s %7s %7s" %
          ("N", "thr", "M", "qc w1", "qc w2", "qc w4", "tq1_0", "tq2_0", "q2_K",
           "w2/w4", "w1/w4", "w2/tq2", "w2/q2K", "w1/tq1"))
    for n in ns:
        for t in threads:
            for m in ms:
                q1, _ = best("qc", QC_1BIT, n, t, m)
                q2, _ = best("qc", QC_2BIT, n, t, m)
                q4, _ = best("qc", QC_4BIT, n, t, m)
                t1 = med(("ggml", "tq1_0", n, t, m))
                t2 = med(("ggml", "tq2_0", n, t, m))
                g2 = max(med(("ggml", "q2_K/CPU_REPACK", n, t, m)),
                         med(("ggml", "q2_K", n, t, m)))
                print("%6d %3d %4d | %7.1f %7.1f %7.1f | %7.1f %7.1f %7.1f | %6.2f %6.2f | "
                      "%7.2f %7.2f %7.2f" % (n, t, m, q1, q2, q4, t1, t2, g2, q2 / q4, q1 / q4,
                                             q2 / t2, q2 / g2, q1 / t1))
    print("\nevery median: tool case N threads M -> GFLOP/s per round")
    for key in sorted(results):
        print("  %s %s N=%d t=%d M=%d: %s" % (key + (" ".join("%.1f" % v for v in results[key]),)))


if __name__ == "__main__":
    main()
