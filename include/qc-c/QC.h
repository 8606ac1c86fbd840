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
/// The part types, as `qc.disassemble` gives them: the codes
/// `tensor<shape x iB>` and the scales.
MLIR_CAPI_EXPORTED MlirType
mlirQCQuantizedTensorTypeGetCodesType(MlirType type);
MLIR_CAPI_EXPORTED MlirType
mlirQCQuantizedTensorTypeGetScalesType(MlirType type);

#ifdef __cplusplus
}
#endif

#endif // QC_C_QC_H
