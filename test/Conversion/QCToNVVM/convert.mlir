// convert-qc-to-nvvm: which matmuls get the W4A16 kernel (after
// qc-nvvm-layout put their weight in #qc_nvvm.mma_fragments order), what the
// call and the kernel module look like, and why the others keep the
// reference lowering (remarks).
// RUN: qc-opt %s --qc-nvvm-layout --convert-qc-to-nvvm="chip=sm_90 remarks" --split-input-file -verify-diagnostics | FileCheck %s
// RUN: qc-opt %s --qc-nvvm-layout --convert-qc-to-nvvm --qc-nvvm-host-functions --split-input-file | FileCheck %s --check-prefix=HOST

// CHECK-LABEL: func.func @w4a16(
// CHECK: %[[W:.*]] = arith.constant dense_resource<qc_codes> : tensor<32768xi8>
// CHECK: %[[Y:.*]] = tensor.empty(%{{.*}}) : tensor<?x128xf32>
// CHECK: qc.kernel_call @qc_nvvm_w4a16_n128_k512_g128_split2_host ins(%{{.*}}, %[[W]], %{{.*}} : tensor<?x512xf16>, tensor<32768xi8>, tensor<128x4xf16>) outs(%[[Y]] : tensor<?x128xf32>)
// The bias is added on the host:
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK-NOT: qc.matmul
// CHECK: func.func private @qc_nvvm_w4a16_n128_k512_g128_split2_host(memref<?x512xf16>, memref<32768xi8>, memref<128x4xf16>, memref<?x128xf32>) attributes {qc.kernel_spec = {{.*}}, qc.nvvm_launch = {constants = array<i64: 1, 2>, grid = array<i64: 2, 2>, kernel = @qc_nvvm_kernels::@qc_nvvm_w4a16_n128_k512_g128_split2, rows_per_block = 16 : i64, threads = 128 : i64}}
// CHECK: gpu.module @qc_nvvm_kernels [#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">]
// CHECK: gpu.func @qc_nvvm_w4a16_n128_k512_g128_split2(%{{.*}}: memref<?x512xf16>, %{{.*}}: memref<8192xi32>, %{{.*}}: memref<128x4xf16>, %{{.*}}: memref<?x128xf32>) workgroup(%{{.*}} : memref<4x16x72xf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}, %{{.*}} : memref<4x128x4xi32, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}) kernel
// CHECK-COUNT-2: nvgpu.device_async_copy
// CHECK: nvvm.cp.async.commit.group
// CHECK: scf.for
// CHECK: nvvm.cp.async.wait.group 2
// CHECK: gpu.barrier
// CHECK: nvgpu.ldmatrix %{{.*}} {numTiles = 4 : i32, transpose = false}
// CHECK: llvm.inline_asm "lop3.b32 $0, $1, $2, $3, 0xea;"
// CHECK: nvgpu.mma.sync({{.*}}) {mmaShape = [16, 8, 16]} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
// CHECK: memref.atomic_rmw addf

// The host function: nothing at all for M = 0 rows; the activations are
// copied in per call, the constant weight's bytes and scales are not: the
// runtime's qcCudaConstant uploads them once (keyed by their host address)
// and the host function views the device pointer as a memref; only the
// per-call buffers are freed.
// HOST-LABEL: func.func private @qc_nvvm_w4a16_n128_k512_g128_split2_host(
// HOST-NOT: qc.nvvm_launch
// HOST: %[[M:.*]] = memref.dim %arg0
// HOST: %[[NONEMPTY:.*]] = arith.cmpi ne, %[[M]], %{{.*}} : index
// HOST: scf.if %[[NONEMPTY]] {
// HOST: %[[A:.*]] = gpu.alloc (%{{.*}}) : memref<?x512xf16>
// HOST: gpu.memcpy %[[A]], %arg0
// HOST-NOT: gpu.memcpy
// HOST: %[[WP:.*]] = memref.extract_aligned_pointer_as_index %arg1 : memref<32768xi8>
// HOST: %[[WD:.*]] = func.call @qcCudaConstant(%{{.*}}, %c32768_i64) : (!llvm.ptr, i64) -> !llvm.ptr
// HOST: llvm.insertvalue %[[WD]], %{{.*}}[0]
// HOST: %[[W:.*]] = builtin.unrealized_conversion_cast %{{.*}} to memref<32768xi8>
// HOST-NOT: gpu.memcpy
// HOST: memref.extract_aligned_pointer_as_index %arg2 : memref<128x4xf16>
// HOST: func.call @qcCudaConstant(%{{.*}}, %c1024_i64)
// HOST-NOT: gpu.memcpy
// HOST: %[[Y:.*]] = gpu.alloc (%{{.*}}) : memref<?x128xf32>
// HOST: gpu.memset %[[Y]], %{{.*}} : memref<?x128xf32>, f32
// HOST: memref.view %[[W]][%{{.*}}][] : memref<32768xi8> to memref<8192xi32>
// HOST: %[[ROWS:.*]] = arith.ceildivui %[[M]], %c16
// HOST: gpu.launch_func @qc_nvvm_kernels::@qc_nvvm_w4a16_n128_k512_g128_split2 blocks in (%c2{{.*}}, %c2{{.*}}, %[[ROWS]]) threads in (%c128{{.*}}, %c1{{.*}}, %c1{{.*}})
// HOST: gpu.memcpy %arg3, %[[Y]] : memref<?x128xf32>, memref<?x128xf32>
// HOST-NEXT: gpu.dealloc %[[A]]
// HOST-NEXT: gpu.dealloc %[[Y]]
// HOST-NEXT: }
// HOST-NEXT: return
// HOST: func.func private @qcCudaConstant(!llvm.ptr, i64) -> !llvm.ptr
// expected-remark @below {{convert-qc-to-nvvm: 1 kernel(s) emitted for sm_90 (qc_nvvm_w4a16_n128_k512_g128_split2); 0 matmul(s) left to the reference lowering}}
module {
func.func @w4a16(%a: tensor<?x512xf16>, %b: tensor<128xf32>) -> tensor<?x128xf32> {
  %w = qc.constant codes(dense<18> : tensor<32768xi8>) scales(dense<0.5> : tensor<128x4xf16>)
      : !qc.qtensor<128x512, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
  %y = qc.matmul %a, %w bias(%b : tensor<128xf32>) : tensor<?x512xf16>, !qc.qtensor<128x512, #qc.int<s4>, f16 #qc.per_block<[1, 128]>> -> tensor<?x128xf32>
  return %y : tensor<?x128xf32>
}
}

// -----

// The layout pass leaves alone what has no kernel; each gets a remark.
// CHECK-LABEL: func.func @fallbacks(
// CHECK-COUNT-6: qc.matmul
// CHECK-NOT: layout #qc_nvvm.mma_fragments
// expected-remark @below {{convert-qc-to-nvvm: 0 kernel(s) emitted for sm_90; 6 matmul(s) left to the reference lowering}}
module {
func.func @fallbacks(%a: tensor<?x128xf16>, %a32: tensor<?x128xf32>,
                     %bytes: tensor<4096xi8>, %s: tensor<64x1xf16>)
    -> (tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf16>, tensor<?x32xf32>, tensor<?x64xf32>) {
  %w = qc.constant codes(dense<18> : tensor<4096xi8>) scales(dense<0.5> : tensor<64x1xf16>)
      : !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
  // expected-remark @below {{no NVIDIA kernel, left to the reference lowering: activations are f32; the W4A16 kernel reads f16 or bf16}}
  %y0 = qc.matmul %a32, %w : tensor<?x128xf32>, !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 128]>> -> tensor<?x64xf32>
  %wz = qc.constant codes(dense<18> : tensor<4096xi8>) scales(dense<0.5> : tensor<64x1xf16>) zero_points(dense<16> : tensor<64x1xi8>)
      : !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 128]>, zero_point i8>
  // expected-remark @below {{no NVIDIA kernel, left to the reference lowering: zero point 16 lies outside the grid (the kernel subtracts zero points that are codes)}}
  %y1 = qc.matmul %a, %wz : tensor<?x128xf16>, !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 128]>, zero_point i8> -> tensor<?x64xf32>
  %w64 = qc.constant codes(dense<18> : tensor<4096xi8>) scales(dense<0.5> : tensor<64x2xf16>)
      : !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 64]>>
  // expected-remark @below {{no NVIDIA kernel, left to the reference lowering: weight scales are f16 #qc.per_block<[1, 64]>; the kernel reads f16 (the activations' type) per 1 x 128 block}}
  %y2 = qc.matmul %a, %w64 : tensor<?x128xf16>, !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 64]>> -> tensor<?x64xf32>
  // expected-remark @below {{no NVIDIA kernel, left to the reference lowering: the result is f16; the kernel accumulates and writes f32}}
  %y3 = qc.matmul %a, %w : tensor<?x128xf16>, !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 128]>> -> tensor<?x64xf16>
  %w32 = qc.constant codes(dense<18> : tensor<2048xi8>) scales(dense<0.5> : tensor<32x1xf16>)
      : !qc.qtensor<32x128, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
  // expected-remark @below {{no NVIDIA kernel, left to the reference lowering: N = 32 is not a multiple of 64}}
  %y4 = qc.matmul %a, %w32 : tensor<?x128xf16>, !qc.qtensor<32x128, #qc.int<s4>, f16 #qc.per_block<[1, 128]>> -> tensor<?x32xf32>
  %wa = qc.assemble packed %bytes, %s : !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
  // expected-remark @below {{no NVIDIA kernel, left to the reference lowering: the weight is not in #qc_nvvm.mma_fragments order (qc-nvvm-layout puts constant weights in it)}}
  %y5 = qc.matmul %a, %wa : tensor<?x128xf16>, !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 128]>> -> tensor<?x64xf32>
  return %y0, %y1, %y2, %y3, %y4, %y5 : tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf16>, tensor<?x32xf32>, tensor<?x64xf32>
}
}

// -----

// W4A16 variants: bf16 activations with bf16 scales (the bf16 magic
// numbers, nvvm.mma.sync on bf16: nvgpu has no bf16 MMA), and u4 codes with
// integer zero points (AWQ), whose offsets z + 0 the host converts to the
// activations' type for the kernel's extra argument.
// CHECK-LABEL: func.func @w4a16_variants(
// CHECK: qc.kernel_call @qc_nvvm_w4a16_n64_k128_g128_split1_bf16_host ins({{.*}} : tensor<?x128xbf16>, tensor<4096xi8>, tensor<64x1xbf16>) outs(%{{.*}} : tensor<?x64xf32>)
// CHECK: linalg.generic
// CHECK: arith.sitofp %{{.*}} : i8 to f32
// CHECK: arith.addf %{{.*}}, %cst{{.*}} : f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: qc.kernel_call @qc_nvvm_w4a16_n64_k128_g128_split1_zp_host ins({{.*}} : tensor<?x128xf16>, tensor<4096xi8>, tensor<64x1xf16>, tensor<64x1xf16>) outs(%{{.*}} : tensor<?x64xf32>)
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK: qc.kernel_call @qc_nvvm_w4a16_n64_k128_g128_split1_bf16_zp_host ins(
// CHECK: gpu.func @qc_nvvm_w4a16_n64_k128_g128_split1_bf16(%{{.*}}: memref<?x128xbf16>, %{{.*}}: memref<1024xi32>, %{{.*}}: memref<64x1xbf16>, %{{.*}}: memref<?x64xf32>) workgroup(%{{.*}} : memref<4x16x72xbf16, #gpu.address_space<workgroup>>
// 0x43004300: bf16x2 of 128 + c.
// CHECK: llvm.inline_asm "lop3.b32 $0, $1, $2, $3, 0xea;", "=r,r,n,n" %{{.*}}, %{{.*}}, %c1124090624_i32
// CHECK: nvvm.mma.sync A[{{.*}}] B[{{.*}}] C[{{.*}}] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>}
// CHECK: gpu.func @qc_nvvm_w4a16_n64_k128_g128_split1_zp(%{{.*}}: memref<?x128xf16>, %{{.*}}: memref<1024xi32>, %{{.*}}: memref<64x1xf16>, %[[OFF:.*]]: memref<64x1xf16>, %{{.*}}: memref<?x64xf32>)
// CHECK: memref.load %[[OFF]]
// CHECK: gpu.func @qc_nvvm_w4a16_n64_k128_g128_split1_bf16_zp(
// expected-remark @below {{convert-qc-to-nvvm: 3 kernel(s) emitted for sm_90 (qc_nvvm_w4a16_n64_k128_g128_split1_bf16, qc_nvvm_w4a16_n64_k128_g128_split1_zp, qc_nvvm_w4a16_n64_k128_g128_split1_bf16_zp); 2 matmul(s) left to the reference lowering}}
module {
func.func @w4a16_variants(%a: tensor<?x128xf16>, %b: tensor<?x128xbf16>)
    -> (tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>) {
  %wb = qc.constant codes(dense<18> : tensor<4096xi8>) scales(dense<0.5> : tensor<64x1xbf16>)
      : !qc.qtensor<64x128, #qc.int<s4>, bf16 #qc.per_block<[1, 128]>>
  %y0 = qc.matmul %b, %wb : tensor<?x128xbf16>, !qc.qtensor<64x128, #qc.int<s4>, bf16 #qc.per_block<[1, 128]>> -> tensor<?x64xf32>
  %wz = qc.constant codes(dense<18> : tensor<4096xi8>) scales(dense<0.5> : tensor<64x1xf16>) zero_points(dense<3> : tensor<64x1xi8>)
      : !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 128]>, zero_point i8>
  %y1 = qc.matmul %a, %wz : tensor<?x128xf16>, !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 128]>, zero_point i8> -> tensor<?x64xf32>
  %wbz = qc.constant codes(dense<18> : tensor<4096xi8>) scales(dense<0.5> : tensor<64x1xbf16>) zero_points(dense<15> : tensor<64x1xi8>)
      : !qc.qtensor<64x128, #qc.int<u4>, bf16 #qc.per_block<[1, 128]>, zero_point i8>
  %y2 = qc.matmul %b, %wbz : tensor<?x128xbf16>, !qc.qtensor<64x128, #qc.int<u4>, bf16 #qc.per_block<[1, 128]>, zero_point i8> -> tensor<?x64xf32>
  // expected-remark @below {{no NVIDIA kernel, left to the reference lowering: weight scales are f16 #qc.per_block<[1, 128]>; the kernel reads bf16 (the activations' type) per 1 x 128 block}}
  %y3 = qc.matmul %b, %wz : tensor<?x128xbf16>, !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 128]>, zero_point i8> -> tensor<?x64xf32>
  %wf = qc.constant codes(dense<18> : tensor<4096xi8>) scales(dense<0.5> : tensor<64x1xf16>) zero_points(dense<3.0> : tensor<64x1xf16>)
      : !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 128]>, zero_point f16>
  // expected-remark @below {{no NVIDIA kernel, left to the reference lowering: zero points of type f16 have no NVIDIA kernel (integer zero points do)}}
  %y4 = qc.matmul %a, %wf : tensor<?x128xf16>, !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 128]>, zero_point f16> -> tensor<?x64xf32>
  return %y0, %y1, %y2, %y3, %y4 : tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>
}
}

// -----

// Zero points in blobs (what qc-quantize-constants writes), read at compile
// time to check that they are codes: i8 all 3 (a kernel), i16 with one 300
// (little-endian 2C 01: outside the grid, a remark).
// CHECK-LABEL: func.func @blob_zero_points(
// CHECK: qc.kernel_call @qc_nvvm_w4a16_n64_k128_g128_split1_zp_host ins(
// CHECK: qc.matmul
// expected-remark @below {{convert-qc-to-nvvm: 1 kernel(s) emitted for sm_90 (qc_nvvm_w4a16_n64_k128_g128_split1_zp); 1 matmul(s) left to the reference lowering}}
module {
func.func @blob_zero_points(%a: tensor<?x128xf16>) -> (tensor<?x64xf32>, tensor<?x64xf32>) {
  %w8 = qc.constant codes(dense<18> : tensor<4096xi8>) scales(dense<0.5> : tensor<64x1xf16>) zero_points(dense_resource<z8> : tensor<64x1xi8>)
      : !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 128]>, zero_point i8>
  %y0 = qc.matmul %a, %w8 : tensor<?x128xf16>, !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 128]>, zero_point i8> -> tensor<?x64xf32>
  %w16 = qc.constant codes(dense<18> : tensor<4096xi8>) scales(dense<0.5> : tensor<64x1xf16>) zero_points(dense_resource<z16> : tensor<64x1xi16>)
      : !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 128]>, zero_point i16>
  // expected-remark @below {{no NVIDIA kernel, left to the reference lowering: zero point 300 lies outside the grid (the kernel subtracts zero points that are codes)}}
  %y1 = qc.matmul %a, %w16 : tensor<?x128xf16>, !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 128]>, zero_point i16> -> tensor<?x64xf32>
  return %y0, %y1 : tensor<?x64xf32>, tensor<?x64xf32>
}
}
{-#
  dialect_resources: {
    builtin: {
      z8: "0x0100000003030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303",
      z16: "0x020000000300030003000300030003000300030003000300030003000300030003000300030003000300030003000300030003000300030003000300030003000300030003000300030003000300030003000300030003000300030003000300030003000300030003000300030003000300030003000300030003000300030003002C01"
    }
  }
#-}

// -----

// W8A8. Activations from a run-time qc.quantize (absmax per row) are
// quantized on the GPU: the host function takes the float activations and
// launches the quantization kernel before the W8A8 kernel (the qc.quantize
// stays only for its other user, %y2, which has no kernel). Activations
// that are already quantized (a function argument) are passed as codes and
// row scales (qc.disassemble). Both hosts share one W8A8 kernel; the
// weight's bytes are N x K row-major (no layout pass needed).
// CHECK-LABEL: func.func @w8a8(
// CHECK: %[[Q:.*]] = qc.quantize %{{.*}} : tensor<?x256xf32> -> !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_axis<0>>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [128, 256] : tensor<32768xi8> into tensor<128x256xi8>
// CHECK: qc.kernel_call @qc_nvvm_w8a8_n128_k256_from_f32_host ins({{.*}} : tensor<?x256xf32>, tensor<128x256xi8>, tensor<128xf32>) outs(%{{.*}} : tensor<?x128xf32>)
// CHECK: qc.quantize %{{.*}} : tensor<?x256xf32> -> !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>
// CHECK: qc.matmul %[[Q]]
// CHECK: qc.disassemble %{{.*}} :
// CHECK: qc.kernel_call @qc_nvvm_w8a8_n128_k256_host ins({{.*}} : tensor<?x256xi8>, tensor<?xf32>, tensor<128x256xi8>, tensor<128xf32>) outs(%{{.*}} : tensor<?x128xf32>)
// CHECK: qc.kernel_call @qc_nvvm_w8a8_n128_k256_from_f16_host ins({{.*}} : tensor<?x256xf16>
// CHECK: func.func private @qc_nvvm_w8a8_n128_k256_from_f32_host(memref<?x256xf32>, memref<128x256xi8>, memref<128xf32>, memref<?x128xf32>) attributes {qc.kernel_spec = {{.*}}, qc.nvvm_launch = {constants = array<i64: 1, 2>, grid = array<i64: 2, 1>, kernel = @qc_nvvm_kernels::@qc_nvvm_w8a8_n128_k256, quantize = {grid = array<i64: 1, 1>, kernel = @qc_nvvm_kernels::@qc_nvvm_quantize_rows_s8_k256_f32, rows_per_block = 4 : i64, threads = 128 : i64}, rows_per_block = 64 : i64, threads = 128 : i64}}
// CHECK: func.func private @qc_nvvm_w8a8_n128_k256_host(
// CHECK-SAME: qc.nvvm_launch = {constants = array<i64: 2, 3>, grid = array<i64: 2, 1>, kernel = @qc_nvvm_kernels::@qc_nvvm_w8a8_n128_k256, rows_per_block = 64 : i64, threads = 128 : i64}
// CHECK: gpu.func @qc_nvvm_w8a8_n128_k256(
// CHECK-SAME: workgroup(%{{.*}} : memref<3x64x80xi8, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}
// CHECK: nvgpu.ldmatrix %{{.*}} {numTiles = 4 : i32, transpose = false} : memref<3x64x80xi8, #gpu.address_space<workgroup>> -> vector<4x4xi8>
// CHECK: nvgpu.mma.sync({{.*}}) {mmaShape = [16, 8, 32]} : (vector<4x4xi8>, vector<2x4xi8>, vector<2x2xi32>) -> vector<2x2xi32>
// The quantization kernel: one warp per row; the row's absmax through five
// butterfly shuffles, s = amax / 127, codes by cvt.rni.
// CHECK: gpu.func @qc_nvvm_quantize_rows_s8_k256_f32(%{{.*}}: memref<?x256xf32>, %{{.*}}: memref<?x256xi8>, %{{.*}}: memref<?xf32>) kernel
// CHECK-COUNT-5: gpu.shuffle xor
// CHECK: arith.divf %{{.*}}, %cst{{.*}} : f32
// CHECK: arith.divf %{{.*}} : vector<4xf32>
// CHECK: llvm.inline_asm "cvt.rni.s32.f32 $0, $1;"
// CHECK: vector.store %{{.*}} {alignment = 4 : i64} : memref<?x256xi8>, vector<4xi8>
// CHECK: gpu.func @qc_nvvm_quantize_rows_s8_k256_f16(
// CHECK: arith.extf %{{.*}} : vector<4xf16> to vector<4xf32>
// CHECK-NOT: gpu.func @qc_nvvm_w8a8

// HOST-LABEL: func.func private @qc_nvvm_w8a8_n128_k256_from_f32_host(
// HOST: scf.if
// HOST: %[[X:.*]] = gpu.alloc (%{{.*}}) : memref<?x256xf32>
// HOST: gpu.memcpy %[[X]]
// HOST-COUNT-2: func.call @qcCudaConstant
// HOST: %[[CODES:.*]] = gpu.alloc (%[[M:.*]]) : memref<?x256xi8>
// HOST: %[[SCALES:.*]] = gpu.alloc (%[[M]]) : memref<?xf32>
// HOST: %[[QB:.*]] = arith.ceildivui %[[M]], %c4
// HOST: gpu.launch_func @qc_nvvm_kernels::@qc_nvvm_quantize_rows_s8_k256_f32 blocks in (%c1{{.*}}, %c1{{.*}}, %[[QB]]) threads in (%c128{{.*}}, %c1{{.*}}, %c1{{.*}}) args(%[[X]] : memref<?x256xf32>, %[[CODES]] : memref<?x256xi8>, %[[SCALES]] : memref<?xf32>
// HOST: %[[WB:.*]] = arith.ceildivui %[[M]], %c64
// HOST: gpu.launch_func @qc_nvvm_kernels::@qc_nvvm_w8a8_n128_k256 blocks in (%c2{{.*}}, %c1{{.*}}, %[[WB]]) threads in (%c128{{.*}}, %c1{{.*}}, %c1{{.*}}) args(%[[CODES]] : memref<?x256xi8>, %[[SCALES]] : memref<?xf32>,
// HOST: gpu.memcpy
// HOST-COUNT-4: gpu.dealloc
// HOST-NEXT: }
// HOST-NEXT: return
// expected-remark @below {{convert-qc-to-nvvm: 3 kernel(s) emitted for sm_90 (qc_nvvm_w8a8_n128_k256, qc_nvvm_quantize_rows_s8_k256_f32, qc_nvvm_quantize_rows_s8_k256_f16); 2 matmul(s) left to the reference lowering}}
module {
func.func @w8a8(%a: tensor<?x256xf32>, %qc: !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_axis<0>>, %h: tensor<?x256xf16>)
    -> (tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>) {
  %w = qc.constant codes(dense<3> : tensor<32768xi8>) scales(dense<0.5> : tensor<128xf32>)
      : !qc.qtensor<128x256, #qc.int<s8>, f32 #qc.per_axis<0>>
  %qa = qc.quantize %a : tensor<?x256xf32> -> !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_axis<0>>
  %y = qc.matmul %qa, %w : !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<128x256, #qc.int<s8>, f32 #qc.per_axis<0>> -> tensor<?x128xf32>
  %qb = qc.quantize %a : tensor<?x256xf32> -> !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>
  // expected-remark @below {{no NVIDIA kernel, left to the reference lowering: activations are !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>; the W8A8 kernel reads #qc.int<s8> codes with f32 scales per row (#qc.per_axis<0>)}}
  %y1 = qc.matmul %qb, %w : !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>, !qc.qtensor<128x256, #qc.int<s8>, f32 #qc.per_axis<0>> -> tensor<?x128xf32>
  %w4 = qc.constant codes(dense<3> : tensor<16384xi8>) scales(dense<0.5> : tensor<128x2xf16>)
      : !qc.qtensor<128x256, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
  // expected-remark @below {{no NVIDIA kernel, left to the reference lowering: the weight is !qc.qtensor<128x256, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>; the W8A8 kernel reads static #qc.int<s8> codes with f32 scales per row (#qc.per_axis<0>)}}
  %y2 = qc.matmul %qa, %w4 : !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<128x256, #qc.int<s4>, f16 #qc.per_block<[1, 128]>> -> tensor<?x128xf32>
  %y3 = qc.matmul %qc, %w : !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<128x256, #qc.int<s8>, f32 #qc.per_axis<0>> -> tensor<?x128xf32>
  %qh = qc.quantize %h : tensor<?x256xf16> -> !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_axis<0>>
  %y4 = qc.matmul %qh, %w : !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<128x256, #qc.int<s8>, f32 #qc.per_axis<0>> -> tensor<?x128xf32>
  return %y, %y1, %y2, %y3, %y4 : tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>
}
}
