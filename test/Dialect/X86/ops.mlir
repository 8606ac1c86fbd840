// Every qc_x86 op round-trips through the custom and the generic form.
// RUN: qc-opt %s | qc-opt | FileCheck %s
// RUN: qc-opt %s --mlir-print-op-generic | qc-opt | FileCheck %s

// CHECK-LABEL: func.func @ops(
func.func @ops(%b16: vector<16xi8>, %b32: vector<32xi8>, %h8: vector<8xi16>, %h16: vector<16xi16>,
               %f: vector<8xf32>, %i: vector<8xi32>) {
  // CHECK: qc_x86.vpmaddubsw %{{.*}}, %{{.*}} : vector<32xi8> -> vector<16xi16>
  %0 = qc_x86.vpmaddubsw %b32, %b32 : vector<32xi8> -> vector<16xi16>
  // CHECK: qc_x86.vpmaddubsw %{{.*}}, %{{.*}} : vector<16xi8> -> vector<8xi16>
  %1 = qc_x86.vpmaddubsw %b16, %b16 : vector<16xi8> -> vector<8xi16>
  // CHECK: qc_x86.vpmaddwd %{{.*}}, %{{.*}} : vector<16xi16> -> vector<8xi32>
  %2 = qc_x86.vpmaddwd %h16, %h16 : vector<16xi16> -> vector<8xi32>
  // CHECK: qc_x86.vpmaddwd %{{.*}}, %{{.*}} : vector<8xi16> -> vector<4xi32>
  %3 = qc_x86.vpmaddwd %h8, %h8 : vector<8xi16> -> vector<4xi32>
  // CHECK: qc_x86.vpsignb %{{.*}}, %{{.*}} : vector<32xi8>
  %4 = qc_x86.vpsignb %b32, %b32 : vector<32xi8>
  // CHECK: qc_x86.vpshufb %{{.*}}, %{{.*}} : vector<16xi8>
  %5 = qc_x86.vpshufb %b16, %b16 : vector<16xi8>
  // CHECK: qc_x86.vpermps %{{.*}}, %{{.*}} : vector<8xf32>, vector<8xi32>
  %6 = qc_x86.vpermps %f, %i : vector<8xf32>, vector<8xi32>
  return
}

// The ops are Pure: unused ones go away.
// RUN: qc-opt %s --canonicalize | FileCheck %s --check-prefix=DCE
// DCE-LABEL: func.func @ops(
// DCE-NEXT: return
