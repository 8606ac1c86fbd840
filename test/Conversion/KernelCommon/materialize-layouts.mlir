// qc-materialize-layouts: one pass for every target. The module's qc.target
// (upstream's #llvm.target for a CPU, #nvvm.target for an NVIDIA GPU) says,
// through qc's KernelTargetAttrInterface, in which storage its kernel reads
// each constant weight; the pass repacks the codes with the layout's own
// packCodes and widens scales. The same weight gets #qc.tiled and f32
// scales for the x86 kernels, #qc_nvvm.mma_fragments for the W4A16 kernel.
// RUN: qc-opt %s --split-input-file --qc-materialize-layouts="remarks" -verify-diagnostics=only-expected | FileCheck %s

// CHECK-LABEL: func.func @cpu(
// CHECK: %[[W:.*]] = qc.constant codes(dense_resource<qc_codes> : tensor<32768xi8>) scales(dense_resource<qc_scales> : tensor<128x4xf32>) : !qc.qtensor<128x512, #qc.int<s4>, f32 #qc.per_block<[1, 128]>, layout #qc.tiled<rows = 4, chunk_bytes = 32>>
// CHECK: qc.matmul %{{.*}}, %[[W]]
module attributes {qc.target = #llvm.target<triple = "x86_64-unknown-linux-gnu", chip = "znver3", features = #llvm.target_features<["+avx2", "+fma"]>>} {
  func.func @cpu(%a: !qc.qtensor<?x512, #qc.int<s8>, f32 #qc.per_axis<0>>) -> tensor<?x128xf32> {
    %w = qc.constant codes(dense<17> : tensor<32768xi8>) scales(dense<0.5> : tensor<128x4xf16>)
        : !qc.qtensor<128x512, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
    %y = qc.matmul %a, %w : !qc.qtensor<?x512, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<128x512, #qc.int<s4>, f16 #qc.per_block<[1, 128]>> -> tensor<?x128xf32>
    return %y : tensor<?x128xf32>
  }
}

// -----

// CHECK-LABEL: func.func @nvidia(
// CHECK: %[[W:.*]] = qc.constant codes(dense_resource<qc_codes> : tensor<32768xi8>) scales(dense<5.000000e-01> : tensor<128x4xf16>) : !qc.qtensor<128x512, #qc.int<s4>, f16 #qc.per_block<[1, 128]>, layout #qc_nvvm.mma_fragments>
// CHECK: qc.matmul %{{.*}}, %[[W]]
// A matmul the target has no kernel for stays as it is, with the reason.
// CHECK: qc.matmul %{{.*}}, %{{.*}} : tensor<?x512xf32>, !qc.qtensor<128x512, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
module attributes {qc.target = #nvvm.target<chip = "sm_90">} {
  func.func @nvidia(%a: tensor<?x512xf16>, %b: tensor<?x512xf32>) -> (tensor<?x128xf32>, tensor<?x128xf32>) {
    %w = qc.constant codes(dense<17> : tensor<32768xi8>) scales(dense<0.5> : tensor<128x4xf16>)
        : !qc.qtensor<128x512, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
    %y = qc.matmul %a, %w : tensor<?x512xf16>, !qc.qtensor<128x512, #qc.int<s4>, f16 #qc.per_block<[1, 128]>> -> tensor<?x128xf32>
    // expected-remark @+1 {{qc-materialize-layouts: weight left as it is: activations are f32; the W4A16 kernel reads f16 or bf16}}
    %z = qc.matmul %b, %w : tensor<?x512xf32>, !qc.qtensor<128x512, #qc.int<s4>, f16 #qc.per_block<[1, 128]>> -> tensor<?x128xf32>
    return %y, %z : tensor<?x128xf32>, tensor<?x128xf32>
  }
}

// -----

// expected-error @+1 {{qc-materialize-layouts: the module has no qc.target attribute naming its target}}
module {
  func.func @none() {
    return
  }
}

// -----

// expected-error @+1 {{qc-materialize-layouts: "sm_90" is no target qc has kernels for here}}
module attributes {qc.target = "sm_90"} {
  func.func @not_a_target() {
    return
  }
}
