//===- QCOps.h - qc operations ----------------------------------*- C++ -*-===//

#ifndef QC_DIALECT_QC_IR_QCOPS_H
#define QC_DIALECT_QC_IR_QCOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCTypes.h"
#include "qc/Numerics/Nesting.h"

#define GET_OP_CLASSES
#include "qc/Dialect/QC/IR/QCOps.h.inc"

#include <cstdint>
#include <vector>

namespace mlir::qc {
/// The codes of a `qc.constant`'s `codes` part for a tensor of `type`
/// without a layout, one bit pattern per byte in row-major order: the
/// logical codes (tensor<SHAPE x iB>) or the packed row-major stream;
/// failure when the attribute cannot be read.
FailureOr<std::vector<uint8_t>> readRowMajorCodes(ElementsAttr codes,
                                                  QuantizedTensorType type);
} // namespace mlir::qc

#endif // QC_DIALECT_QC_IR_QCOPS_H
