//===- KernelCallOp.cpp - qc.kernel_call: verifier and bufferization ------===//
//
// qc.kernel_call is how every back end calls a kernel it generated: a
// destination-passing-style op on tensors whose reads (`ins`) and writes
// (`outs`) One-Shot Bufferize sees, bufferized to a func.call on memrefs.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/IR/QCOps.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::bufferization;

void KernelCallOp::build(OpBuilder &b, OperationState &state,
                         FlatSymbolRefAttr callee, ValueRange inputs,
                         ValueRange outputs) {
  build(b, state, outputs.getTypes(), callee, inputs, outputs);
}

LogicalResult KernelCallOp::verify() {
  if (getNumResults() != getOutputs().size())
    return emitOpError("has ")
           << getNumResults() << " result(s) for " << getOutputs().size()
           << " outs operand(s); there must be one result per outs operand";
  for (auto [i, out, result] :
       llvm::enumerate(getOutputs(), getResults()))
    if (out.getType() != result.getType())
      return emitOpError("result ")
             << i << " has type " << result.getType()
             << ", which is not its outs operand's type " << out.getType();
  return success();
}

/// Whether a buffer for a tensor of `tensorType` may be passed as `arg`.
static bool isCompatibleArgument(RankedTensorType tensorType, Type arg) {
  auto memref = dyn_cast<MemRefType>(arg);
  if (!memref || memref.getElementType() != tensorType.getElementType() ||
      memref.getRank() != tensorType.getRank())
    return false;
  for (auto [t, m] : llvm::zip(tensorType.getShape(), memref.getShape()))
    if (!ShapedType::isDynamic(t) && !ShapedType::isDynamic(m) && t != m)
      return false;
  return true;
}

LogicalResult
KernelCallOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto fn = symbolTable.lookupNearestSymbolFrom<FunctionOpInterface>(
      *this, getCalleeAttr());
  if (!fn)
    return emitOpError("callee ")
           << getCalleeAttr() << " is not a function in a symbol table above";
  ArrayRef<Type> args = fn.getArgumentTypes();
  size_t operands = getInputs().size() + getOutputs().size();
  if (args.size() != operands)
    return emitOpError("callee ")
           << getCalleeAttr() << " takes " << args.size()
           << " argument(s); the call has " << operands
           << " (ins, then outs)";
  if (!fn.getResultTypes().empty())
    return emitOpError("callee ")
           << getCalleeAttr()
           << " returns values; a kernel writes its outs buffers instead";
  for (auto [i, operand] : llvm::enumerate(getOperands())) {
    auto type = cast<RankedTensorType>(operand.getType());
    if (!isCompatibleArgument(type, args[i]))
      return emitOpError("operand ")
             << i << " of type " << type << " cannot be passed as callee "
             << getCalleeAttr() << "'s argument of type " << args[i]
             << " (a memref of the same element type, rank and static sizes)";
  }
  return success();
}

bool KernelCallOp::bufferizesToMemoryRead(OpOperand &operand,
                                          const AnalysisState &) {
  // outs only supply the buffer: the kernel writes them in full.
  return !isDpsInit(&operand);
}

bool KernelCallOp::bufferizesToMemoryWrite(OpOperand &operand,
                                           const AnalysisState &) {
  return isDpsInit(&operand);
}

AliasingValueList KernelCallOp::getAliasingValues(OpOperand &operand,
                                                  const AnalysisState &) {
  if (isDpsInit(&operand))
    return {{getTiedOpResult(&operand), BufferRelation::Equivalent}};
  return {};
}

/// `buffer` as an argument of type `argType`: a cast when the buffer has the
/// identity layout (only sizes differ), else a copy into a new buffer
/// (`copy = false`: a new buffer without the contents, for an output).
static FailureOr<Value> asArgument(RewriterBase &rewriter, Location loc,
                                   Value buffer, MemRefType argType,
                                   bool copy,
                                   const BufferizationOptions &options) {
  auto type = cast<MemRefType>(buffer.getType());
  if (type == argType)
    return buffer;
  if (type.getLayout().isIdentity() &&
      type.getMemorySpace() == argType.getMemorySpace())
    return Value(memref::CastOp::create(rewriter, loc, argType, buffer));
  // Another layout (a strided view): a new identity-layout buffer with the
  // argument's static sizes and the buffer's dynamic ones.
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < argType.getRank(); ++d)
    if (argType.isDynamicDim(d))
      dynamicSizes.push_back(memref::DimOp::create(rewriter, loc, buffer, d));
  FailureOr<Value> fresh =
      options.createAlloc(rewriter, loc, argType, dynamicSizes);
  if (failed(fresh))
    return failure();
  if (copy && failed(options.createMemCpy(rewriter, loc, buffer, *fresh)))
    return failure();
  return fresh;
}

LogicalResult KernelCallOp::bufferize(RewriterBase &rewriter,
                                      const BufferizationOptions &options,
                                      BufferizationState &state) {
  auto fn = SymbolTable::lookupNearestSymbolFrom<FunctionOpInterface>(
      *this, getCalleeAttr());
  if (!fn)
    return emitOpError("callee ") << getCalleeAttr() << " not found";
  ArrayRef<Type> argTypes = fn.getArgumentTypes();
  Location loc = getLoc();
  SmallVector<Value> args, results;
  for (OpOperand &operand : getOperation()->getOpOperands()) {
    FailureOr<Value> buffer =
        getBuffer(rewriter, operand.get(), options, state);
    if (failed(buffer))
      return failure();
    auto argType = dyn_cast<MemRefType>(argTypes[operand.getOperandNumber()]);
    if (!argType)
      return emitOpError("callee argument is not a memref");
    bool init = isDpsInit(&operand);
    FailureOr<Value> arg = asArgument(rewriter, loc, *buffer, argType,
                                      /*copy=*/!init, options);
    if (failed(arg))
      return failure();
    args.push_back(*arg);
    if (init)
      results.push_back(*arg == *buffer ||
                                arg->getDefiningOp<memref::CastOp>()
                            ? *buffer
                            : *arg);
  }
  func::CallOp::create(rewriter, loc, getCalleeAttr(), TypeRange{}, args);
  replaceOpWithBufferizedValues(rewriter, *this, results);
  return success();
}
