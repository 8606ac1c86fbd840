// The README's demo on the bundled example must keep working.
// RUN: qc-opt %qc_src_root/examples/linear.mlir --qc-quantize-constants | FileCheck %s --check-prefix=FOLD
// RUN: qc-opt %qc_src_root/examples/linear.mlir --qc-reference-pipeline | %mlir-run | FileCheck %s --check-prefix=EXEC

// FOLD-LABEL: func.func @linear(
// FOLD: %[[Q:.*]] = qc.constant codes(dense_resource<qc_codes> : tensor<64xi8>) scales(dense_resource<qc_scales> : tensor<8x2xf16>) : !qc.qtensor<8x16, #qc.int<s4>, f16 #qc.per_block<[1, 8]>>
// FOLD: qc.matmul %{{.*}}, %[[Q]] bias(

// Row 1 of the input is e_1, so row 1 of the output is column 1 of the
// dequantized weight plus the bias: 8 values.
// EXEC: Unranked Memref {{.*}} sizes = [2, 8]
// EXEC-COUNT-2: [{{.*}}]
