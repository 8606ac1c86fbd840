// The W8A8 kernels' PTX, for sm_80 and sm_90: int8 x int8 on the s8 MMA
// (m16n8k32, i32 accumulation), which sm_90 runs natively (no emulation
// routine in its cubin, unlike the s4 MMA), and the kernel that quantizes
// the activations per row before it, each assembled with no spills and at
// most 128 registers (128 threads, 4 blocks per SM).
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: qc-opt %s --qc-nvvm-pipeline="chip=sm_80 format=isa dump-dir=%t/80" -o /dev/null
// RUN: FileCheck %s --check-prefix=PTX < %t/80/qc_nvvm_kernels.sm_80.ptx
// RUN: FileCheck %s --check-prefix=QPTX < %t/80/qc_nvvm_kernels.sm_80.ptx
// RUN: %ptxas -v -arch=sm_80 %t/80/qc_nvvm_kernels.sm_80.ptx -o %t/80.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: qc-opt %s --qc-nvvm-pipeline="chip=sm_90 toolkit=%cuda_toolkit dump-dir=%t/90" -o /dev/null
// RUN: qc-opt %s --qc-nvvm-pipeline="chip=sm_90 format=isa dump-dir=%t/90" -o /dev/null
// RUN: FileCheck %s --check-prefix=PTX < %t/90/qc_nvvm_kernels.sm_90.ptx
// RUN: FileCheck %s --check-prefix=QPTX < %t/90/qc_nvvm_kernels.sm_90.ptx
// RUN: %ptxas -v -arch=sm_90 %t/90/qc_nvvm_kernels.sm_90.ptx -o %t/90.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: llvm-readelf -s %t/90/qc_nvvm_kernels.sm_90.cubin | FileCheck %s --check-prefix=SYMS

// PTX: .entry qc_nvvm_w8a8_n256_k1024(
// PTX: .maxntid 128, 1, 1
// PTX: .shared .align 16 .b8 {{.*}}[15360];
// PTX: .shared .align 16 .b8 {{.*}}[15360];
// Prologue: two stages, each 2 + 2 copies of 16 bytes.
// PTX-COUNT-2: cp.async.commit_group;
// PTX: cp.async.wait_group 1;
// PTX-NEXT: bar.sync 0;
// PTX: cp.async.commit_group;
// Two k steps of 32 per k tile: 2 A and 2 B ldmatrix.x4 and 8 MMAs each.
// PTX-COUNT-4: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// PTX-COUNT-8: mma.sync.aligned.m16n8k32.row.col.satfinite.s32.s8.s8.s32
// PTX-COUNT-4: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// PTX-COUNT-8: mma.sync.aligned.m16n8k32.row.col.satfinite.s32.s8.s8.s32
// PTX-NOT: mma.sync
// PTX: cp.async.wait_group 0;
// The epilogue: i32 -> f32 and the two scales.
// PTX: cvt.rn.f32.s32
// PTX: mul.rn.f32
// PTX: st.global.{{f32|b32}}
// PTX-NOT: ld.local
// PTX-NOT: st.local
// PTX-NOT: bar.sync

// The quantization kernel: per lane 16-byte loads, abs.f32 (LLVM sees the
// kernel's maxnum(x, -x) for what it is), the
// warp's maximum by five butterfly shuffles, one IEEE division for the
// scale, then per element an IEEE division, cvt.rni (round half to even,
// NaN to 0) and a clamp, and four codes in one 32-bit store.
// No libdevice call (its declaration would come before the kernels):
// QPTX-NOT: __nv_
// QPTX: .entry qc_nvvm_quantize_rows_s8_k1024_f32(
// QPTX: ld.global.v4.b32
// QPTX: abs.f32
// QPTX: max.f32
// QPTX-COUNT-5: shfl.sync.bfly.b32
// QPTX: div.rn.f32 {{.*}}, 0f42FE0000;
// QPTX: st.global.b32
// QPTX: ld.global.v4.b32
// QPTX-COUNT-4: div.rn.f32
// QPTX-COUNT-4: cvt.rni.s32.f32
// QPTX: max.s32
// QPTX: min.s32
// QPTX: st.global.b32
// QPTX-NOT: ld.local
// QPTX-NOT: st.local
// QPTX-NOT: bar.sync

// ptxas reports the kernels last to first.
// PTXAS: Compiling entry function 'qc_nvvm_quantize_rows_s8_k1024_f32'
// PTXAS-NEXT: Function properties
// PTXAS-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS-NEXT: Used {{([1-9]?[0-9]|1[01][0-9]|12[0-8])}} registers
// PTXAS: Compiling entry function 'qc_nvvm_w8a8_n256_k1024'
// PTXAS-NEXT: Function properties
// PTXAS-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS-NEXT: Used {{([1-9]?[0-9]|1[01][0-9]|12[0-8])}} registers

// SYMS-DAG: qc_nvvm_w8a8_n256_k1024
// SYMS-DAG: qc_nvvm_quantize_rows_s8_k1024_f32
// SYMS-NOT: __cuda_sm

func.func @linear(%a: tensor<?x1024xf32>) -> tensor<?x256xf32> {
  %w = qc.constant codes(dense<3> : tensor<262144xi8>) scales(dense<0.5> : tensor<256xf32>)
      : !qc.qtensor<256x1024, #qc.int<s8>, f32 #qc.per_axis<0>>
  %qa = qc.quantize %a : tensor<?x1024xf32> -> !qc.qtensor<?x1024, #qc.int<s8>, f32 #qc.per_axis<0>>
  %y = qc.matmul %qa, %w : !qc.qtensor<?x1024, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<256x1024, #qc.int<s8>, f32 #qc.per_axis<0>> -> tensor<?x256xf32>
  return %y : tensor<?x256xf32>
}
