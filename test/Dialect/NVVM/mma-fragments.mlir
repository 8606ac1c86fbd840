// #qc_nvvm.mma_fragments, the NVIDIA W4A16 kernel's weight layout, lives in
// the qc_nvvm dialect and is a !qc.qtensor layout like qc's own: it round
// trips in the pretty and the generic form.
// RUN: qc-opt %s | qc-opt | FileCheck %s
// RUN: qc-opt %s --mlir-print-op-generic | qc-opt | FileCheck %s

// CHECK-LABEL: func.func @layout(
// CHECK-SAME: !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 128]>, layout #qc_nvvm.mma_fragments>
// CHECK-SAME: !qc.qtensor<16x64, #qc.int<u4>, bf16 #qc.per_block<[1, 64]>, zero_point i8, layout #qc_nvvm.mma_fragments>
func.func @layout(%a: !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 128]>, layout #qc_nvvm.mma_fragments>,
                  %b: !qc.qtensor<16x64, #qc.int<u4>, bf16 #qc.per_block<[1, 64]>, zero_point i8, layout #qc_nvvm.mma_fragments>) {
  return
}
