#!/bin/bash
# qc's NVIDIA kernels on a real GPU, in two steps, because the machines that
# build qc have the CUDA toolkit but no GPU:
#
#   bash scripts/gpu-check.sh prepare [DIR]   # here, after scripts/build.sh
#   bash scripts/gpu-check.sh run [DIR]       # on the GPU machine
#
# prepare compiles the W4A16 (f16 x s4, bf16 x u4 with zero points) and
# W8A8 (with the activations' quantization kernel) kernels for each shape with
# qc-nvvm-pipeline (chip CHIP, default sm_90) into DIR (default
# build/gpu-check) as cubins, and copies qc-gpu-check and
# libqc_cuda_runtime.so beside them: DIR needs nothing else (no MLIR, no
# CUDA toolkit) and is small enough to carry to another machine.
# run checks every kernel on random data against a float64 reference
# (exact codes and scales; tolerance 2^-10 of sum |a s c|, see
# bench/gpu/qc-gpu-check.cpp) and prints the benchmark table: qc against
# cuBLAS FP16 (where the machine has libcublas) and against a device copy
# of the packed weights, for M in {1, 8, 16, 64, 256}, K = 4096,
# N in {4096, 14336}.
set -euo pipefail
cd "$(dirname "$0")/.."
step=${1:-}
dir=${2:-build/gpu-check}
chip=${CHIP:-sm_90}
shapes="128x256 4096x4096 14336x4096"
kinds="w4a16 w4a16_bf16_zp w8a8"

# The linear of kind $1 (w4a16: f16 x s4; w4a16_bf16_zp: bf16 x u4 with
# zero points; w8a8: f32 activations quantized on the GPU x s8) and shape
# N=$2, K=$3; its weight's values do not matter (the check uploads its
# own), only the kernel's specialization does.
linear() {
  local kind=$1 n=$2 k=$3
  if [ "$kind" = w4a16_bf16_zp ]; then
    cat <<MLIR
func.func @linear(%a: tensor<?x${k}xbf16>) -> tensor<?x${n}xf32> {
  %w = qc.constant codes(dense<0> : tensor<$((n * k / 2))xi8>) scales(dense<1.0> : tensor<${n}x$((k / 128))xbf16>)
      zero_points(dense<8> : tensor<${n}x$((k / 128))xi8>)
      : !qc.qtensor<${n}x${k}, #qc.int<u4>, bf16 #qc.per_block<[1, 128]>, zero_point i8>
  %y = qc.matmul %a, %w : tensor<?x${k}xbf16>, !qc.qtensor<${n}x${k}, #qc.int<u4>, bf16 #qc.per_block<[1, 128]>, zero_point i8> -> tensor<?x${n}xf32>
  return %y : tensor<?x${n}xf32>
}
MLIR
  elif [ "$kind" = w4a16 ]; then
    cat <<MLIR
func.func @linear(%a: tensor<?x${k}xf16>) -> tensor<?x${n}xf32> {
  %w = qc.constant codes(dense<0> : tensor<$((n * k / 2))xi8>) scales(dense<1.0> : tensor<${n}x$((k / 128))xf16>)
      : !qc.qtensor<${n}x${k}, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
  %y = qc.matmul %a, %w : tensor<?x${k}xf16>, !qc.qtensor<${n}x${k}, #qc.int<s4>, f16 #qc.per_block<[1, 128]>> -> tensor<?x${n}xf32>
  return %y : tensor<?x${n}xf32>
}
MLIR
  else
    cat <<MLIR
func.func @linear(%a: tensor<?x${k}xf32>) -> tensor<?x${n}xf32> {
  %w = qc.constant codes(dense<0> : tensor<$((n * k))xi8>) scales(dense<1.0> : tensor<${n}xf32>)
      : !qc.qtensor<${n}x${k}, #qc.int<s8>, f32 #qc.per_axis<0>>
  %qa = qc.quantize %a : tensor<?x${k}xf32> -> !qc.qtensor<?x${k}, #qc.int<s8>, f32 #qc.per_axis<0>>
  %y = qc.matmul %qa, %w : !qc.qtensor<?x${k}, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<${n}x${k}, #qc.int<s8>, f32 #qc.per_axis<0>> -> tensor<?x${n}xf32>
  return %y : tensor<?x${n}xf32>
}
MLIR
  fi
}

case "$step" in
prepare)
  mkdir -p "$dir"
  for kind in $kinds; do
    for shape in $shapes; do
      n=${shape%x*}
      k=${shape#*x}
      work="$dir/${kind}_n${n}_k${k}"
      mkdir -p "$work"
      linear "$kind" "$n" "$k" > "$work/linear.mlir"
      build/bin/qc-opt "$work/linear.mlir" \
        --qc-nvvm-pipeline="chip=$chip dump-dir=$work" -o /dev/null
      /usr/lib/llvm-22/bin/llvm-readelf -s "$work"/*.cubin |
        grep -o "qc_nvvm_${kind%%_*}_[a-z0-9_]*" | sort -u | head -1 > "$work/kernel.name"
      test -s "$work/kernel.name"
      echo "prepared $(cat "$work/kernel.name") for $chip"
    done
  done
  cp build/bin/qc-gpu-check build/lib/libqc_cuda_runtime.so "$dir/"
  ;;
run)
  export LD_LIBRARY_PATH="$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  status=0
  for kind in $kinds; do
    for shape in $shapes; do
      n=${shape%x*}
      k=${shape#*x}
      work="$dir/${kind}_n${n}_k${k}"
      "$dir/qc-gpu-check" check "$work"/*.cubin "$(cat "$work/kernel.name")" \
        "$n" "$k" 1 5 16 17 33 65 || status=1
    done
  done
  for kind in $kinds; do
    for shape in 4096x4096 14336x4096; do
      n=${shape%x*}
      k=${shape#*x}
      work="$dir/${kind}_n${n}_k${k}"
      "$dir/qc-gpu-check" bench "$work"/*.cubin "$(cat "$work/kernel.name")" \
        "$n" "$k" 1 8 16 64 256
    done
  done
  exit $status
  ;;
*)
  echo "usage: bash scripts/gpu-check.sh prepare|run [DIR]" >&2
  exit 2
  ;;
esac
