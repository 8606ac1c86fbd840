// qc-nvvm-host-functions rejects a qc.nvvm_launch it cannot carry out (a
// hand-written or damaged one) with an error, never a crash or a wrong
// launch.
// RUN: qc-opt %s --qc-nvvm-host-functions --split-input-file -verify-diagnostics

// A grid of one dimension:
// expected-error @below {{qc-nvvm-host-functions: malformed qc.nvvm_launch}}
func.func private @grid(memref<?x64xf32>, memref<?x64xf32>) attributes {qc.nvvm_launch = {grid = array<i64: 1>, kernel = @k::@f, rows_per_block = 16 : i64, threads = 128 : i64}}

// -----

// A quantization launch without its grid:
// expected-error @below {{qc-nvvm-host-functions: malformed qc.nvvm_launch}}
func.func private @quantize(memref<?x64xf32>, memref<64x64xi8>, memref<64xf32>, memref<?x64xf32>) attributes {qc.nvvm_launch = {grid = array<i64: 1, 1>, kernel = @k::@f, quantize = {kernel = @k::@q, rows_per_block = 4 : i64, threads = 128 : i64}, rows_per_block = 64 : i64, threads = 128 : i64}}

// -----

// Zero rows per block (the launch would divide by it):
// expected-error @below {{qc-nvvm-host-functions: malformed qc.nvvm_launch}}
func.func private @rows(memref<?x64xf32>, memref<?x64xf32>) attributes {qc.nvvm_launch = {grid = array<i64: 1, 1>, kernel = @k::@f, rows_per_block = 0 : i64, threads = 128 : i64}}

// -----

// A quantization launch whose activations are not a matrix:
// expected-error @below {{qc-nvvm-host-functions: malformed qc.nvvm_launch}}
func.func private @rank(memref<?xf32>, memref<64x64xi8>, memref<64xf32>, memref<?x64xf32>) attributes {qc.nvvm_launch = {grid = array<i64: 1, 1>, kernel = @k::@f, quantize = {grid = array<i64: 1, 1>, kernel = @k::@q, rows_per_block = 4 : i64, threads = 128 : i64}, rows_per_block = 64 : i64, threads = 128 : i64}}

// -----

// A constant argument that is the output (which is written every call):
// expected-error @below {{qc-nvvm-host-functions: malformed qc.nvvm_launch}}
func.func private @constant_output(memref<?x64xf32>, memref<64x64xi8>, memref<?x64xf32>) attributes {qc.nvvm_launch = {constants = array<i64: 2>, grid = array<i64: 1, 1>, kernel = @k::@f, rows_per_block = 16 : i64, threads = 128 : i64}}

// -----

// A constant argument of a dynamic shape (its size is not known to upload it
// once):
// expected-error @below {{qc-nvvm-host-functions: malformed qc.nvvm_launch}}
func.func private @constant_dynamic(memref<?x64xf32>, memref<?x64xi8>, memref<?x64xf32>) attributes {qc.nvvm_launch = {constants = array<i64: 1>, grid = array<i64: 1, 1>, kernel = @k::@f, rows_per_block = 16 : i64, threads = 128 : i64}}

// -----

// Constants that are not a list of indices:
// expected-error @below {{qc-nvvm-host-functions: malformed qc.nvvm_launch}}
func.func private @constant_kind(memref<?x64xf32>, memref<64x64xi8>, memref<?x64xf32>) attributes {qc.nvvm_launch = {constants = 1 : i64, grid = array<i64: 1, 1>, kernel = @k::@f, rows_per_block = 16 : i64, threads = 128 : i64}}
