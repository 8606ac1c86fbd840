// convert-qc-x86-to-llvm: each op becomes the call of its LLVM intrinsic,
// 256-bit vectors the AVX2 one, 128-bit vectors the SSE one.
// RUN: qc-opt %s --convert-qc-x86-to-llvm | FileCheck %s
// And llc emits the instruction each op is named after.
// RUN: qc-opt %s --convert-qc-x86-to-llvm --convert-to-llvm | mlir-translate --mlir-to-llvmir \
// RUN:   | llc -O2 -mtriple=x86_64-unknown-linux-gnu -mcpu=haswell | FileCheck %s --check-prefix=ASM

// CHECK-LABEL: func.func @ops(
// ASM-LABEL: ops:
func.func @ops(%b16: vector<16xi8>, %b32: vector<32xi8>, %h8: vector<8xi16>, %h16: vector<16xi16>,
               %f: vector<8xf32>, %i: vector<8xi32>)
    -> (vector<16xi16>, vector<8xi16>, vector<8xi32>, vector<4xi32>, vector<32xi8>, vector<16xi8>, vector<32xi8>, vector<8xf32>) {
  // CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"(%{{.*}}, %{{.*}}) : (vector<32xi8>, vector<32xi8>) -> vector<16xi16>
  // ASM-DAG: vpmaddubsw %ymm
  %0 = qc_x86.vpmaddubsw %b32, %b32 : vector<32xi8> -> vector<16xi16>
  // CHECK: llvm.call_intrinsic "llvm.x86.ssse3.pmadd.ub.sw.128"(%{{.*}}, %{{.*}}) : (vector<16xi8>, vector<16xi8>) -> vector<8xi16>
  // ASM-DAG: vpmaddubsw %xmm
  %1 = qc_x86.vpmaddubsw %b16, %b16 : vector<16xi8> -> vector<8xi16>
  // CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%{{.*}}, %{{.*}}) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
  // ASM-DAG: vpmaddwd %ymm
  %2 = qc_x86.vpmaddwd %h16, %h16 : vector<16xi16> -> vector<8xi32>
  // CHECK: llvm.call_intrinsic "llvm.x86.sse2.pmadd.wd"(%{{.*}}, %{{.*}}) : (vector<8xi16>, vector<8xi16>) -> vector<4xi32>
  // ASM-DAG: vpmaddwd %xmm
  %3 = qc_x86.vpmaddwd %h8, %h8 : vector<8xi16> -> vector<4xi32>
  // CHECK: llvm.call_intrinsic "llvm.x86.avx2.psign.b"(%{{.*}}, %{{.*}}) : (vector<32xi8>, vector<32xi8>) -> vector<32xi8>
  // ASM-DAG: vpsignb %ymm
  %4 = qc_x86.vpsignb %b32, %b32 : vector<32xi8>
  // CHECK: llvm.call_intrinsic "llvm.x86.ssse3.pshuf.b.128"(%{{.*}}, %{{.*}}) : (vector<16xi8>, vector<16xi8>) -> vector<16xi8>
  // ASM-DAG: vpshufb %xmm
  %5 = qc_x86.vpshufb %b16, %b16 : vector<16xi8>
  // CHECK: llvm.call_intrinsic "llvm.x86.avx2.pshuf.b"(%{{.*}}, %{{.*}}) : (vector<32xi8>, vector<32xi8>) -> vector<32xi8>
  %6 = qc_x86.vpshufb %b32, %b32 : vector<32xi8>
  // CHECK: llvm.call_intrinsic "llvm.x86.avx2.permps"(%{{.*}}, %{{.*}}) : (vector<8xf32>, vector<8xi32>) -> vector<8xf32>
  // ASM-DAG: vpermps %ymm
  %7 = qc_x86.vpermps %f, %i : vector<8xf32>, vector<8xi32>
  // CHECK-NOT: qc_x86
  return %0, %1, %2, %3, %4, %5, %6, %7 : vector<16xi16>, vector<8xi16>, vector<8xi32>, vector<4xi32>, vector<32xi8>, vector<16xi8>, vector<32xi8>, vector<8xf32>
}
