//===- Passes.h - qc transformation passes ----------------------*- C++ -*-===//

#ifndef QC_DIALECT_QC_TRANSFORMS_PASSES_H
#define QC_DIALECT_QC_TRANSFORMS_PASSES_H

#include "qc/Numerics/Permutation.h"

#include "qc/Dialect/QC/IR/QCAttributes.h"

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

/// Where qc-allocate-bits takes a layer's sensitivity from.
enum class SensitivitySource { None, Attr, AlphaQ };

#define GEN_PASS_DECL
#include "qc/Dialect/QC/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qc/Dialect/QC/Transforms/Passes.h.inc"

} // namespace mlir::qc

#endif // QC_DIALECT_QC_TRANSFORMS_PASSES_H
