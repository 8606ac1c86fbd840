// Programs the reference lowering cannot lower get a diagnostic naming the op.
// RUN: qc-opt %s --convert-qc-to-linalg --split-input-file -verify-diagnostics

func.func @select(%c: i1, %a: !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_tensor>,
                  %b: !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_tensor>) {
  // expected-error @+1 {{'arith.select' op carries a quantized tensor, which convert-qc-to-linalg can only lower through qc ops, func.func/call/return and scf control flow}}
  %r = arith.select %c, %a, %b : !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_tensor>
  return
}

// -----

func.func @packed_dynamic(%b: tensor<?xi8>, %s: tensor<?xf32>) {
  // expected-error @+1 {{'qc.assemble' op with packed codes needs a static shape in convert-qc-to-linalg (the element count gives the unpacking)}}
  %q = qc.assemble packed %b, %s : !qc.qtensor<?x32, #qc.int<s4>, f32 #qc.per_axis<0>>
  return
}
