// Kernel declarations whose source is not a matching function definition get
// an error, not a crash.
// RUN: qc-opt %s --qc-cpu-materialize-kernels -split-input-file -verify-diagnostics

// expected-error @+2 {{'func.func' op has a CPU kernel source that is not one function definition with the declaration's signature}}
// expected-note @+1 {{parse error: custom op 'not' is unknown}}
func.func private @qc_cpu_bogus(memref<4xf32>) attributes {qc.cpu_kernel_source = "not mlir"}

// -----

// expected-error @+1 {{'func.func' op has a CPU kernel source that is not one function definition with the declaration's signature}}
func.func private @qc_cpu_empty(memref<4xf32>) attributes {qc.cpu_kernel_source = ""}

// -----

// expected-error @+1 {{'func.func' op has a CPU kernel source that is not one function definition with the declaration's signature}}
func.func private @qc_cpu_wrong(memref<4xf32>) attributes {qc.cpu_kernel_source = "func.func private @k(%a: memref<8xf32>) { return }"}
