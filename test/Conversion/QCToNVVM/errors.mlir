// qc-nvvm-pipeline's errors: a chip without kernels, a format
// gpu-module-to-binary does not know, a toolkit that is not there, no
// ptxas at all (format=isa needs none), an unwritable dump directory.
// RUN: not qc-opt %s --qc-nvvm-pipeline=chip=sm_75 -o /dev/null --mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s --check-prefix=CHIP
// CHIP: error: convert-qc-to-nvvm: unknown chip 'sm_75'; the kernels need one of sm_80, sm_86, sm_87, sm_89, sm_90, sm_90a
// RUN: not qc-opt %s --qc-nvvm-pipeline=format=elf -o /dev/null --mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s --check-prefix=FORMAT
// FORMAT: Cannot find option named 'elf'!
// RUN: not qc-opt %s --qc-nvvm-pipeline=toolkit=%t.missing -o /dev/null --mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s --check-prefix=TOOLKIT
// TOOLKIT: error: the CUDA toolkit '{{.*}}.missing' has no bin/ptxas (format=isa needs no toolkit)
// RUN: not env -u CUDA_HOME -u CUDA_ROOT -u CUDA_PATH PATH=/nonexistent qc-opt %s --qc-nvvm-pipeline -o /dev/null --mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s --check-prefix=PTXAS
// PTXAS: error: Couldn't find the `ptxas` binary.
// RUN: env -u CUDA_HOME -u CUDA_ROOT -u CUDA_PATH PATH=/nonexistent qc-opt %s --qc-nvvm-pipeline=format=isa -o /dev/null
// RUN: touch %t.file
// RUN: not qc-opt %s --qc-nvvm-pipeline="format=isa dump-dir=%t.file/sub" -o /dev/null --mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s --check-prefix=DUMP
// DUMP: error: qc-write-gpu-binaries: cannot create '{{.*}}.file/sub'
func.func @linear(%a: tensor<?x128xf16>) -> tensor<?x64xf32> {
  %w = qc.constant codes(dense<17> : tensor<4096xi8>) scales(dense<0.5> : tensor<64x1xf16>)
      : !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
  %y = qc.matmul %a, %w : tensor<?x128xf16>, !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 128]>> -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}
