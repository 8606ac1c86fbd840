//===- Passes.h - qc transformation passes ----------------------*- C++ -*-===//

#ifndef QC_DIALECT_QC_TRANSFORMS_PASSES_H
#define QC_DIALECT_QC_TRANSFORMS_PASSES_H

#include "qc/Numerics/Permutation.h"

#include "qc/Dialect/QC/IR/QCAttributes.h"
#include "qc/Utils/EnumOptionParser.h"

#include "mlir/Pass/Pass.h"

namespace mlir::qc {

/// The per-channel statistic qc-rearrange-outliers sorts channels by.
enum class OutlierMetric {
  WeightMaxAbs,
  WeightL2,
  ActMaxAbs,
  ActMeanAbs,
  ActSqSum,
};

/// The named formats of qc-quantize-linears{policy=...} and
/// qc-quantize-model: typed values, so that a misspelt policy is an error
/// when the pipeline is built, not a format string parsed when it runs.
enum class QuantizePolicy {
  /// No policy: the format is qc-quantize-linears' weight-format text.
  Custom,
  /// int4 weights, absmax groups of 128 with f16 scales; f32 activations.
  W4G128,
  /// int4 weights, absmax groups of 64 with f16 scales; f32 activations.
  W4G64,
  /// NF4 weights, groups of 64 with f16 scales; f32 activations.
  NF4G64,
  /// int4 weights in groups of 128 (f16 scales) times int8 activations
  /// quantized per block of 32 at run time (llama.cpp's Q4_0 x Q8_0).
  W4A8,
  /// int8 weights (narrow: [-127, 127]) per output channel with f32 scales
  /// times int8 activations quantized per block of 32 at run time (ONNX
  /// Runtime's dynamic int8 quantization, in finer activation blocks).
  W8A8,
};

/// Where qc-allocate-bits takes a layer's sensitivity from.
enum class SensitivitySource { None, Attr, AlphaQ };

} // namespace mlir::qc

// Enum options whose misspelt values get the list of valid ones.
QC_ENUM_OPTION_PARSER(mlir::qc::OutlierMetric)
QC_ENUM_OPTION_PARSER(mlir::qc::QuantizePolicy)
QC_ENUM_OPTION_PARSER(mlir::qc::SensitivitySource)
QC_ENUM_OPTION_PARSER(mlir::qc::ScaleMethod)
QC_ENUM_OPTION_PARSER(mlir::qc::numerics::RearrangeMethod)

namespace mlir::qc {

#define GEN_PASS_DECL
#include "qc/Dialect/QC/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qc/Dialect/QC/Transforms/Passes.h.inc"

} // namespace mlir::qc

#endif // QC_DIALECT_QC_TRANSFORMS_PASSES_H
