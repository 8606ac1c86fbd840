//===- X86ToLLVM.cpp - qc_x86 ops to LLVM intrinsic calls -----------------===//
//
// convert-qc-x86-to-llvm: every qc_x86 op becomes the llvm.call_intrinsic of
// the intrinsic it names, with the same operands and result. It runs after
// buffer deallocation (which rejects llvm.call_intrinsic's unknown memory
// effects) and before convert-to-llvm.
//
//===----------------------------------------------------------------------===//

#include "qc/Conversion/Passes.h"

#include "qc/Dialect/X86/IR/X86Dialect.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::qc {
#define GEN_PASS_DEF_CONVERTQCX86TOLLVM
#include "qc/Conversion/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;

namespace {

struct IntrinsicCall
    : OpInterfaceRewritePattern<x86::X86IntrinsicOpInterface> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;
  LogicalResult matchAndRewrite(x86::X86IntrinsicOpInterface op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<LLVM::CallIntrinsicOp>(
        op, op->getResultTypes(),
        rewriter.getStringAttr(op.getIntrinsicName()), op->getOperands(),
        LLVM::FastmathFlagsAttr::get(op->getContext(),
                                     LLVM::FastmathFlags::none),
        ArrayRef<ValueRange>{}, ArrayAttr(), ArrayAttr(), ArrayAttr());
    return success();
  }
};

struct ConvertQCX86ToLLVMPass
    : mlir::qc::impl::ConvertQCX86ToLLVMBase<ConvertQCX86ToLLVMPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateQCX86ToLLVMPatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace

void mlir::qc::populateQCX86ToLLVMPatterns(RewritePatternSet &patterns) {
  patterns.add<IntrinsicCall>(patterns.getContext());
}
