//===- QCTypes.h - qc types -------------------------------------*- C++ -*-===//

#ifndef QC_DIALECT_QC_IR_QCTYPES_H
#define QC_DIALECT_QC_IR_QCTYPES_H

#include "mlir/IR/BuiltinTypes.h"
#include "qc/Dialect/QC/IR/QCAttributes.h"
#include "qc/Numerics/Quantizer.h"

#include <optional>

#define GET_TYPEDEF_CLASSES
#include "qc/Dialect/QC/IR/QCTypes.h.inc"

namespace mlir::qc {
/// The plain-C++ quantization scheme of a statically shaped quantized tensor
/// type, with `method` choosing scales. std::nullopt if the type's scale or
/// zero-point types have no numerics equivalent.
std::optional<::mlir::qc::numerics::QuantScheme>
getNumericsScheme(QuantizedTensorType type, ScaleMethod method);
} // namespace mlir::qc

#endif // QC_DIALECT_QC_IR_QCTYPES_H
