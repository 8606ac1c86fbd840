# -*- Python -*-
# lit configuration for qc's FileCheck tests.

import os
import sys

import lit.formats
from lit.llvm import llvm_config

config.name = "QC"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.qc_obj_root, "test")
# Differential: the differential tester and its saved programs, run by
# CTest through the Python package (python/CMakeLists.txt), not by lit.
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs", "Differential"]

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

config.substitutions.append(("%qc_src_root", config.qc_src_root))
llvm_config.add_tool_substitutions(
    ["qc-opt", "qc-import", "qc-fuzz-replay", "mlir-opt", "mlir-runner", "mlir-translate", "llc", "llvm-readelf", "not"],
    [config.qc_tools_dir, config.llvm_tools_dir],
)

# Integration tests: the independent numpy reference runs under lit's own
# Python (Debian's python3 with python3-numpy, see scripts/setup.sh), and
# %mlir-run executes a program lowered to the LLVM dialect.
config.substitutions.append(("%python", sys.executable))
runner_libs = ",".join(
    os.path.join(config.mlir_lib_dir, "lib%s.so" % name)
    for name in ["mlir_runner_utils", "mlir_c_runner_utils", "omp"]
)
config.substitutions.append(
    (
        "%mlir-run",
        "%s -e main -entry-point-result=void -shared-libs=%s"
        % (os.path.join(config.llvm_tools_dir, "mlir-runner"), runner_libs),
    )
)

# Tests that execute the CPU kernels need an x86-64 CPU with AVX2 and FMA
# (`REQUIRES: avx2`); on another machine qc-cpu-pipeline (whose target is
# the host by default) would give those ops the reference lowering instead.
def host_cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


if {"avx2", "fma"} <= host_cpu_flags():
    config.available_features.add("avx2")
# The VNNI kernels (vpdpbusd): `avx512vnni` on 512-bit vectors, `vnni` on
# any (AVX512-VNNI or AVX-VNNI).
if {"avx512f", "avx512bw", "avx512vl", "avx512_vnni"} <= host_cpu_flags():
    config.available_features.add("avx512vnni")
if {"avx512vl", "avx512_vnni"} <= host_cpu_flags() or "avx_vnni" in host_cpu_flags():
    config.available_features.add("vnni")
# AMX tiles (the row-lane kernels' blocks of 16 rows): the CPU has them; the
# kernel asks Linux for the tile state itself.
if {"amx_tile", "amx_int8", "avx512_vnni", "avx512bw", "avx512vl"} <= host_cpu_flags():
    config.available_features.add("amx")


# NVIDIA: the CUDA toolkit (ptxas) assembles the generated PTX (`REQUIRES:
# ptxas`; %cuda_toolkit is its root, for qc-nvvm-pipeline's toolkit=), and
# qc's CUDA runtime runs the lowered programs: on a machine with the driver
# and a GPU (`cuda-gpu`), or, without one, must stop with its message
# (`no-cuda-gpu`).
def find_cuda_toolkit():
    roots = [os.environ.get(v) for v in ("CUDA_HOME", "CUDA_ROOT", "CUDA_PATH")]
    roots.append("/usr/local/cuda")
    for root in roots:
        if root and os.path.isfile(os.path.join(root, "bin", "ptxas")):
            return root
    return None


cuda_toolkit = find_cuda_toolkit()
if cuda_toolkit:
    config.available_features.add("ptxas")
    config.substitutions.append(("%cuda_toolkit", cuda_toolkit))
    config.substitutions.append(
        ("%ptxas", os.path.join(cuda_toolkit, "bin", "ptxas"))
    )
config.substitutions.append(
    (
        "%qc_cuda_runtime",
        os.path.join(config.qc_obj_root, "lib", "libqc_cuda_runtime.so"),
    )
)


def have_cuda_gpu():
    import ctypes

    try:
        cuda = ctypes.CDLL("libcuda.so.1")
    except OSError:
        return False
    count = ctypes.c_int(0)
    if cuda.cuInit(0) != 0 or cuda.cuDeviceGetCount(ctypes.byref(count)) != 0:
        return False
    return count.value > 0


config.available_features.add("cuda-gpu" if have_cuda_gpu() else "no-cuda-gpu")
