// Real torch-mlir exports (torch 2.15, torch-mlir 20261001, FX importer;
// examples/torch/check_torch_mlir.py makes such files): a 2-layer MLP and
// a TransformerEncoderLayer (d = 8), as linalg-on-tensors, TOSA and
// linalg with a dynamic batch. Every Linear layer is raised and then
// quantized; nothing is left behind.
// RUN: for f in mlp-linalg mlp-tosa mlp-dynamic; do \
// RUN:   qc-opt %S/Inputs/torch-mlir/torch-$f.mlir --qc-raise-linears=remarks \
// RUN:     --qc-quantize-linears='weight-format="#qc.int<s8>, f32 #qc.per_axis<0>" remarks' -o /dev/null 2>&1; done \
// RUN:   | FileCheck %s --check-prefix=MLP
// RUN: for f in bert-linalg bert-tosa bert-dynamic; do \
// RUN:   qc-opt %S/Inputs/torch-mlir/torch-$f.mlir --qc-raise-linears=remarks \
// RUN:     --qc-quantize-linears='weight-format="#qc.int<s8>, f32 #qc.per_axis<0>" remarks' -o /dev/null 2>&1; done \
// RUN:   | FileCheck %s --check-prefix=BERT
// And they still run: the TOSA one through the pipelines' TOSA lowering.
// RUN: qc-opt %S/Inputs/torch-mlir/torch-bert-tosa.mlir --qc-quantize-model --qc-cpu-pipeline -o /dev/null
// RUN: qc-opt %S/Inputs/torch-mlir/torch-bert-dynamic.mlir --qc-reference-pipeline -o /dev/null

// MLP-NOT: warning
// MLP-COUNT-3: remark: qc-raise-linears: 2 Linear layer(s) raised, 0 product(s) with a constant left
// MLP-NOT: warning
// BERT-NOT: warning
// BERT: qc-raise-linears: 4 Linear layer(s) raised, 0 product(s) with a constant left
// BERT: qc-quantize-linears: 4 layer(s) quantized as #qc.int<s8>, f32 #qc.per_axis<0>, 0 left float
// BERT: qc-raise-linears: 4 Linear layer(s) raised, 0 product(s) with a constant left
// BERT: qc-quantize-linears: 4 layer(s) quantized as #qc.int<s8>, f32 #qc.per_axis<0>, 0 left float
// BERT: qc-raise-linears: 4 Linear layer(s) raised, 0 product(s) with a constant left
// BERT: qc-quantize-linears: 4 layer(s) quantized as #qc.int<s8>, f32 #qc.per_axis<0>, 0 left float
// BERT-NOT: warning
