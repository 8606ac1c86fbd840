//===- X86Dialect.h - qc_x86 dialect and ops --------------------*- C++ -*-===//

#ifndef QC_DIALECT_X86_IR_X86DIALECT_H
#define QC_DIALECT_X86_IR_X86DIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "qc/Dialect/X86/IR/X86Dialect.h.inc"
#include "qc/Dialect/X86/IR/X86Interfaces.h.inc"

#define GET_OP_CLASSES
#include "qc/Dialect/X86/IR/X86Ops.h.inc"

#endif // QC_DIALECT_X86_IR_X86DIALECT_H
