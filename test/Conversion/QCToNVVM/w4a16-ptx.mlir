// The W4A16 kernel's PTX, for sm_80 and sm_90: it assembles with ptxas
// with no spills and within its launch bounds (128 threads, 4 blocks per
// SM: at most 128 registers), and it has the instructions of its design
// and none of those it must not have. sm_90 runs the f16 MMA natively, so
// its cubin has no emulation routine.
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: qc-opt %s --qc-nvvm-pipeline="chip=sm_80 format=isa dump-dir=%t/80" -o /dev/null
// RUN: FileCheck %s --check-prefixes=PTX,PTX80 < %t/80/qc_nvvm_kernels.sm_80.ptx
// RUN: %ptxas -v -arch=sm_80 %t/80/qc_nvvm_kernels.sm_80.ptx -o %t/80.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: qc-opt %s --qc-nvvm-pipeline="chip=sm_90 format=isa dump-dir=%t/90" -o /dev/null
// RUN: FileCheck %s --check-prefixes=PTX,PTX90 < %t/90/qc_nvvm_kernels.sm_90.ptx
// RUN: %ptxas -v -arch=sm_90 %t/90/qc_nvvm_kernels.sm_90.ptx -o %t/90.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: llvm-readelf -s %t/90.cubin | FileCheck %s --check-prefix=SYMS
// The default format is a cubin, assembled by the toolkit's ptxas:
// RUN: qc-opt %s --qc-nvvm-pipeline="chip=sm_90 toolkit=%cuda_toolkit dump-dir=%t/bin" -o /dev/null
// RUN: llvm-readelf -s %t/bin/qc_nvvm_kernels.sm_90.cubin | FileCheck %s --check-prefix=SYMS

// PTX80: .version 7.1
// PTX90: .version 8.0
// PTX: .target sm_{{80|90}}
// PTX: .maxntid 128, 1, 1
// PTX: .minnctapersm 4
// Shared memory 16-byte aligned (cp.async, ldmatrix, ld.shared.v4):
// PTX: .shared .align 16 .b8 {{.*}}[9216];
// PTX: .shared .align 16 .b8 {{.*}}[8192];
// Prologue: three stages in flight, each one group of two 16-byte copies
// (activations with a source size that is 0 past M or past the range).
// PTX-COUNT-3: cp.async.commit_group;
// The main loop: wait for the oldest group, one barrier, refill, compute.
// PTX: cp.async.wait_group 2;
// PTX-NEXT: bar.sync 0;
// PTX: cp.async.cg.shared.global [{{.*}}], [{{.*}}], 16, %r{{[0-9]+}};
// PTX: cp.async.commit_group;
// PTX: ld.shared.v4.b32
// PTX: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// PTX: lop3.b32 {{.*}}, 983055, 1677747200, 0xea;
// PTX: add.rn.f16x2
// PTX: lop3.b32 {{.*}}, 15728880, 1677747200, 0xea;
// PTX: fma.rn.f16x2
// PTX: mul.rn.f16x2
// PTX: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// PTX-COUNT-7: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// PTX-NOT: mma.sync
// PTX: cp.async.wait_group 0;
// Split-K partial sums: f32 atomic adds (ptxas makes an atom whose result
// is unused a RED).
// PTX-COUNT-8: {{atom|red}}.global.add.f32
// No float conversion anywhere (the dequantization is LOP3 + f16x2 math),
// no local memory, one barrier:
// PTX-NOT: cvt.{{rn|rz|f16|f32|bf16}}
// PTX-NOT: ld.local
// PTX-NOT: st.local
// PTX-NOT: bar.sync

// PTXAS: Compiling entry function 'qc_nvvm_w4a16_n256_k1024_g128_split4'
// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS: Used {{([1-9]?[0-9]|1[01][0-9]|12[0-8])}} registers

// SYMS: qc_nvvm_w4a16_n256_k1024_g128_split4
// SYMS-NOT: __cuda_sm

func.func @linear(%a: tensor<?x1024xf16>) -> tensor<?x256xf32> {
  %w = qc.constant codes(dense<18> : tensor<131072xi8>)
                   scales(dense<0.5> : tensor<256x8xf16>) : !qc.qtensor<256x1024, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
  %y = qc.matmul %a, %w : tensor<?x1024xf16>, !qc.qtensor<256x1024, #qc.int<s4>, f16 #qc.per_block<[1, 128]>> -> tensor<?x256xf32>
  return %y : tensor<?x256xf32>
}
