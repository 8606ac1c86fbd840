// The W4A16 kernel's variants in PTX, for sm_80 and sm_90: bf16
// activations (bf16 magic 0x43004300 = 1124090624, the high nibbles shifted
// down, the bf16 MMA) and u4 weights with zero points (an offset per row and
// group, read next to the scale), each with no float conversion, no
// libdevice call, no spills and at most 128 registers.
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: qc-opt %s --qc-nvvm-pipeline="chip=sm_80 format=isa dump-dir=%t/80" -o /dev/null
// RUN: FileCheck %s --check-prefixes=PTX,PTX80 < %t/80/qc_nvvm_kernels.sm_80.ptx
// RUN: %ptxas -v -arch=sm_80 %t/80/qc_nvvm_kernels.sm_80.ptx -o %t/80.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: qc-opt %s --qc-nvvm-pipeline="chip=sm_90 format=isa dump-dir=%t/90" -o /dev/null
// RUN: FileCheck %s --check-prefixes=PTX,PTX90 < %t/90/qc_nvvm_kernels.sm_90.ptx
// RUN: %ptxas -v -arch=sm_90 %t/90/qc_nvvm_kernels.sm_90.ptx -o %t/90.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: llvm-readelf -s %t/90.cubin | FileCheck %s --check-prefix=SYMS

// PTX: .target sm_{{80|90}}
// PTX-NOT: __nv_
// bf16 activations, s4 codes (offset 8: subtract 136, which LLVM adds).
// PTX-LABEL: .entry qc_nvvm_w4a16_n256_k1024_g128_split4_bf16(
// PTX: cp.async.wait_group 2;
// PTX-NEXT: bar.sync 0;
// PTX: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// PTX: shr.u32 {{.*}}, 8;
// PTX: lop3.b32 {{.*}}, 983055, 1124090624, 0xea;
// sm_80 has no bf16 add or mul: LLVM makes them fma.rn.bf16x2.
// PTX80: fma.rn.bf16x2
// PTX90: {{add|sub}}.rn.bf16x2
// PTX90: mul.rn.bf16x2
// PTX: shr.u32 {{.*}}, 12;
// PTX: lop3.b32 {{.*}}, 983055, 1124090624, 0xea;
// PTX: shr.u32 {{.*}}, 4;
// PTX: lop3.b32 {{.*}}, 983055, 1124090624, 0xea;
// PTX: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// PTX-COUNT-7: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// PTX-NOT: mma.sync
// PTX-NOT: cvt.{{rn|rz|f16|f32|bf16}}
// PTX-NOT: ld.local
// PTX: ret;
// f16 activations, u4 codes with zero points: 1024 + z and -(64 + z) once
// per k tile (scalar f16), then the f16x2 decoding.
// PTX-LABEL: .entry qc_nvvm_w4a16_n256_k1024_g128_split4_zp(
// PTX: ld.global.b16
// PTX: ld.global.b16
// PTX: sub.rn.f16
// PTX: lop3.b32 {{.*}}, 983055, 1677747200, 0xea;
// PTX: sub.rn.f16x2
// PTX: lop3.b32 {{.*}}, 15728880, 1677747200, 0xea;
// PTX: fma.rn.f16x2
// PTX: mul.rn.f16x2
// PTX: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// PTX-NOT: cvt.{{rn|rz|f16|f32|bf16}}
// PTX-NOT: ld.local
// PTX: ret;
// bf16 activations, u4 codes with zero points.
// PTX-LABEL: .entry qc_nvvm_w4a16_n256_k1024_g128_split4_bf16_zp(
// PTX80: fma.rn.bf16 {{.*}}
// PTX90: add.rn.bf16 {{.*}}
// PTX: lop3.b32 {{.*}}, 983055, 1124090624, 0xea;
// PTX: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// PTX-NOT: cvt.{{rn|rz|f16|f32|bf16}}
// PTX-NOT: ld.local

// PTXAS-COUNT-3: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS-NEXT: Used {{([1-9]?[0-9]|1[01][0-9]|12[0-8])}} registers

// SYMS-NOT: __cuda_sm

func.func @bf16(%a: tensor<?x1024xbf16>) -> tensor<?x256xf32> {
  %w = qc.constant codes(dense<18> : tensor<131072xi8>)
                   scales(dense<0.5> : tensor<256x8xbf16>) : !qc.qtensor<256x1024, #qc.int<s4>, bf16 #qc.per_block<[1, 128]>>
  %y = qc.matmul %a, %w : tensor<?x1024xbf16>, !qc.qtensor<256x1024, #qc.int<s4>, bf16 #qc.per_block<[1, 128]>> -> tensor<?x256xf32>
  return %y : tensor<?x256xf32>
}
func.func @zero_points(%a: tensor<?x1024xf16>) -> tensor<?x256xf32> {
  %w = qc.constant codes(dense<18> : tensor<131072xi8>)
                   scales(dense<0.5> : tensor<256x8xf16>) zero_points(dense<3> : tensor<256x8xi8>) : !qc.qtensor<256x1024, #qc.int<u4>, f16 #qc.per_block<[1, 128]>, zero_point i8>
  %y = qc.matmul %a, %w : tensor<?x1024xf16>, !qc.qtensor<256x1024, #qc.int<u4>, f16 #qc.per_block<[1, 128]>, zero_point i8> -> tensor<?x256xf32>
  return %y : tensor<?x256xf32>
}
func.func @bf16_zero_points(%a: tensor<?x1024xbf16>) -> tensor<?x256xf32> {
  %w = qc.constant codes(dense<18> : tensor<131072xi8>)
                   scales(dense<0.5> : tensor<256x8xbf16>) zero_points(dense<3> : tensor<256x8xi8>) : !qc.qtensor<256x1024, #qc.int<u4>, bf16 #qc.per_block<[1, 128]>, zero_point i8>
  %y = qc.matmul %a, %w : tensor<?x1024xbf16>, !qc.qtensor<256x1024, #qc.int<u4>, bf16 #qc.per_block<[1, 128]>, zero_point i8> -> tensor<?x256xf32>
  return %y : tensor<?x256xf32>
}
