//===- QC.h - C API of the qc dialect -----------------------------*- C -*-===//
//
// qc's C API, in MLIR's C API conventions: `mlir...` names, handles passed
// by value, nothing to free that the caller did not create. The dialect
// handle (mlirGetDialectHandle__qc__), registration of qc's dialects,
// passes and pipelines, and the construction and inspection of
// `!qc.qtensor` and the grid and granularity attributes. Link libQCCAPI.so,
// which bundles the parts of MLIR's C API it uses.
//
//===----------------------------------------------------------------------===//

#ifndef QC_C_QC_H
#define QC_C_QC_H

#include "mlir-c/IR.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(QC, qc);

/// Registers the qc dialects and every dialect qc's pipelines need
/// (mlir::qc::registerAllDialects).
MLIR_CAPI_EXPORTED void mlirQCRegisterAllDialects(MlirDialectRegistry registry);

/// Registers qc's passes and pipelines (qc-reference-pipeline,
/// qc-cpu-pipeline, qc-quantize-model) globally, so that pass pipeline
/// strings can name them.
MLIR_CAPI_EXPORTED void mlirQCRegisterAllPasses(void);

//===----------------------------------------------------------------------===//
// Grids and granularities
//===----------------------------------------------------------------------===//

/// `#qc.int<sN>` / `#qc.int<uN>` (1 <= N <= 8), optionally narrow.
MLIR_CAPI_EXPORTED MlirAttribute mlirQCIntGridAttrGet(MlirContext ctx,
                                                      unsigned width,
                                                      bool isSigned,
                                                      bool narrow);
MLIR_CAPI_EXPORTED bool mlirAttributeIsAQCIntGrid(MlirAttribute attr);
/// `#qc.nf4`.
MLIR_CAPI_EXPORTED MlirAttribute mlirQCNF4GridAttrGet(MlirContext ctx);
/// Whether `attr` is any grid (int, float, nf4, codebook, ternary,
/// binary).
MLIR_CAPI_EXPORTED bool mlirAttributeIsAQCGrid(MlirAttribute attr);
/// Bits of one code of a grid attribute.
MLIR_CAPI_EXPORTED unsigned mlirQCGridAttrGetCodeBits(MlirAttribute grid);

MLIR_CAPI_EXPORTED MlirAttribute mlirQCPerTensorAttrGet(MlirContext ctx);
MLIR_CAPI_EXPORTED MlirAttribute mlirQCPerAxisAttrGet(MlirContext ctx,
                                                      int64_t axis);
MLIR_CAPI_EXPORTED MlirAttribute mlirQCPerBlockAttrGet(MlirContext ctx,
                                                       intptr_t rank,
                                                       const int64_t *sizes);
/// Whether `attr` is any granularity (per tensor, per axis, per block).
MLIR_CAPI_EXPORTED bool mlirAttributeIsAQCGranularity(MlirAttribute attr);

//===----------------------------------------------------------------------===//
// !qc.qtensor
//===----------------------------------------------------------------------===//

MLIR_CAPI_EXPORTED bool mlirTypeIsAQCQuantizedTensor(MlirType type);
MLIR_CAPI_EXPORTED MlirTypeID mlirQCQuantizedTensorTypeGetTypeID(void);

/// `!qc.qtensor<shape, grid, scaleType granularity [, zero_point zpType]>`
/// (`zeroPointType` null for none; dimensions ShapedType's dynamic value
/// for `?`). Invalid parameters emit the verifier's error at `loc` and
/// return a null type.
MLIR_CAPI_EXPORTED MlirType mlirQCQuantizedTensorTypeGetChecked(
    MlirLocation loc, intptr_t rank, const int64_t *shape, MlirAttribute grid,
    MlirAttribute granularity, MlirType scaleType, MlirType zeroPointType);

MLIR_CAPI_EXPORTED intptr_t mlirQCQuantizedTensorTypeGetRank(MlirType type);
MLIR_CAPI_EXPORTED int64_t mlirQCQuantizedTensorTypeGetDimSize(MlirType type,
                                                              intptr_t dim);
MLIR_CAPI_EXPORTED MlirAttribute
mlirQCQuantizedTensorTypeGetGrid(MlirType type);
MLIR_CAPI_EXPORTED MlirAttribute
mlirQCQuantizedTensorTypeGetGranularity(MlirType type);
MLIR_CAPI_EXPORTED MlirType mlirQCQuantizedTensorTypeGetScaleType(MlirType type);
/// Null when the type has no zero points.
MLIR_CAPI_EXPORTED MlirType
mlirQCQuantizedTensorTypeGetZeroPointType(MlirType type);
/// The type of the subtracted per-block mins (x = ... - m * mo) and of
/// their outer factor; null when the type has none.
MLIR_CAPI_EXPORTED MlirType mlirQCQuantizedTensorTypeGetMinType(MlirType type);
MLIR_CAPI_EXPORTED MlirType
mlirQCQuantizedTensorTypeGetOuterMinType(MlirType type);
/// The part types, as `qc.disassemble` gives them: the codes
/// `tensor<shape x iB>` and the scales.
MLIR_CAPI_EXPORTED MlirType
mlirQCQuantizedTensorTypeGetCodesType(MlirType type);
MLIR_CAPI_EXPORTED MlirType
mlirQCQuantizedTensorTypeGetScalesType(MlirType type);

//===----------------------------------------------------------------------===//
// Quantized weights and linear layers (lib/CAPI/Weights.cpp)
//===----------------------------------------------------------------------===//

/// Quantizes `data` (f32, row-major, the static shape of the `!qc.qtensor`
/// `type`) with the numerics library, as qc-quantize-constants does, with
/// scale method `method` ("absmax", "minmax", "mse", "absmean", "mx"; empty
/// for absmax, or minmax when the type has zero points). Writes one code
/// per element to `codes`, the scales (as many as `type`'s scales tensor) to
/// `scales`, and the zero points (same count) to `zeroPoints` when the type
/// has them. Types with rotations, bit planes, tiled layouts or two-level
/// scales are refused. On failure emits an error at `loc` and writes
/// nothing.
MLIR_CAPI_EXPORTED MlirLogicalResult
mlirQCQuantizeFloats(MlirLocation loc, MlirType type, MlirStringRef method,
                     const float *data, uint8_t *codes, float *scales,
                     float *zeroPoints);

/// A detached `qc.constant` of `type` (the caller owns it) from one code per
/// element (each below 2^bits of the grid), the scales and, when the type
/// has them, the zero points (as f32, rounded to the type's formats).
/// Returns a null operation after emitting an error at `loc` when a code is
/// out of range or the type is one mlirQCQuantizeFloats refuses.
MLIR_CAPI_EXPORTED MlirOperation mlirQCConstantOpCreate(
    MlirLocation loc, MlirType type, const uint8_t *codes,
    const float *scales, const float *zeroPoints);

/// Appends `func.func @name(%x: tensor<?xKxf32>) -> tensor<?xNxf32>` to
/// `module`, computing y = x W^T (+ bias) with one `qc.matmul`. `weight` is
/// a detached operation with one result, a `!qc.qtensor` or a float
/// `tensor` of shape N x K (a `qc.constant`, an `arith.constant`); the
/// function takes ownership of it. When `activationType` is not null, x is
/// first quantized to it with `qc.quantize` (a `!qc.qtensor<?xK, ...>`).
/// `bias` (N floats) may be null. The function carries
/// `llvm.emit_c_interface`. Returns the function, or a null operation after
/// an error at the weight's location (shapes that do not match, a name
/// already taken, an op that does not verify); the weight is destroyed
/// then.
MLIR_CAPI_EXPORTED MlirOperation mlirQCLinearFuncCreate(
    MlirModule module, MlirStringRef name, MlirOperation weight,
    MlirType activationType, const float *bias);

/// Registers in `ctx` the translations to LLVM IR that modules lowered by
/// qc's pipelines need (builtin, LLVM, OpenMP), for MLIR's
/// ExecutionEngine (mlir-c/ExecutionEngine.h, bundled in libQCCAPI.so).
MLIR_CAPI_EXPORTED void mlirQCRegisterLLVMTranslations(MlirContext ctx);

#ifdef __cplusplus
}
#endif

#endif // QC_C_QC_H
