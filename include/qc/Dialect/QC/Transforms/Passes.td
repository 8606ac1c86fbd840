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

    With `remarks`, each quantized constant gets a remark with its error
    against the float values it was quantized from: the SQNR,
    `10 log10(sum x^2 / sum (x - dq(q(x)))^2)` in float64, and the largest
    `|x - dq(q(x))|` relative to the largest `|x|` (for a rotated type, in
    the rotated basis the codes hold). This is how a conversion of imported
    weights (GGUF K-quants imported as their exact f32 values, then
    `qc-quantize-model`) reports its error against the file's values.
  }];
  let options = [
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Emit a remark per quantized constant with its SQNR and largest "
           "relative error against the float values">,
  ];
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
      layers, or the inverse rotation), so that no rotation is added;
    * a permutation (`#qc.permutation`) also moves through any other
      elementwise op (`math.tanh`, the gate product of a gated MLP):
      `f(x, y) P = f(x P, y P)`, when every operand then absorbs it (splat
      constants need nothing). Permutations and Hadamards compose by these
      rules like any two rotations (each is absorbed in turn).

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

def RearrangeOutliers : Pass<"qc-rearrange-outliers", "::mlir::ModuleOp"> {
  let summary = "permute input channels so that quantization groups are homogeneous or outliers form a high-precision tail";
  let description = [{
    For each group of Linear layers that read the same channels, the pass
    measures how large each input channel is, picks a permutation `P` of
    the channels (`method`), and rewrites the program so that it computes
    the same function with the channels in the new order: every reader's
    weight columns are permuted (`W P`) and everything that produces the
    channels produces them permuted. Quantization groups along K then hold
    channels of similar size (or the outliers end up in a tail kept at
    higher precision, `tail`), at no run-time cost where the permutation
    is absorbed.

    **Readers** are `qc.matmul` ops whose weight is a float constant, or
    `qc.quantize` (used once) of a float constant: the permutation goes into
    the float weight before it is quantized. Their activation may be float
    or `qc.quantize` of a float tensor (quantized at run time, in the new
    order).

    **Statistics** (`metric`): per input channel k, over all readers of the
    group,
    * `weight-max-abs` (default): max |W[n, k]|; `weight-l2`: the L2 norm of
      the columns;
    * `act-max-abs`, `act-mean-abs`, `act-sq-sum`: calibration statistics of
      the activation the matmul reads (max |x_k|, mean |x_k|, or diag(X^T X),
      the sum of x_k^2 over the calibration tokens), attached by the user to
      each reader as a dense float attribute of K values named
      `qc.act_max_abs`, `qc.act_mean_abs` or `qc.act_sq_sum`. Values must be
      finite and >= 0; several readers of one group combine by the maximum.
      The pass permutes the attribute with the channels, so it stays true.

    **Methods** (`method`, numerics::rearrangeChannels): `sort` (ascending,
    so each group of G channels is homogeneous and the largest come last),
    `outliers-last` (the `tail` largest channels move to the end, the others
    keep their order; Atom) and `zigzag` (channels by decreasing statistic
    dealt to blocks of `block-size` in the order 0..B-1, B-1..0, ...,
    balancing the block maxima; DuQuant). `block-size` 0 takes the first
    reader's weight group along K (128 when it has none).

    **Tail** (`tail` = T > 0): after permuting, the last T channels hold the
    largest ones, and every reader with a `qc.quantize`d weight is split
    along K into two matmuls (the mixed precision form of `qc.matmul`): the
    first K - T channels keep the weight's format, the last T get the grid
    `tail-grid` (default `#qc.int<s8, narrow>`, which the CPU's int8 kernels
    read) with the same scales' granularity (blocks of G along K become
    blocks of min(G, T)). A quantized activation is split the same way and
    keeps its format in both parts. A split whose parts the weight's or the
    activation's blocks do not divide is an error.

    **Propagation.** The channels are the last axis of a set of values closed
    under these rules, all of which keep the function exact:
    * a value written by a float Linear layer with a constant weight (and
      bias): its weight rows and bias are permuted (`P^T W`, `b P`);
    * an elementwise op (`arith`, `math`: activation functions, the gate
      product of a gated MLP, residual adds; and `tensor.cast`): its results
      and all of its operands carry the same permutation (splat constants
      are unchanged, other float constants, such as smoothing scales of the
      full shape, are permuted);
    * `qc.rms_norm`: its statistic is invariant, so its input and result
      carry the permutation and its weight is permuted;
    * a Linear layer's `accumulate` operand carries its result's.
    Anything else that produces or reads one of the values blocks the group:
    a function argument, a `func.return`, an op the rules do not know, a use
    as a weight or bias. Then, when the blocked set went through an
    `rms_norm` (a residual stream read by norms), the pass tries again with
    the permutation applied at the norms' outputs (an online gather,
    `qc.rotate` by `#qc.permutation`, which costs one load per element);
    if that is blocked too, the group is left unchanged and, with `remarks`,
    a remark names the blocking op.

    ```mlir
    %h = qc.matmul %x, %w1 : tensor<?x16xf32>, tensor<64x16xf32> -> tensor<?x64xf32>
    %t = math.tanh %h : tensor<?x64xf32>
    %qw = qc.quantize %w2 : tensor<8x64xf32> -> !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>
    %y = qc.matmul %t, %qw : tensor<?x64xf32>, !qc.qtensor<...> -> tensor<?x8xf32>
    // becomes (P from the columns of %w2): %w1 with its rows permuted,
    // %w2 with its columns permuted; tanh reads and writes permuted channels.
    ```
  }];
  let options = [
    Option<"method", "method", "::mlir::qc::numerics::RearrangeMethod",
           /*default=*/"::mlir::qc::numerics::RearrangeMethod::Sort",
           "How channels are rearranged",
           [{::llvm::cl::values(
             clEnumValN(::mlir::qc::numerics::RearrangeMethod::Sort, "sort",
                        "ascending by the statistic (homogeneous groups)"),
             clEnumValN(::mlir::qc::numerics::RearrangeMethod::OutliersLast,
                        "outliers-last",
                        "the `tail` largest channels last, the rest in place"),
             clEnumValN(::mlir::qc::numerics::RearrangeMethod::Zigzag,
                        "zigzag", "balance the maxima of blocks of block-size"))}]>,
    Option<"metric", "metric", "::mlir::qc::OutlierMetric",
           /*default=*/"::mlir::qc::OutlierMetric::WeightMaxAbs",
           "The per-channel statistic",
           [{::llvm::cl::values(
             clEnumValN(::mlir::qc::OutlierMetric::WeightMaxAbs,
                        "weight-max-abs", "max |W| of each weight column"),
             clEnumValN(::mlir::qc::OutlierMetric::WeightL2, "weight-l2",
                        "L2 norm of each weight column"),
             clEnumValN(::mlir::qc::OutlierMetric::ActMaxAbs, "act-max-abs",
                        "the readers' qc.act_max_abs attribute"),
             clEnumValN(::mlir::qc::OutlierMetric::ActMeanAbs, "act-mean-abs",
                        "the readers' qc.act_mean_abs attribute"),
             clEnumValN(::mlir::qc::OutlierMetric::ActSqSum, "act-sq-sum",
                        "the readers' qc.act_sq_sum attribute (diag X^T X)"))}]>,
    Option<"tail", "tail", "int64_t", /*default=*/"0",
           "Channels in the high-precision tail (0: none)">,
    Option<"tailGrid", "tail-grid", "std::string",
           /*default=*/"\"#qc.int<s8, narrow>\"",
           "Grid of the tail's weight codes">,
    Option<"blockSize", "block-size", "int64_t", /*default=*/"0",
           "zigzag's block size (0: the weight group along K, else 128)">,
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Emit a remark for each group of channels, rearranged or left "
           "alone (naming the op that blocked it)">,
  ];
  let dependentDialects = ["::mlir::qc::QCDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

def RaiseLinears : Pass<"qc-raise-linears", "::mlir::ModuleOp"> {
  let summary = "raise Linear layers in the forms front ends emit to qc.matmul";
  let description = [{
    Finds float Linear layers written the way torch-mlir's
    linalg-on-tensors export or TOSA writes them and rewrites each to one
    `qc.matmul` with an `N x K` constant weight and its bias, which
    `qc-quantize-linears`, `qc-allocate-bits` and the other passes then
    see. A layer is a contraction with one output-channel dimension `N`
    and one reduction dimension `K` whose second operand comes from a float
    constant:

    * `linalg.matmul` (any indexing maps: a transposed weight is
      `x W^T`), `linalg.batch_matmul` whose weight is broadcast along the
      batch, any `linalg.generic` that is such a contraction, and
      `tosa.matmul` (zero points 0; TOSA 1.0 has no fully-connected op);
    * the weight seen through `linalg.transpose`, `linalg.broadcast`, a
      `linalg.generic` that only transposes or broadcasts, reshapes that
      add or remove unit dimensions (`tensor.expand_shape`,
      `tensor.collapse_shape`, `tosa.reshape`), `tosa.transpose` and
      `tensor.cast`, down to an `arith.constant` or `tosa.const` (dense or
      `dense_resource`);
    * activations of any rank `[L..., K]` (3-D `[batch, seq, K]` through
      `tensor.collapse_shape`, or a batched contraction): they are
      collapsed to `[prod(L), K]` and the result expanded back;
    * the bias: the contraction's init when it is a constant vector
      broadcast along the rows (a zero fill is no bias; any other init is
      accumulated into), or an elementwise add of such a vector after the
      contraction, directly or through one reshape (`linalg.generic`
      `addf`, `linalg.add`, `arith.addf`, `tosa.add`).

    The new weight holds the constant's bytes in `N x K` order, exactly
    (same element type; a `dense_resource` weight becomes a new blob named
    after it with `_nk`). A contraction that multiplies by a matrix computed
    from constants but does not match gets a warning naming the form it did
    not match; `qc-quantize-linears` and `qc-allocate-bits` warn the same
    way about what is left, so a model whose layers were not recognized
    never quantizes "0 layers" silently. With `remarks`, each raised layer
    gets a remark and the module a summary.

    ```mlir
    %t = linalg.transpose ins(%w : tensor<64x32xf32>) outs(%e : tensor<32x64xf32>) permutation = [1, 0]
    %f = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x64xf32>) -> tensor<?x64xf32>
    %y = linalg.matmul ins(%x, %t : tensor<?x32xf32>, tensor<32x64xf32>) outs(%f : tensor<?x64xf32>) -> tensor<?x64xf32>
    // becomes
    %y = qc.matmul %x, %w : tensor<?x32xf32>, tensor<64x32xf32> -> tensor<?x64xf32>
    ```
  }];
  let options = [
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Emit a remark per raised layer and a summary">,
  ];
  let dependentDialects = ["::mlir::qc::QCDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

def QuantizeLinears : Pass<"qc-quantize-linears", "::mlir::ModuleOp"> {
  let summary = "quantize every float Linear layer of a program in one format";
  let description = [{
    Turns each float Linear layer (`qc.matmul` whose weight is a float
    `arith.constant` and whose activation is float) into a quantized one:
    its weight gets `qc.quantize` to `weight-format` and, with
    `act-format`, its activation a run-time `qc.quantize`.
    `qc-quantize-constants` and the CPU pipeline take it from there. A
    format is what a `!qc.qtensor` type says after its shape, and each layer
    supplies its own shape: `#qc.int<s4>, f16 #qc.per_block<[1, 128]>` (with
    `, zero_point T` and `, outer T GRANULARITY` as in the type); it is
    read with MLIR's attribute and type parsers. Instead of the text, a
    named `policy` (`w4g128`, `w4g64`, `nf4g64`, `w4a8`, `w8a8`, as in
    `qc-quantize-model`) gives a format built from typed attributes: an
    unknown policy is an error when the pass is created, and a policy with
    a format text is an error.

    Layers with a `qc.skip` attribute, or whose name (`qc.name`, else the
    location's name, else `matmul<i>`) matches the regular expression
    `skip`, are left float (the first and last layers of a network,
    typically). A layer the format does not fit (a group that does not
    divide its K, say) is an error naming the layer and the verifier's
    reason, and nothing is rewritten then; with `leave-unfit` it stays
    float instead. With `remarks`, each layer gets a remark: its format, or
    that it was left float and why (skipped, a weight that is not a
    constant, an activation quantized already, a format that does not fit).
    **GPTQ** (`gptq`): each layer's weight is quantized at compile time by
    GPTQ (Frantar et al. 2023; numerics/Gptq.h) instead of rounding to
    nearest: input channel by input channel, each channel's rounding error
    is spread over the channels not yet quantized, through the inverse of
    the layer's calibration Gram matrix, so that the output error on the
    calibration inputs, `||X (W - Q)^T||^2`, is (greedily) least. The
    grid, block scales (chosen by `method` from the updated values of each
    block) and type are the format's; the weight becomes a `qc.constant`
    directly. Each layer needs a `qc.act_gram` attribute: `X^T X` (K x K
    floats, dense or dense_resource) of its activation over calibration
    inputs, which a front end or a calibration script attaches (the Python
    package's `Module.annotate_layers`); a layer without one is an error. The
    Gram matrix is damped by `gptq-damp` times its mean diagonal. With
    `remarks`, each layer's remark gives the calibration output error of
    rounding to nearest and of GPTQ.

    To choose among several formats under a budget, use
    `qc-allocate-bits`; to quantize a whole model by a named policy,
    `qc-quantize-model`.

    ```mlir
    %y = qc.matmul %x, %w : tensor<?x4096xf32>, tensor<4096x4096xf32> -> tensor<?x4096xf32>
    // qc-quantize-linears{weight-format="#qc.int<s4>, f16 #qc.per_block<[1, 128]>"
    //                     act-format="#qc.int<s8>, f32 #qc.per_axis<0>"}
    %qw = qc.quantize %w method<absmax> : tensor<4096x4096xf32> -> !qc.qtensor<4096x4096, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
    %qx = qc.quantize %x : tensor<?x4096xf32> -> !qc.qtensor<?x4096, #qc.int<s8>, f32 #qc.per_axis<0>>
    %y = qc.matmul %qx, %qw : ...
    ```
  }];
  let options = [
    Option<"policy", "policy", "::mlir::qc::QuantizePolicy",
           /*default=*/"::mlir::qc::QuantizePolicy::Custom",
           "A named format instead of weight-format/act-format", [{::llvm::cl::values(
             clEnumValN(::mlir::qc::QuantizePolicy::Custom, "custom", "weight-format and act-format"),
             clEnumValN(::mlir::qc::QuantizePolicy::W4G128, "w4g128", "int4 weights, groups of 128, f16 scales"),
             clEnumValN(::mlir::qc::QuantizePolicy::W4G64, "w4g64", "int4 weights, groups of 64, f16 scales"),
             clEnumValN(::mlir::qc::QuantizePolicy::NF4G64, "nf4g64", "NF4 weights, groups of 64, f16 scales"),
             clEnumValN(::mlir::qc::QuantizePolicy::W4A8, "w4a8", "int4 weights (groups of 128) x int8 activations (blocks of 32)"),
             clEnumValN(::mlir::qc::QuantizePolicy::W8A8, "w8a8", "int8 weights (per channel) x int8 activations (blocks of 32)"))}]>,
    Option<"weightFormat", "weight-format", "std::string", /*default=*/"",
           "The weights' format: GRID, SCALE_TYPE GRANULARITY [, zero_point T]">,
    Option<"actFormat", "act-format", "std::string", /*default=*/"",
           "The activations' format (empty: they stay float)">,
    Option<"method", "method", "::mlir::qc::ScaleMethod",
           /*default=*/"::mlir::qc::ScaleMethod::absmax",
           "How the weights' scales are chosen", [{::llvm::cl::values(
             clEnumValN(::mlir::qc::ScaleMethod::absmax, "absmax", "max |x|"),
             clEnumValN(::mlir::qc::ScaleMethod::minmax, "minmax", "min and max (zero points)"),
             clEnumValN(::mlir::qc::ScaleMethod::mse, "mse", "clipping search"),
             clEnumValN(::mlir::qc::ScaleMethod::absmean, "absmean", "mean |x|"),
             clEnumValN(::mlir::qc::ScaleMethod::mx, "mx", "OCP MX power of two"))}]>,
    Option<"skip", "skip", "std::string", /*default=*/"",
           "Leave float the layers whose name matches this regular expression">,
    Option<"leaveUnfit", "leave-unfit", "bool", /*default=*/"false",
           "Leave float (with a remark) the layers the format does not fit, "
           "instead of failing">,
    Option<"gptq", "gptq", "bool", /*default=*/"false",
           "Quantize each weight by GPTQ with its layer's qc.act_gram "
           "(X^T X of calibration activations) instead of rounding to nearest">,
    Option<"gptqDamp", "gptq-damp", "double", /*default=*/"0.01",
           "GPTQ's damping, relative to the mean diagonal of X^T X">,
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Emit a remark per layer quantized or left float (and why), and "
           "a summary">,
  ];
  let dependentDialects = ["::mlir::qc::QCDialect"];
}

def AllocateBits : Pass<"qc-allocate-bits", "::mlir::ModuleOp"> {
  let summary = "choose each Linear layer's format under a budget, exactly";
  let description = [{
    Chooses for every float Linear layer (the layers of
    `qc-quantize-linears`, with the same `skip`) one of the candidate
    `formats` so that the total loss is least under the budget, and
    quantizes it in that format. Candidates are separated by ';', each a
    weight format as in `qc-quantize-linears`, optionally followed by
    `act` and the activation's format (else `act-format`):
    `formats="#qc.int<s4>, f16 #qc.per_block<[1, 128]>; #qc.int<s8>, f16
    #qc.per_axis<0> act #qc.int<s8>, f32 #qc.per_axis<0>"`. The loss counts
    the weight's error only.

    **Units** are the layers' weights, one format per tensor (ranges of
    rows within a tensor are not units: a split along N would need the
    matmul split and concatenated, which no kernel gains from); units with
    the same `qc.tie` string attribute take the same candidate, for layers
    that must agree, such as a residual branch and the main stream.

    **Loss** of unit u in candidate f:
    `sensitivity(u) * sum_(n,k) importance(k) * (W[n,k] - Q_f(W)[n,k])^2`,
    with `Q_f` the numerics library's quantize-dequantize of the weight (the
    same arithmetic as `qc-quantize-constants`). For a weight of more than
    `sample-rows` rows (default 256) whose scale blocks are one row high
    (per row, or 1 x G blocks), the sum is taken over that many evenly
    spaced rows and scaled to all rows: each row quantizes exactly as it
    does in the whole tensor, so this is an unbiased estimate, and it keeps
    a Llama-sized program (7 x 4096 x 4096 + 14336 x 4096, 4 candidates) to
    seconds; `sample-rows=0` measures every row. `importance` is 1, or with
    `importance` the layer's `qc.act_sq_sum` attribute (diag(X^T X) of its
    activation: then the sum is the expected output error for independent
    inputs). `sensitivity` is `none` (1), `attr` (the layer's
    `sensitivity-attr` float attribute, e.g. a Hessian trace per parameter
    as HAWQ uses), or `alphaq`: 1 / alpha with alpha the Hill estimate of the
    power-law exponent of the eigenvalues of W^T W (LAPACK; the top 10% of
    the spectrum): heavier-tailed, better-trained layers (smaller alpha) get
    larger sensitivities and so more bits. A layer with a `loss-attr`
    attribute (one value per candidate: a measured loss delta, say) uses
    those losses as they are.

    **GPTQ** (`gptq`): every candidate quantizes the weight by GPTQ with
    the layer's `qc.act_gram` (X^T X of calibration activations, as in
    `qc-quantize-linears{gptq}`), its loss is the output error on the
    calibration inputs, `sensitivity(u) * sum_n (w_n - q_n)^T H (w_n -
    q_n)` (row sampling stays unbiased: GPTQ quantizes rows independently),
    and the chosen weights are GPTQ's. A candidate GPTQ cannot take (two-level
    scales) is unavailable to the layer.

    **Costs and limits** (at least one): `avg-bits`, the average storage bits
    per weight over all units, counting codes, scales, zero points and outer
    scales (each part rounded up to whole bytes): 4-bit codes with f16
    scales per 128 are 4.125 bits; `max-bytes`, the same storage in bytes;
    `cost-attr` with `max-cost`, a per-layer attribute with one cost per
    candidate (a measured latency, say) whose sum must stay within
    `max-cost`. A candidate that does not fit a layer (its blocks do not
    divide K) is not available to it.

    **Solver**: the multiple-choice knapsack, exactly, by a dynamic program
    over Pareto-optimal partial assignments (numerics::solveAllocation): any
    costs, any number of limits at once; the summary states that the result
    is optimal. An impossible budget is an error naming the smallest
    feasible value of that limit; tied layers that share no format they can
    all take are an error naming them; nothing is rewritten after an error.

    **Reporting**: with `remarks`, a remark per layer (its format, loss,
    bits per weight and bytes) and a summary; with `summary=PATH`, the same
    as JSON: budget, used, objective, optimal, and per unit its choice and
    every candidate's loss and cost.

    ```mlir
    // qc-allocate-bits{formats="#qc.int<s4>, f16 #qc.per_block<[1, 128]>;
    //                           #qc.int<s8>, f16 #qc.per_block<[1, 128]>" avg-bits=6.125}
    // Two 8 x 128 layers, a budget of one 8-bit layer (4.125 + 8.125 = 2 * 6.125):
    %a = qc.matmul %x, %w {qc.loss = [10.0, 1.0]} : tensor<?x128xf32>, tensor<8x128xf32> -> tensor<?x8xf32>
    %b = qc.matmul %x, %w {qc.loss = [3.0, 2.0]} : tensor<?x128xf32>, tensor<8x128xf32> -> tensor<?x8xf32>
    // becomes: %a's weight quantized to #qc.int<s8> (its loss drops by 9),
    // %b's to #qc.int<s4> (by 1); objective 1 + 3 = 4, optimal.
    %qa = qc.quantize %w method<absmax> : tensor<8x128xf32> -> !qc.qtensor<8x128, #qc.int<s8>, f16 #qc.per_block<[1, 128]>>
    %qb = qc.quantize %w method<absmax> : tensor<8x128xf32> -> !qc.qtensor<8x128, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
    ```
  }];
  let options = [
    Option<"formats", "formats", "std::string", /*default=*/"",
           "Candidate formats separated by ';': GRID, SCALE_TYPE GRANULARITY [act GRID, ...]">,
    Option<"actFormat", "act-format", "std::string", /*default=*/"",
           "The activations' format for candidates that name none">,
    Option<"method", "method", "::mlir::qc::ScaleMethod",
           /*default=*/"::mlir::qc::ScaleMethod::absmax",
           "How the weights' scales are chosen (absmax, which computes no "
           "zero points, means minmax for candidates with zero points)", [{::llvm::cl::values(
             clEnumValN(::mlir::qc::ScaleMethod::absmax, "absmax", "max |x|"),
             clEnumValN(::mlir::qc::ScaleMethod::minmax, "minmax", "min and max (zero points)"),
             clEnumValN(::mlir::qc::ScaleMethod::mse, "mse", "clipping search"),
             clEnumValN(::mlir::qc::ScaleMethod::absmean, "absmean", "mean |x|"),
             clEnumValN(::mlir::qc::ScaleMethod::mx, "mx", "OCP MX power of two"))}]>,
    Option<"skip", "skip", "std::string", /*default=*/"",
           "Leave float the layers whose name matches this regular expression">,
    Option<"avgBits", "avg-bits", "double", /*default=*/"0",
           "Limit on the average storage bits per weight (0: none)">,
    Option<"maxBytes", "max-bytes", "int64_t", /*default=*/"0",
           "Limit on the total storage bytes (0: none)">,
    Option<"costAttr", "cost-attr", "std::string", /*default=*/"",
           "Per-layer attribute with one cost per candidate">,
    Option<"maxCost", "max-cost", "double", /*default=*/"0",
           "Limit on the sum of cost-attr's costs">,
    Option<"sensitivity", "sensitivity", "::mlir::qc::SensitivitySource",
           /*default=*/"::mlir::qc::SensitivitySource::None",
           "What scales a layer's quantization error", [{::llvm::cl::values(
             clEnumValN(::mlir::qc::SensitivitySource::None, "none", "1"),
             clEnumValN(::mlir::qc::SensitivitySource::Attr, "attr",
                        "the layer's sensitivity-attr attribute"),
             clEnumValN(::mlir::qc::SensitivitySource::AlphaQ, "alphaq",
                        "1 / alpha, AlphaQ's heavy-tail metric of W^T W"))}]>,
    Option<"sensitivityAttr", "sensitivity-attr", "std::string",
           /*default=*/"\"qc.sensitivity\"",
           "The attribute sensitivity=attr reads">,
    Option<"lossAttr", "loss-attr", "std::string", /*default=*/"\"qc.loss\"",
           "Per-layer attribute with one loss per candidate, used as given">,
    Option<"importance", "importance", "bool", /*default=*/"false",
           "Weight each input channel's error by the layer's qc.act_sq_sum">,
    Option<"gptq", "gptq", "bool", /*default=*/"false",
           "Quantize by GPTQ with each layer's qc.act_gram, and measure each "
           "candidate's loss as its output error on the calibration inputs">,
    Option<"gptqDamp", "gptq-damp", "double", /*default=*/"0.01",
           "GPTQ's damping, relative to the mean diagonal of X^T X">,
    Option<"sampleRows", "sample-rows", "int64_t", /*default=*/"256",
           "Measure each candidate's error on this many evenly spaced rows "
           "of a larger weight whose rows are quantized independently (0: "
           "every row)">,
    Option<"summary", "summary", "std::string", /*default=*/"",
           "Write the allocation as JSON to this path">,
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Emit a remark per layer and a summary">,
  ];
  let dependentDialects = ["::mlir::qc::QCDialect"];
}

#endif // QC_DIALECT_QC_TRANSFORMS_PASSES_TD
