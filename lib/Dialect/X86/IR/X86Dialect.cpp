//===- X86Dialect.cpp - qc_x86 dialect and ops ----------------------------===//

#include "qc/Dialect/X86/IR/X86Dialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::qc::x86;

#include "qc/Dialect/X86/IR/X86Dialect.cpp.inc"
#include "qc/Dialect/X86/IR/X86Interfaces.cpp.inc"

void X86Dialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "qc/Dialect/X86/IR/X86Ops.cpp.inc"
      >();
}

#define GET_OP_CLASSES
#include "qc/Dialect/X86/IR/X86Ops.cpp.inc"

/// Whether `v` has 256 bits (AVX2) rather than 128 (SSE).
static bool wide(Value v) {
  auto t = cast<VectorType>(v.getType());
  return t.getNumElements() * t.getElementTypeBitWidth() == 256;
}

/// A pairwise multiply-add halves the lane count.
static LogicalResult verifyPairs(Operation *op, Value in, Value out) {
  int64_t n = cast<VectorType>(in.getType()).getNumElements();
  int64_t m = cast<VectorType>(out.getType()).getNumElements();
  if (m * 2 != n)
    return op->emitOpError("result must have half the lanes of the operands (")
           << n / 2 << "), not " << m;
  return success();
}

LogicalResult PMAddUBSWOp::verify() {
  return verifyPairs(*this, getUnsignedBytes(), getResult());
}
LogicalResult PMAddWDOp::verify() {
  return verifyPairs(*this, getLhs(), getResult());
}

LogicalResult DPBUSDOp::verify() {
  int64_t lanes = getAcc().getType().getNumElements();
  int64_t bytes = getUnsignedBytes().getType().getNumElements();
  if (bytes != 4 * lanes)
    return emitOpError("operands must have four bytes per i32 lane (")
           << 4 * lanes << "), not " << bytes;
  return success();
}

StringRef DPBUSDOp::getIntrinsicName() {
  switch (getAcc().getType().getNumElements()) {
  case 4:
    return "llvm.x86.avx512.vpdpbusd.128";
  case 8:
    return "llvm.x86.avx512.vpdpbusd.256";
  default:
    return "llvm.x86.avx512.vpdpbusd.512";
  }
}
StringRef DPBUSDOp::getRequiredFeature() {
  // The 128- and 256-bit forms: EVEX (AVX512-VNNI with AVX512-VL) or VEX
  // (AVX-VNNI, client CPUs without AVX-512).
  return getAcc().getType().getNumElements() == 16
             ? "avx512vnni+avx512bw"
             : "avx512vnni+avx512vl|avxvnni";
}

StringRef PMAddUBSWOp::getIntrinsicName() {
  return wide(getResult()) ? "llvm.x86.avx2.pmadd.ub.sw"
                           : "llvm.x86.ssse3.pmadd.ub.sw.128";
}
StringRef PMAddUBSWOp::getRequiredFeature() {
  return wide(getResult()) ? "avx2" : "ssse3";
}
StringRef PMAddWDOp::getIntrinsicName() {
  return wide(getResult()) ? "llvm.x86.avx2.pmadd.wd" : "llvm.x86.sse2.pmadd.wd";
}
StringRef PMAddWDOp::getRequiredFeature() {
  return wide(getResult()) ? "avx2" : "sse2";
}
StringRef PSignBOp::getIntrinsicName() {
  return wide(getResult()) ? "llvm.x86.avx2.psign.b"
                           : "llvm.x86.ssse3.psign.b.128";
}
StringRef PSignBOp::getRequiredFeature() {
  return wide(getResult()) ? "avx2" : "ssse3";
}
StringRef PShufBOp::getIntrinsicName() {
  return wide(getResult()) ? "llvm.x86.avx2.pshuf.b"
                           : "llvm.x86.ssse3.pshuf.b.128";
}
StringRef PShufBOp::getRequiredFeature() {
  return wide(getResult()) ? "avx2" : "ssse3";
}
StringRef PermBOp::getIntrinsicName() {
  return "llvm.x86.avx512.permvar.qi.512";
}
StringRef PermBOp::getRequiredFeature() { return "avx512vbmi"; }
LogicalResult PermPSOp::verify() {
  int64_t lanes = getTable().getType().getNumElements();
  if (getIndices().getType().getNumElements() != lanes)
    return emitOpError("needs as many indices as table lanes (") << lanes
           << ")";
  return success();
}
StringRef PermPSOp::getIntrinsicName() {
  return getTable().getType().getNumElements() == 16
             ? "llvm.x86.avx512.permvar.sf.512"
             : "llvm.x86.avx2.permps";
}
StringRef PermPSOp::getRequiredFeature() {
  return getTable().getType().getNumElements() == 16 ? "avx512f" : "avx2";
}
