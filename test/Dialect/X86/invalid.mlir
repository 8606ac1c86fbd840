// RUN: qc-opt %s -split-input-file -verify-diagnostics

func.func @maddubs_lanes(%b: vector<32xi8>) {
  // expected-error @+1 {{'qc_x86.vpmaddubsw' op result must have half the lanes of the operands (16), not 8}}
  %0 = qc_x86.vpmaddubsw %b, %b : vector<32xi8> -> vector<8xi16>
  return
}

// -----

func.func @maddubs_width(%b: vector<8xi8>) {
  // expected-error @+1 {{operand #0 must be vector of 8-bit signless integer values of length 16/32}}
  %0 = qc_x86.vpmaddubsw %b, %b : vector<8xi8> -> vector<4xi16>
  return
}

// -----

func.func @maddwd_lanes(%h: vector<16xi16>) {
  // expected-error @+1 {{'qc_x86.vpmaddwd' op result must have half the lanes of the operands (8), not 4}}
  %0 = qc_x86.vpmaddwd %h, %h : vector<16xi16> -> vector<4xi32>
  return
}

// -----

func.func @shufb_type(%b: vector<16xi16>) {
  // expected-error @+1 {{must be vector of 8-bit signless integer values of length 16/32}}
  %0 = qc_x86.vpshufb %b, %b : vector<16xi16>
  return
}

// -----

func.func @permps_type(%f: vector<4xf32>, %i: vector<8xi32>) {
  // expected-error @+1 {{must be vector of 32-bit float values of length 8}}
  %0 = qc_x86.vpermps %f, %i : vector<4xf32>, vector<8xi32>
  return
}
