//===- Passes.td - qc conversion passes --------------------*- tablegen -*-===//

#ifndef QC_CONVERSION_PASSES_TD
#define QC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertQCToLinalg : Pass<"convert-qc-to-linalg", "::mlir::ModuleOp"> {
  let summary = "reference lowering of every qc op to linalg, tensor, arith and math";
  let description = [{
    Lowers every `qc` op to upstream tensor-level dialects with exactly the
    semantics the op descriptions state (f32 arithmetic, the grid's tie
    rules, the scale methods of `qc.quantize`). It is the reference every
    faster lowering is checked against: correct, not fast.

    A `!qc.qtensor` value becomes its parts (codes `tensor<SHAPE x iB>`,
    scales, then zero points and outer scales when the type has them), also
    across function signatures, calls and returns. Scales and zero points
    stored in a float format without LLVM support (f8, f6, f4, E8M0) travel
    as integer tensors holding their bit patterns.

    Grids are decoded with a table of their 2^B values and encoded with the
    numerics library's decision tables (midpoints with the tie rule, a B-step
    binary search), so run-time quantization gives the codes compile-time
    quantization gives.

    An op that carries a quantized tensor and is not a qc op, `func.func`,
    `func.call`, `func.return` or structured `scf` control flow gets an error
    naming it.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // QC_CONVERSION_PASSES_TD
