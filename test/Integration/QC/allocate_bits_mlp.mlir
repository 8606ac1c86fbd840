// qc-allocate-bits on qcref.py's 'alloc_mlp' (four parallel Linear layers
// whose weights spread differently and whose outputs count differently,
// then an output layer; sensitivities supplied by the generator as a user
// would, from a Gauss-Newton estimate, and diag(X^T X) as importance), with
// int2..int8 candidates in groups of 32 (f16 scales: 2.5..8.5 bits/weight)
// and the budget of uniform int4 (4.5 bits/weight). qcref.py recomputes
// every candidate's loss and storage bits in the JSON summary, finds the
// optimum by brute force over all 6^5 assignments (the pass's choice must
// be it), and checks both programs' outputs against numpy models of their
// formats; the allocated program's output error against float64 must be
// lower than uniform int4's. Measured: allocated [4, 2, 3, 6, 8] bits,
// output MSE 0.0118 against 0.0749 uniform (6.4x lower).
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen alloc_mlp > %t.mlir
// RUN: qc-opt %t.mlir --qc-quantize-linears='weight-format="#qc.int<s4>, f16 #qc.per_block<[1, 32]>"' \
// RUN:   --qc-reference-pipeline | %mlir-run > %t.uniform
// RUN: qc-opt %t.mlir -o %t.alloc.mlir --qc-allocate-bits='formats="#qc.int<s2>, f16 #qc.per_block<[1, 32]>; #qc.int<s3>, f16 #qc.per_block<[1, 32]>; #qc.int<s4>, f16 #qc.per_block<[1, 32]>; #qc.int<s5>, f16 #qc.per_block<[1, 32]>; #qc.int<s6>, f16 #qc.per_block<[1, 32]>; #qc.int<s8>, f16 #qc.per_block<[1, 32]>" avg-bits=4.5 sensitivity=attr importance summary=%t.json'
// RUN: qc-opt %t.alloc.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py alloc-check alloc_mlp %t.json %t.uniform %t.ref 4
// RUN: qc-opt %t.alloc.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py alloc-check alloc_mlp %t.json %t.uniform %t.cpu 4
// AlphaQ's sensitivities: the summary's alphas equal numpy's Hill estimates
// (measured 7.31, 1.76, 1.49, 5.54, 5.15: the Student-t and outlier layers'
// spectra are heavy-tailed).
// RUN: qc-opt %t.mlir -o /dev/null --qc-allocate-bits='formats="#qc.int<s2>, f16 #qc.per_block<[1, 32]>; #qc.int<s4>, f16 #qc.per_block<[1, 32]>; #qc.int<s8>, f16 #qc.per_block<[1, 32]>" avg-bits=4.5 sensitivity=alphaq summary=%t.alphaq.json'
// RUN: %python %S/qcref.py alpha-check alloc_mlp %t.alphaq.json
