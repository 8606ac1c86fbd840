//===- QCOps.td - qc operations ----------------------------*- tablegen -*-===//

#ifndef QC_DIALECT_QC_IR_QCOPS_TD
#define QC_DIALECT_QC_IR_QCOPS_TD

include "qc/Dialect/QC/IR/QCTypes.td"
include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def QC_QuantizedTensor : Type<CPred<"::llvm::isa<::mlir::qc::QuantizedTensorType>($_self)">,
    "quantized tensor", "::mlir::qc::QuantizedTensorType">;
def QC_FloatTensor : RankedTensorOf<[AnyFloat]>;
def QC_FloatTensorOrQuantized : AnyTypeOf<[QC_FloatTensor, QC_QuantizedTensor]>;

//===----------------------------------------------------------------------===//
// quantize / dequantize
//===----------------------------------------------------------------------===//

def QC_QuantizeOp : QC_Op<"quantize", [Pure, AttrSizedOperandSegments]> {
  let summary = "quantize a float tensor";
  let description = [{
    Produces the codes and scales of the result type from a float tensor of
    the same shape. Per element, with `s` (times the outer scale `o`) and `z`
    of the element's block:

    ```
    q = encode(x / (s * o) + z)          (f32; if s * o == 0, q = encode(z))
    ```

    `encode` rounds to the nearest grid value (half to even for integer and
    minifloat grids, to the smaller code for codebooks) and saturates: an
    infinity becomes the grid's largest or smallest value, NaN becomes the
    code of 0. A grid holds each value once: minifloat grids encode zero,
    and every small negative value that rounds to it, as the +0 code (never
    -0).

    `rounding<toward_zero>` (integer grids and given scales only) replaces the rounding of
    `encode` by truncation toward zero, then saturates: the semantics of
    upstream's `quant.qcast` as `lower-quant-ops` lowers it (`arith.fptosi`
    and a clamp), which `qc-import-quant` gives its imports. Such quantizations have given
    scales, so qc-quantize-constants leaves them to run time.

    Scales come either from operands (`scales(...)`, with `zero_points(...)`
    and `outer_scales(...)` when the type has them), or are computed from the
    data of each block by `method` (default `absmax`). The arithmetic is f32
    unless said otherwise; `round_T` is the rounding of an f32 value to the
    scale type `T` (round to nearest even, saturating; E8M0: see `mx`):

    * `absmax`: `s = round_T(max|x| / maxPositive(grid))` (7 for s4, 6 for
      E2M1, 1 for NF4); zero points, if the type has them, are 0. A block of
      zeros gets `s = 0`, so its codes are `encode(0)`.
    * `minmax` (needs zero points): over `[lo, hi] = [min(min x, 0),
      max(max x, 0)]`, `s = round_T((hi - lo) / (max(grid) - min(grid)))`;
      then, with that rounded `s`, `z = min(grid) - lo / s`, an integer zero
      point rounded half to even and clamped to `[min(grid), max(grid)]`, a
      float one rounded to its type. A block of zeros gets `s = 0` and
      `z = 0`.
    * `mse`: for `alpha = 1 - 0.05 i`, `i = 0, 1, ..., 10` (f32; 1 down to
      0.5), the candidate is `absmax` with `max|x|` replaced by
      `alpha * max|x|` (or `minmax`, when the type has zero points, with
      `[alpha lo, alpha hi]`), rounded as above. Its error is
      `sum (dequantize(quantize(x)) - x)^2` over the block, with the
      dequantized value in f32 and the difference, its square and the sum in
      float64. A candidate replaces the best so far only when
      its error is strictly smaller, so on ties the larger alpha wins.
    * `absmean`: `s = round_T(max(m, 1e-5))` with `m` the mean of `|x|` over
      the block, summed and divided in float64 and then rounded to f32 (BitNet
      b1.58 ternary).
    * `mx`: OCP Microscaling, `s = 2^(floor(log2 max|x|) - emax)` with
      `emax = floor(log2 maxPositive(grid))`, exponent clamped to
      [-127, 127] (a block of zeros: `2^-127`); needs `f8E8M0FNU` scales, no
      zero points.

    With an outer level, the block scales `s*` of the method are computed
    without rounding; for each outer block `o = round_O(max(s*) /
    maxFinite(T))` in the outer scale type `O`, then `s = round_T(s* / o)`
    (`s = 0` when `o = 0`), and elements are quantized with `s * o`. For
    NVFP4 (E2M1, E4M3 blocks of 16, f32 outer) with `absmax` that is
    `o = (amax / 6) / 448` (two f32 divisions) with `amax` over the outer
    block: the block scales are not rounded to E4M3 before `o` is taken. Outer levels need `absmax` or
    `absmean`.

    ```mlir
    %q = qc.quantize %x : tensor<?x4096xf32> -> !qc.qtensor<?x4096, #qc.int<s8>, f32 #qc.per_axis<0>>
    %u = qc.quantize %w method<minmax> : tensor<64x128xf32>
           -> !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 32]>, zero_point i8>
    %c = qc.quantize %a scales(%s : tensor<f32>) : tensor<8x16xf32>
           -> !qc.qtensor<8x16, #qc.int<s8>, f32 #qc.per_tensor>
    ```
  }];
  let arguments = (ins QC_FloatTensor:$input,
                       Optional<QC_FloatTensor>:$scales,
                       Optional<RankedTensorOf<[AnyFloat, AnySignlessInteger]>>:$zeroPoints,
                       Optional<QC_FloatTensor>:$outerScales,
                       OptionalAttr<QC_ScaleMethodAttr>:$method,
                       OptionalAttr<QC_RoundingAttr>:$rounding);
  let results = (outs QC_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input (`scales` `(` $scales^ `:` type($scales) `)`)?
    (`zero_points` `(` $zeroPoints^ `:` type($zeroPoints) `)`)?
    (`outer_scales` `(` $outerScales^ `:` type($outerScales) `)`)?
    (`method` `` $method^)?
    (`rounding` `` $rounding^)?
    attr-dict `:` type($input) `->` qualified(type($result))
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    QuantizedTensorType getType() { return ::llvm::cast<QuantizedTensorType>(getResult().getType()); }
    /// The method that computes scales (absmax when none is given).
    ScaleMethod getEffectiveMethod() { return getMethod().value_or(ScaleMethod::absmax); }
    /// Whether elements round half to even (the default).
    bool roundsNearestEven() { return getRounding().value_or(Rounding::nearest_even) == Rounding::nearest_even; }
    /// Whether `method` can compute the scales (and zero points) of `type`:
    /// the verifier's check of a quantize without scale operands, callable
    /// before any op exists (a pass choosing a format checks it this way).
    static ::llvm::LogicalResult verifyComputedScales(
        ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError,
        QuantizedTensorType type, ScaleMethod method);
  }];
}

def QC_DequantizeOp : QC_Op<"dequantize", [Pure]> {
  let summary = "turn a quantized tensor back into floats";
  let description = [{
    Per element, with the scale `s`, outer scale `o` (1 without an outer
    level) and zero point `z` (0 without zero points) of its block:

    ```
    x = (s * o) * (decode(q) - z)        (f32, then converted to the result type)
    ```

    The result has the operand's shape and a float element type.

    ```mlir
    %x = qc.dequantize %q : !qc.qtensor<64x128, #qc.nf4, f32 #qc.per_block<[1, 64]>> -> tensor<64x128xf32>
    ```
  }];
  let arguments = (ins QC_QuantizedTensor:$input);
  let results = (outs QC_FloatTensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` qualified(type($input)) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// requantize
//===----------------------------------------------------------------------===//

def QC_RequantizeOp : QC_Op<"requantize", [Pure]> {
  let summary = "read integer codes at fewer bits (nested / Matryoshka weights)";
  let description = [{
    Changes a tensor of `#qc.int` codes of B bits into codes of R < B bits of
    the same signedness by dropping their d = B - R low bits, so that one
    stored weight serves several bit widths. With `q = 2^d h + l` (h the top
    R bits, an arithmetic shift, so h keeps q's sign; `l` in
    `[0, 2^d - 1]`), an element `s * (q - z) - m` of the input (z and m 0
    without zero points or mins) becomes `s' * h' - m'`:

    * `msb_slice` (MatQuant / MatGPTQ nested codes): `h' = q >> d`, and the
      dropped bits are replaced by the middle of their range,
      `c = (2^d - 1) / 2` (7.5 for INT8 to INT4, 31.5 to INT2):

      ```
      s' = s * 2^d          m' = (m + s * z) - s * c
      ```

      Where the dropped bits are uniform the sliced value is unbiased. The
      result reads only the top R bits of each code, so a weight stored as
      `#qc.bit_planes` whose top plane has R bits is read without a copy:
      the CPU kernels read that plane alone (`convert-qc-to-cpu`), and an
      INT8 weight stored as `#qc.bit_planes<[4, 4]>` serves INT8 and INT4
      matmuls from one copy.
    * `round_shift` (Double Rounding): `h' = clamp((q + 2^(d-1)) >> d)` to
      the result's grid (the nearest multiple of 2^d, ties up, as a rounding
      right shift instruction does), and `s' = s * 2^d`, `m' = m + s * z`.
      It reads every bit, so it is computed rather than read from planes.

    `s'` and `m'` are computed in f32 in the order written, terms that are
    absent left out, then rounded to the result's scale and min types
    (`s * 2^d` is exact in any float format where it does not overflow).

    Types: both grids are `#qc.int` of the same signedness (the result not
    `narrow` with `msb_slice`, whose codes span the whole grid); shape,
    granularity, scale type (a float) and rotation are the same; neither
    has an outer level. The input has integer or float zero points, float
    mins or neither; the result has float mins (`min f32`, what the CPU
    kernels read) exactly when `m'` can be nonzero: always for `msb_slice`,
    and for `round_shift` when the input has zero points or mins. The result
    has no layout: its codes are computed, not stored.

    A `qc.constant` input without a layout is folded into a new constant;
    one with a layout (a weight stored in planes for nested reads) is kept,
    so the planes are not duplicated.

    ```mlir
    // One INT8 weight, read at 4 bits from its top plane.
    %w8 = qc.constant codes(dense_resource<w8> : tensor<8388608xi8>) scales(...)
        : !qc.qtensor<4096x4096, #qc.int<s8>, f32 #qc.per_block<[1, 128]>, layout #qc.bit_planes<[4, 4], tile = #qc.tiled<rows = 16, chunk_bytes = 4>>>
    %w4 = qc.requantize %w8 msb_slice
        : !qc.qtensor<4096x4096, #qc.int<s8>, f32 #qc.per_block<[1, 128]>, layout #qc.bit_planes<[4, 4], tile = #qc.tiled<rows = 16, chunk_bytes = 4>>>
       -> !qc.qtensor<4096x4096, #qc.int<s4>, f32 #qc.per_block<[1, 128]>, min f32>
    ```
  }];
  let arguments = (ins QC_QuantizedTensor:$input, QC_NestingModeAttr:$mode);
  let results = (outs QC_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input `` $mode attr-dict `:` qualified(type($input)) `->` qualified(type($result))
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let extraClassDeclaration = [{
    QuantizedTensorType getInputType() { return ::llvm::cast<QuantizedTensorType>(getInput().getType()); }
    QuantizedTensorType getType() { return ::llvm::cast<QuantizedTensorType>(getResult().getType()); }
    /// d, the number of low bits dropped.
    unsigned getDroppedBits();
    /// The numerics library's mode.
    ::mlir::qc::numerics::NestingMode getNumericsMode() {
      return getMode() == NestingMode::msb_slice
                 ? ::mlir::qc::numerics::NestingMode::MsbSlice
                 : ::mlir::qc::numerics::NestingMode::RoundShift;
    }
    /// The result's scales and mins (null without) at compile time, from
    /// the input's parts (zero points and mins null when it has none), as
    /// numerics::nestedScale / nestedMin give them, rounded to the result's
    /// types; failure when a part cannot be read or a value overflows.
    ::llvm::FailureOr<std::pair<::mlir::ElementsAttr, ::mlir::ElementsAttr>>
    computeParts(::mlir::ElementsAttr scales, ::mlir::ElementsAttr zeroPoints,
                 ::mlir::ElementsAttr mins);
    /// The same arithmetic on f32 scalars in IR (arith ops): s' from s, and
    /// m' from s and the input's zero point and min (each null when absent).
    /// What every lowering of the op builds.
    ::mlir::Value buildScale(::mlir::OpBuilder &b, ::mlir::Location loc,
                             ::mlir::Value scale);
    ::mlir::Value buildMin(::mlir::OpBuilder &b, ::mlir::Location loc,
                           ::mlir::Value scale, ::mlir::Value zeroPoint,
                           ::mlir::Value min);
  }];
}

//===----------------------------------------------------------------------===//
// rotate
//===----------------------------------------------------------------------===//

def QC_RotateOp : QC_Op<"rotate", [Pure, SameOperandsAndResultType]> {
  let summary = "rotate a float tensor along one axis by an orthogonal matrix";
  let description = [{
    Multiplies every vector of `input` along `axis` by the rotation's matrix
    `Q` (n x n, n = the axis size) as a row vector:

    ```
    y[..., j, ...] = sum_i x[..., i, ...] * Q[i][j]      (x * Q)
    y[..., j, ...] = sum_i x[..., i, ...] * Q[j][i]      (x * Q^T, with `transpose`)
    ```

    in f32 (other float types are converted in and out). `Q` is orthogonal,
    so `transpose` undoes the rotation exactly (up to rounding). The axis
    must be static and its size the rotation's size: a rotation is never
    zero-padded (that would not be orthogonal).

    The reference lowering is the fast Walsh-Hadamard transform: log2(m)
    butterfly stages of O(n) each, then the K x K base matrix as a small
    dense step, never an n x n matrix.

    ```mlir
    %r = qc.rotate %x by #qc.hadamard<4096> along 1 : tensor<?x4096xf32>
    %b = qc.rotate %r by #qc.hadamard<4096> along 1 transpose : tensor<?x4096xf32>
    ```
  }];
  let arguments = (ins QC_FloatTensor:$input, QC_RotationAttrInterface:$rotation,
                       I64Attr:$axis, UnitAttr:$transpose);
  let results = (outs QC_FloatTensor:$result);
  let assemblyFormat = [{
    $input `by` $rotation `along` $axis (`transpose` $transpose^)? attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
}

def QC_RMSNormOp : QC_Op<"rms_norm", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "RMS normalization along the last axis";
  let description = [{
    Along the last axis (n values), in f32:

    ```
    y = x / sqrt(mean(x^2) + epsilon)  (* weight, elementwise, when given)
    ```

    Without a weight the op commutes with any rotation along the last axis
    (an orthogonal Q keeps |x|, so `rms_norm(x * Q) = rms_norm(x) * Q`),
    which is what lets `qc-fuse-rotations` move rotations through it; with
    a weight it does not, and the pass first folds the weight into the
    Linear layers that read the result.

    ```mlir
    %h = qc.rms_norm %x weight(%g : tensor<4096xf32>) epsilon(1.0e-05) : tensor<?x4096xf32>
    ```
  }];
  let arguments = (ins QC_FloatTensor:$input, Optional<QC_FloatTensor>:$weight,
                       F32Attr:$epsilon);
  let results = (outs QC_FloatTensor:$result);
  let assemblyFormat = [{
    $input (`weight` `(` $weight^ `:` type($weight) `)`)? `epsilon` `(` $epsilon `)`
    attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// matmul
//===----------------------------------------------------------------------===//

def QC_MatmulOp : QC_Op<"matmul", [Pure, AttrSizedOperandSegments]> {
  let summary = "matrix product in the Linear convention (quantized or float weight)";
  let description = [{
    `y[m, n] = acc[m, n] + sum_k a[m, k] * w[n, k] (+ bias[n])`, the
    convention of a Linear layer: the weight `w` is `N x K`, quantized, or
    float for a float Linear layer (what passes such as `qc-fuse-rotations`
    rewrite before weights are quantized); the activation `a` is `M x K`,
    float or quantized; `bias` is an optional float vector of length `N`;
    `accumulate` is an optional `M x N` tensor of the result's type that the
    product is added to (0 without it). The reference meaning is
    "dequantize both operands, multiply and accumulate in f32 starting from
    `acc`, add the bias, convert to the result type"; every lowering agrees
    with it to a stated tolerance, exactly where the integer arithmetic is
    exact. `M` may be dynamic.

    **Mixed precision along K.** A Linear layer whose input channels are
    split into contiguous ranges with different formats (Atom: the first
    `K - 128` channels in INT4 groups of 128, the last 128 in INT8, for the
    weight and the activation) is a chain of matmuls, one per range, each
    reading its slice of the activation and its own quantized weight
    (`N x K_r`), each accumulating into the previous one:

    ```
    y = a[:, 0:K0] W0^T + a[:, K0:K] W1^T       (W = [W0 | W1] along K)
    ```

    Every part is an ordinary quantized matmul with its own format, so each
    lowers to its own kernel; `qc-rearrange-outliers{tail=...}` writes this
    form.

    ```mlir
    %y = qc.matmul %a, %w bias(%b : tensor<256xf32>)
        : tensor<?x128xf32>, !qc.qtensor<256x128, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>
        -> tensor<?x256xf32>
    // Mixed precision: channels 0..3967 in s4 groups of 128, 3968..4095 in s8.
    %y0 = qc.matmul %a0, %w0 : !qc.qtensor<?x3968, ...>, !qc.qtensor<14336x3968, #qc.int<s4>, ...>
        -> tensor<?x14336xf32>
    %y = qc.matmul %a1, %w1 accumulate(%y0 : tensor<?x14336xf32>)
        : !qc.qtensor<?x128, ...>, !qc.qtensor<14336x128, #qc.int<s8>, ...> -> tensor<?x14336xf32>
    ```
  }];
  let arguments = (ins QC_FloatTensorOrQuantized:$lhs,
                       QC_FloatTensorOrQuantized:$rhs,
                       Optional<QC_FloatTensor>:$bias,
                       Optional<QC_FloatTensor>:$accumulate);
  let results = (outs QC_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`bias` `(` $bias^ `:` type($bias) `)`)?
    (`accumulate` `(` $accumulate^ `:` type($accumulate) `)`)? attr-dict
    `:` qualified(type($lhs)) `,` qualified(type($rhs)) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// assemble / disassemble / constant
//===----------------------------------------------------------------------===//

def QC_AssembleOp : QC_Op<"assemble", [Pure, AttrSizedOperandSegments]> {
  let summary = "build a quantized tensor from codes, scales and zero points";
  let description = [{
    The inverse of `qc.disassemble`. Operand types are implied by the result
    type: codes `tensor<SHAPE x iB>` (bit patterns of the grid's codes),
    scales, then zero points, outer scales, mins and outer mins when the type
    has them (see `!qc.qtensor`), each after its keyword (`zero_points`,
    `outer_scales`, `mins`, `outer_mins`). Only the result type is written.

    With `packed`, the codes are the packed byte stream instead, a 1-D `i8`
    tensor of `ceil(numel * B / 8)` bytes (dynamic when the shape is): code
    `i` (row-major) occupies stream bits `[i*B, (i+1)*B)`, least significant
    bit first, as in `qc.constant`. This is how weights packed ahead of time
    enter a program.

    ```mlir
    %q = qc.assemble %codes, %scales zero_points %zp
        : !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 32]>, zero_point i8>
    // %codes : tensor<64x128xi4>, %scales : tensor<64x4xf16>, %zp : tensor<64x4xi8>
    %w = qc.assemble packed %bytes, %s
        : !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>
    // %bytes : tensor<4096xi8>
    // llama.cpp's Q4_K: 6-bit scales and mins under f16 super-block factors.
    %k = qc.assemble packed %kb, %sc outer_scales %d mins %m outer_mins %dmin
        : !qc.qtensor<64x256, #qc.int<u4>, ui6 #qc.per_block<[1, 32]>, outer f16 #qc.per_block<[1, 256]>, min ui6 outer f16>
    // %sc, %m : tensor<64x8xi6>, %d, %dmin : tensor<64x1xf16>
    ```
  }];
  let extraClassDeclaration = [{
    /// True if `codes` is the packed byte stream.
    bool hasPackedCodes();
  }];
  let arguments = (ins RankedTensorOf<[AnySignlessInteger]>:$codes,
                       RankedTensorOf<[AnyFloat, AnySignlessInteger]>:$scales,
                       Optional<RankedTensorOf<[AnyFloat, AnySignlessInteger]>>:$zeroPoints,
                       Optional<QC_FloatTensor>:$outerScales,
                       Optional<RankedTensorOf<[AnyFloat, AnySignlessInteger]>>:$mins,
                       Optional<QC_FloatTensor>:$outerMins);
  let results = (outs QC_QuantizedTensor:$result);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasFolder = 1;
}

def QC_DisassembleOp : QC_Op<"disassemble",
    [Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "take a quantized tensor apart into codes and scales";
  let description = [{
    Returns the codes (`tensor<SHAPE x iB>`), the scales, and, when the type
    has them, the zero points, the outer scales, the mins and the outer
    mins, in that order. The result types follow from the operand type.

    ```mlir
    %codes, %scales = qc.disassemble %q
        : !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>
    // %codes : tensor<64x128xi4>, %scales : tensor<64x4xf16>
    ```
  }];
  let arguments = (ins QC_QuantizedTensor:$input);
  let results = (outs Variadic<AnyRankedTensor>:$parts);
  let assemblyFormat = "$input attr-dict `:` qualified(type($input))";
  let hasFolder = 1;
}

def QC_ConstantOp : QC_Op<"constant", [ConstantLike, Pure]> {
  let summary = "a quantized constant whose codes and scales are attributes";
  let description = [{
    A quantized tensor with compile-time codes and scales. `codes` is either
    the logical codes, `tensor<SHAPE x iB>` (readable in small tests), or the
    packed bit stream, a 1-D `i8` tensor of `ceil(numel * B / 8)` bytes:
    code `i` (row-major) occupies stream bits `[i*B, (i+1)*B)`, and stream bit
    `j` is bit `j % 8` of byte `j / 8` (two 4-bit codes per byte, the first
    in the low nibble). `scales`, `zero_points`, `outer_scales`, `mins` and
    `outer_mins` have the tensor types `qc.disassemble` gives. Any of them may be a
    `dense_resource` blob, so a large weight never becomes a text array.
    The result shape must be static. Each part is written `keyword(value)`;
    `codes` and `scales` are required, the printer writes the parts in the
    order `codes`, `scales`, `zero_points`, `outer_scales`, `mins`,
    `outer_mins`, and the parser
    takes them in any order. A misspelt or repeated keyword is a parse error
    that names it, and an attribute without a dialect prefix in the trailing
    dictionary is a verifier error, so a misspelt part is never silently
    dropped.

    The op is `ConstantLike`: its value (`m_Constant`, folding) is the
    dictionary of its parts, from which the dialect materializes it again,
    so the canonicalizer deduplicates and hoists it like any constant.

    ```mlir
    %w = qc.constant codes(dense<[[1, -2], [7, -8]]> : tensor<2x2xi4>)
                     scales(dense<[0.5, 0.25]> : tensor<2xf32>)
        : !qc.qtensor<2x2, #qc.int<s4>, f32 #qc.per_axis<0>>
    %big = qc.constant codes(dense_resource<w0_codes> : tensor<8388608xi8>)
                       scales(dense_resource<w0_scales> : tensor<4096x32xf16>)
        : !qc.qtensor<4096x4096, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
    ```
  }];
  let arguments = (ins ElementsAttr:$codes, ElementsAttr:$scales,
                       OptionalAttr<ElementsAttr>:$zero_points,
                       OptionalAttr<ElementsAttr>:$outer_scales,
                       OptionalAttr<ElementsAttr>:$mins,
                       OptionalAttr<ElementsAttr>:$outer_mins);
  let results = (outs QC_QuantizedTensor:$result);
  let builders = [
    // The optional parts default to none.
    OpBuilder<(ins "QuantizedTensorType":$type, "ElementsAttr":$codes,
      "ElementsAttr":$scales, CArg<"ElementsAttr", "{}">:$zeroPoints,
      CArg<"ElementsAttr", "{}">:$outerScales, CArg<"ElementsAttr", "{}">:$mins,
      CArg<"ElementsAttr", "{}">:$outerMins), [{
      build($_builder, $_state, ::mlir::Type(type), codes, scales, zeroPoints,
            outerScales, mins, outerMins);
    }]>,
  ];
  // Parts are `keyword(attribute)`; a hand-written parser so that a
  // misspelt or repeated keyword is reported by name.
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasFolder = 1;
  let extraClassDeclaration = [{
    QuantizedTensorType getType() { return ::llvm::cast<QuantizedTensorType>(getResult().getType()); }
    /// True if `codes` holds the packed byte stream rather than logical codes.
    bool hasPackedCodes();
  }];
}

//===----------------------------------------------------------------------===//
// kernel_call
//===----------------------------------------------------------------------===//

def QC_KernelCallOp : QC_Op<"kernel_call", [
    Pure, AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>,
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<BufferizableOpInterface,
        ["bufferizesToMemoryRead", "bufferizesToMemoryWrite",
         "getAliasingValues", "bufferize"]>]> {
  let summary = "call a kernel function on tensors, in destination style";
  let description = [{
    Calls `callee`, a function on memrefs that a back end generated (a CPU
    kernel, or the host function that launches an NVIDIA kernel), on the
    buffers of its tensor operands. The callee's arguments are the buffers
    of `ins`, then those of `outs`, in order; each argument must be a memref
    of its tensor's element type and rank, with equal static sizes. The
    callee returns nothing.

    The kernel reads every `ins` tensor and never writes it; it writes every
    `outs` tensor in full and never reads it (an `outs` operand only supplies
    the buffer: usually a `tensor.empty` of the result's shape). Result `i`
    is the value `outs[i]` holds after the call, so results have the `outs`
    types. Scratch memory a kernel needs is an `outs` operand whose result is
    unused.

    The op is in destination-passing style and implements the
    bufferization interface, so One-Shot Bufferize sees each read and write
    and never lets a buffer that is still read elsewhere be written. It
    bufferizes to a `func.call` of the callee: an operand whose buffer has
    the callee's layout (identity) is passed as it is (through a
    `memref.cast` to dynamic sizes), any other is copied into a new buffer
    first. Without side effects on tensors, a call whose results are unused
    is dead code.

    ```mlir
    %y0 = tensor.empty(%m) : tensor<?x64xf32>
    %y = qc.kernel_call @qc_cpu_w4_int ins(%a, %w, %s : tensor<?x128xf32>,
             tensor<4096xi8>, tensor<64x1xf32>)
         outs(%y0 : tensor<?x64xf32>) -> tensor<?x64xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$callee,
                       Variadic<AnyRankedTensor>:$inputs,
                       Variadic<AnyRankedTensor>:$outputs);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let assemblyFormat = [{
    $callee (`ins` `(` $inputs^ `:` type($inputs) `)`)?
    `outs` `(` $outputs `:` type($outputs) `)` attr-dict
    (`->` type($results)^)?
  }];
  let builders = [
    OpBuilder<(ins "::mlir::FlatSymbolRefAttr":$callee,
                   "::mlir::ValueRange":$inputs,
                   "::mlir::ValueRange":$outputs)>
  ];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getOutputsMutable();
    }
  }];
}

#endif // QC_DIALECT_QC_IR_QCOPS_TD
