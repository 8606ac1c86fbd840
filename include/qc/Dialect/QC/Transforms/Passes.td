//===- Passes.td - qc transformation passes ----------------*- tablegen -*-===//

#ifndef QC_DIALECT_QC_TRANSFORMS_PASSES_TD
#define QC_DIALECT_QC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def QuantizeConstants : Pass<"qc-quantize-constants"> {
  let summary = "quantize constant float weights at compile time";
  let description = [{
    Rewrites `qc.quantize` of a float constant (`arith.constant` with a dense
    or `dense_resource` value, static shape) into a `qc.constant` whose codes
    are packed into bytes (B bits per code, least significant bit first) and
    whose scales, zero points and outer scales are computed once, with the
    numerics library: the same arithmetic the run-time lowering performs, so
    both give bit-identical codes.

    Codes and every byte-sized part go into `dense_resource` blobs named
    after the constant (`qc_codes`, `qc_scales`, ... with a numeric suffix
    when taken), so a large weight never becomes a text array. Parts in
    sub-byte float formats (f4/f6 scales) stay `dense` attributes.

    ```mlir
    %w = arith.constant dense_resource<w> : tensor<4096x4096xf32>
    %q = qc.quantize %w : tensor<4096x4096xf32>
        -> !qc.qtensor<4096x4096, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
    // becomes
    %q = qc.constant codes(dense_resource<qc_codes> : tensor<8388608xi8>)
                     scales(dense_resource<qc_scales> : tensor<4096x32xf16>)
        : !qc.qtensor<4096x4096, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
    ```
  }];
  let dependentDialects = ["::mlir::qc::QCDialect"];
}

def FuseRotations : Pass<"qc-fuse-rotations"> {
  let summary = "absorb rotations into the constant float weights next to them";
  let description = [{
    Moves `qc.rotate` ops (along the last axis) into float Linear layers
    (`qc.matmul` with a float `arith.constant` weight) with exact algebra,
    computed in float64 and stored as new f32 constants (`R` is the op's
    matrix: `Q`, or `Q^T` with `transpose`):

    * reader: `(x R) W^T = x (W R^T)^T`: a rotation whose every user is such
      a Linear (as its activation) is removed and each weight becomes
      `W R^T`;
    * writer: `(h W^T + b) R = h (R^T W)^T + b R`: a rotation of the only
      use of such a Linear's result is removed and the weight becomes
      `R^T W`, the (constant) bias `b R`;
    * cancel: `x Q` then `x Q^T` (or `Q` twice when `Q` is symmetric) is
      `x`;
    * through `qc.rms_norm` without a weight, which commutes with any
      rotation along its axis (the rotation moves to its input and may be
      absorbed by the writer there). A norm weight `g` is first folded into
      the Linear layers that read the norm (`W <- W diag(g)`) when all of
      its users are such layers;
    * through `arith.addf` (a residual add): `(a + b) R = a R + b R` when
      both operands then absorb the rotation (outputs of float Linear
      layers, or the inverse rotation), so that no rotation is added.

    Nothing crosses a nonlinearity, a quantizer (`qc.quantize`: rotating
    quantized values is not rotating the values) or a quantized weight; a
    rotation that stays is lowered as an online fast Walsh-Hadamard
    transform, and with `remarks` gets a remark saying what blocked it
    (plus one summary remark counting what was absorbed).

    The rules are rewrite patterns applied by the greedy driver to the
    rotations and norms (and what the rules create) until none matches.

    ```mlir
    %r = qc.rotate %x by #qc.hadamard<64> along 1 : tensor<?x64xf32>
    %y = qc.matmul %r, %w : tensor<?x64xf32>, tensor<32x64xf32> -> tensor<?x32xf32>
    // becomes
    %y = qc.matmul %x, %w2 : tensor<?x64xf32>, tensor<32x64xf32> -> tensor<?x32xf32>
    // with %w2 = %w * Q^T, a new constant
    ```
  }];
  let options = [
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Emit a remark for each rotation left online, saying what blocked "
           "it, and one summary remark on the module">,
  ];
  let dependentDialects = ["::mlir::qc::QCDialect",
                           "::mlir::arith::ArithDialect"];
}

def InsertRotations : Pass<"qc-insert-rotations"> {
  let summary = "insert QuaRot-style rotation pairs in front of quantized matmuls";
  let description = [{
    For each `qc.matmul` whose weight is `qc.quantize` of a float constant
    `W` (N x K) and, by default, whose activations are quantized
    (`qc.quantize` of a float `x`): W4A4, W4A8, W8A8, ...; with
    `weights-only`, also matmuls with float activations. The pass rewrites

    ```
    quantize(x) . quantize(W)^T   ->   quantize(x Q) . quantize(W Q)^T
    ```

    with `x Q` an online `qc.rotate` and `W Q` computed at compile time
    (float64, stored as a new f32 constant). Before quantization the
    function is unchanged (`(x Q)(W Q)^T = x W^T`, Q orthogonal); after,
    both operands are quantized in a basis where outliers are spread over
    all K channels. `qc-fuse-rotations` then absorbs `x Q` into the Linear
    layer that writes `x` where it can.

    `Q` is `#qc.hadamard<K>` with the base that `#qc.hadamard<K>` chooses:
    none when K is a power of two, else the base of smallest order that
    covers K (Paley I/II or Williamson, at most order 1024; K = 11008 gets
    `williamson = 43`, order 172); with `seed` >= 0, its random-sign
    variant. Matmuls whose K no base covers are left alone (with `remarks`,
    with a remark that says why in the verifier's words, with the nearest
    sizes that work). The rule is a rewrite pattern
    applied once to each matmul (the walk driver: a rotated matmul is not
    rotated again).

    ```mlir
    %qa = qc.quantize %x : tensor<?x64xf32> -> !qc.qtensor<?x64, #qc.int<s8>, f32 #qc.per_axis<0>>
    %qw = qc.quantize %w : tensor<32x64xf32> -> !qc.qtensor<32x64, #qc.int<s4>, f32 #qc.per_axis<0>>
    %y = qc.matmul %qa, %qw : ...
    // becomes
    %r = qc.rotate %x by #qc.hadamard<64> along 1 : tensor<?x64xf32>
    %qa = qc.quantize %r : ...
    %qw = qc.quantize %wq : ...      // %wq = W Q, a new constant
    %y = qc.matmul %qa, %qw : ...
    ```
  }];
  let options = [
    Option<"weightsOnly", "weights-only", "bool", /*default=*/"false",
           "also rotate matmuls whose activations stay float">,
    Option<"seed", "seed", "int64_t", /*default=*/"-1",
           "random-sign Hadamard with this seed (-1: plain Hadamard)">,
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Emit a remark for each matmul that gets no rotation, saying why, "
           "and one summary remark">,
  ];
  let dependentDialects = ["::mlir::qc::QCDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // QC_DIALECT_QC_TRANSFORMS_PASSES_TD
