//===- QCTypes.td - qc types -------------------------------*- tablegen -*-===//

#ifndef QC_DIALECT_QC_IR_QCTYPES_TD
#define QC_DIALECT_QC_IR_QCTYPES_TD

include "qc/Dialect/QC/IR/QCAttributes.td"
include "mlir/IR/AttrTypeBase.td"

def QC_QuantizedTensorType : TypeDef<QC_Dialect, "QuantizedTensor"> {
  let mnemonic = "qtensor";
  let summary = "a tensor of low-bit codes with its scales and zero points";
  let description = [{
    `!qc.qtensor<SHAPE, GRID, SCALE_TYPE GRANULARITY [, zero_point ZP_TYPE]
    [, outer OUTER_TYPE OUTER_GRANULARITY] [, min MIN_TYPE [outer MIN_OUTER_TYPE]]
    [, layout LAYOUT] [, rotated ROTATION along AXIS]>` is a tensor of `SHAPE`
    whose elements are stored as codes of `GRID` and scaled by blocks:

    ```
    x[i] = (s[b(i)] * o[c(i)]) * (decode(q[i]) - z[b(i)]) - m[b(i)] * mo[c(i)]   (f32)
    ```

    Each operation is one f32 operation, in this order (`s`, `o`, `z`, `m`
    and `mo` are first converted to f32, exactly); a missing part counts as
    `o = mo = 1`, `z = m = 0`.

    * `SHAPE`: rank >= 1, dimensions static or `?`.
    * `GRID`: any grid attribute (`#qc.int`, `#qc.float`, `#qc.nf4`,
      `#qc.codebook`, `#qc.ternary`, `#qc.binary`); codes have
      `GRID`'s bit width.
    * `SCALE_TYPE GRANULARITY`: the float type the scales are stored in
      and `b(i)`, the block of element `i` (`f32`, `f16`, `bf16`,
      `f8E4M3FN`, ...; `f8E8M0FNU` for OCP MX power-of-two scales). With an
      outer level, the scales may also be integers of 1 to 16 bits with a
      signedness (`ui6`, `si8`): sub-block scales as in llama.cpp's
      K-quants, whose float scale is the outer one.
    * `zero_point ZP_TYPE` (optional): zero points with the same
      granularity as the scales, an integer type (integer grids only; the
      zero point is a code-domain integer, as in AWQ) or a float type. An
      integer zero point is read as a signed two's complement value and must
      hold the grid's whole range: `i4` or wider for `s4`, but `i5` or wider
      for `u4` (range [0, 15]) and `i16` or wider for `u8` ([0, 255]);
      `i8` for a `u8` grid is an error.
    * `outer OUTER_TYPE OUTER_GRANULARITY` (optional): a second, coarser scale
      level `o[c(i)]`; each block of the first level must lie inside one
      block of the second. NVFP4 is E2M1 codes, `f8E4M3FN` scales per block of
      16 and an `f32` per-tensor outer scale.
    * `min MIN_TYPE [outer MIN_OUTER_TYPE]` (optional): a minimum `m`
      subtracted from each block (same granularity as the scales), times an
      outer factor `mo` with the outer level's granularity when `outer
      MIN_OUTER_TYPE` is given. `MIN_TYPE` is a float type, or an integer
      type with a signedness when the min has an outer factor. A type has
      either zero points or a min, not both. llama.cpp's formats map
      exactly: Q4_K is `#qc.int<u4>, ui6 #qc.per_block<[1, 32]>, outer f16
      #qc.per_block<[1, 256]>, min ui6 outer f16` (`x = d*sc*q - dmin*m`);
      Q4_1 (`x = d*q + m`) is `#qc.int<u4>, f16 #qc.per_block<[1, 32]>, min
      f16` with the f16 minimum negated (exact). `qc.quantize` does not
      produce these types (they come from `qc.constant`, `qc.assemble` and
      `qc-import`); kernels that cannot read them fold them into f32 scales
      and mins first, which is exact (see `qc-materialize-layouts`).
    * `layout LAYOUT` (optional): how the packed codes sit in memory:
      `#qc.tiled` (row tiles of a rank-2 matrix with static shape and rows
      of whole bytes) or `#qc.bit_planes` (each code's bits split into
      planes, e.g. 3-bit codes as a 2-bit and a 1-bit plane); without it,
      the packed stream is row-major.
    * `rotated ROTATION along AXIS` (optional): the codes are stored in a
      rotated basis: the tensor the type stands for is the dequantized
      stored tensor times the rotation's matrix `R` along `AXIS`
      (`x = dequant(q) * R`); quantizing `x` stores `x * R^T`. A matmul with
      such a weight (rotated along K) is `a * (W_s R)^T = (a R^T) W_s^T`.
      The axis must be static and its size the rotation's.

    The parts, as tensors, are: codes `tensor<SHAPE x iB>` (B = grid bits,
    the code's bit pattern), scales `tensor<SCALE_SHAPE x SCALE_TYPE>`, zero
    points `tensor<SCALE_SHAPE x ZP_TYPE>`, outer scales
    `tensor<OUTER_SHAPE x OUTER_TYPE>`, mins `tensor<SCALE_SHAPE x
    MIN_TYPE>` and outer mins `tensor<OUTER_SHAPE x MIN_OUTER_TYPE>`, with
    the scale shapes given by the granularities (`qc.assemble` and
    `qc.disassemble` convert). Integer scales and mins are stored as
    signless integers of the same width (their bit patterns, like codes);
    the type says how to read them.

    ```mlir
    // Weight-only int4, groups of 128 along K, f16 scales.
    !qc.qtensor<4096x4096, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
    // AWQ-style asymmetric uint4 with integer zero points.
    !qc.qtensor<4096x4096, #qc.int<u4>, f16 #qc.per_block<[1, 128]>, zero_point i8>
    // Activations quantized per token at run time.
    !qc.qtensor<?x4096, #qc.int<s8>, f32 #qc.per_axis<0>>
    // MXFP4 and NVFP4.
    !qc.qtensor<64x256, #qc.float<f4E2M1FN>, f8E8M0FNU #qc.per_block<[1, 32]>>
    !qc.qtensor<64x256, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>
    // llama.cpp's Q6_K (x = d * sc * q, q in [-32, 31]) and Q4_K.
    !qc.qtensor<64x256, #qc.int<s6>, si8 #qc.per_block<[1, 16]>, outer f16 #qc.per_block<[1, 256]>>
    !qc.qtensor<64x256, #qc.int<u4>, ui6 #qc.per_block<[1, 32]>, outer f16 #qc.per_block<[1, 256]>, min ui6 outer f16>
    ```
  }];
  let parameters = (ins
    ArrayRefParameter<"int64_t">:$shape,
    "GridAttrInterface":$grid,
    "GranularityAttrInterface":$granularity,
    "::mlir::Type":$scaleType,
    OptionalParameter<"::mlir::Type">:$zeroPointType,
    OptionalParameter<"GranularityAttrInterface">:$outerGranularity,
    OptionalParameter<"::mlir::Type">:$outerScaleType,
    OptionalParameter<"::mlir::qc::LayoutAttrInterface">:$layout,
    OptionalParameter<"::mlir::qc::RotationAttrInterface">:$rotation,
    "std::optional<int64_t>":$rotationAxis,
    OptionalParameter<"::mlir::Type">:$minType,
    OptionalParameter<"::mlir::Type">:$outerMinType
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let skipDefaultBuilders = 1;
  let builders = [
    TypeBuilder<(ins "::llvm::ArrayRef<int64_t>":$shape,
      "GridAttrInterface":$grid, "GranularityAttrInterface":$granularity,
      "::mlir::Type":$scaleType,
      CArg<"::mlir::Type", "{}">:$zeroPointType,
      CArg<"GranularityAttrInterface", "{}">:$outerGranularity,
      CArg<"::mlir::Type", "{}">:$outerScaleType,
      CArg<"::mlir::qc::LayoutAttrInterface", "{}">:$layout,
      CArg<"::mlir::qc::RotationAttrInterface", "{}">:$rotation,
      CArg<"std::optional<int64_t>", "std::nullopt">:$rotationAxis,
      CArg<"::mlir::Type", "{}">:$minType,
      CArg<"::mlir::Type", "{}">:$outerMinType), [{
      return $_get($_ctxt, shape, grid, granularity, scaleType, zeroPointType,
                   outerGranularity, outerScaleType, layout, rotation,
                   rotationAxis, minType, outerMinType);
    }]>,
  ];
  let extraClassDeclaration = [{
    int64_t getRank() const { return getShape().size(); }
    bool hasStaticShape() const;
    bool hasZeroPoints() const { return bool(getZeroPointType()); }
    bool hasOuterScales() const { return bool(getOuterGranularity()); }
    bool hasMins() const { return bool(getMinType()); }
    bool hasOuterMins() const { return bool(getOuterMinType()); }
    /// Integer (sub-block) scales, or any min: the llama.cpp-style parts
    /// that qc.quantize does not produce.
    bool hasIntegerScalesOrMins() const;
    /// Signless integer type of one code's bit pattern (i4 for #qc.int<s4>).
    ::mlir::IntegerType getCodeType() const;
    ::mlir::RankedTensorType getCodesTensorType() const;
    /// The codes packed into bytes: tensor<ceil(numel * B / 8) x i8>, with a
    /// dynamic size when the shape is dynamic.
    ::mlir::RankedTensorType getPackedCodesTensorType() const;
    ::mlir::RankedTensorType getScalesTensorType() const;
    /// Null when the type has no zero points / outer scales.
    ::mlir::RankedTensorType getZeroPointsTensorType() const;
    ::mlir::RankedTensorType getOuterScalesTensorType() const;
    ::mlir::RankedTensorType getMinsTensorType() const;
    ::mlir::RankedTensorType getOuterMinsTensorType() const;
    /// The part tensor types in operand order: codes, scales, then zero
    /// points, outer scales, mins and outer mins when present.
    ::llvm::SmallVector<::mlir::RankedTensorType> getPartTensorTypes() const;
    /// The same type with another shape; every other parameter (zero
    /// points, outer scales, layout, rotation) is kept, so the caller must
    /// give a shape they fit (a #qc.tiled layout needs a static matrix, a
    /// rotation its axis's size).
    QuantizedTensorType cloneWithShape(::llvm::ArrayRef<int64_t> shape) const;
    /// The same type without its rotation (the stored basis).
    QuantizedTensorType cloneWithoutRotation() const;
    /// The same type with another layout (null for row-major).
    QuantizedTensorType cloneWithLayout(LayoutAttrInterface layout) const;
    /// The layout if it is #qc.tiled / #qc.bit_planes, else null.
    TiledLayoutAttr getTiledLayout() const;
    BitPlanesAttr getBitPlanes() const;
    /// Bytes per row of packed codes (rank 2, rows of whole bytes).
    int64_t getPackedRowBytes() const;
  }];
}

#endif // QC_DIALECT_QC_IR_QCTYPES_TD
