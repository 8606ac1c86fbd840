//===- InsertRotations.cpp - QuaRot-style rotation pairs ------------------===//
//
// quantize(x) . quantize(W)^T  ->  quantize(x Q) . quantize(W Q)^T, with
// x Q online (qc.rotate) and W Q folded at compile time: the float function
// is unchanged, the quantizers see rotated (outlier-free) values.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/Transforms/Passes.h"

#include "qc/Utils/ConstantUtils.h"

#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Numerics/Hadamard.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::qc {
#define GEN_PASS_DEF_INSERTROTATIONS
#include "qc/Dialect/QC/Transforms/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;

namespace {

/// quantize(x) . quantize(W)^T -> quantize(x Q) . quantize(W Q)^T.
struct InsertRotationPair : OpRewritePattern<MatmulOp> {
  InsertRotationPair(MLIRContext *ctx, bool weightsOnly, int64_t seed,
                     llvm::DenseMap<Operation *, std::string> &skipped,
                     int64_t &inserted)
      : OpRewritePattern(ctx), weightsOnly(weightsOnly), seed(seed),
        skipped(skipped), inserted(inserted) {}

  LogicalResult skip(PatternRewriter &rewriter, MatmulOp op,
                     std::string why) const {
    skipped[op] = why;
    return rewriter.notifyMatchFailure(op, why);
  }

  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const override {
    // The weight: quantize of a float constant.
    // The activations: quantize of a float tensor, or (weights-only) float.
    auto aQuant = op.getLhs().getDefiningOp<QuantizeOp>();
    Value x = aQuant ? aQuant.getInput() : op.getLhs();
    if (!aQuant && (!weightsOnly || isa<QuantizedTensorType>(x.getType())))
      return rewriter.notifyMatchFailure(op, "activations not quantized");
    auto wQuant = op.getRhs().getDefiningOp<QuantizeOp>();
    std::optional<std::vector<double>> w;
    std::string unreadable;
    if (wQuant)
      w = readFloatConstant(wQuant.getInput(), &unreadable);
    if (!w)
      return skip(rewriter, op,
                  unreadable.empty()
                      ? "the weight is not qc.quantize of a float constant"
                      : "the weight's constant cannot be read: " + unreadable);
    if (wQuant.getScales() || (aQuant && aQuant.getScales()))
      return skip(rewriter, op,
                  "a quantizer has given scales, which were chosen for the "
                  "unrotated values");
    auto wType = cast<RankedTensorType>(wQuant.getInput().getType());
    int64_t n = wType.getDimSize(0), k = wType.getDimSize(1);
    HadamardAttr q = HadamardAttr::getForSize(getContext(), k, seed);
    if (!q)
      return skip(rewriter, op,
                  "K = " + std::to_string(k) + ": " +
                      numerics::explainUncoveredSize(k));
    rewriter.setInsertionPoint(op);
    Location loc = op.getLoc();
    // W Q, then its quantization (the type and method of the original).
    (void)q.applyToRows(w->data(), n, /*transpose=*/false); // a Hadamard
    Value wq = createF32Constant(rewriter, loc, wType.getShape(), *w);
    auto newWQuant = QuantizeOp::create(
        rewriter, wQuant.getLoc(), wQuant.getType(), wq, wQuant.getScales(),
        wQuant.getZeroPoints(), wQuant.getOuterScales(),
        wQuant.getMethodAttr(), wQuant.getRoundingAttr());
    // x Q, then the activations' quantization if they had one.
    Value lhs = RotateOp::create(rewriter, loc, x, q,
                                 rewriter.getI64IntegerAttr(1), UnitAttr());
    if (aQuant)
      lhs = QuantizeOp::create(rewriter, aQuant.getLoc(), aQuant.getType(),
                               lhs, aQuant.getScales(), aQuant.getZeroPoints(),
                               aQuant.getOuterScales(),
                               aQuant.getMethodAttr(),
                               aQuant.getRoundingAttr());
    rewriter.modifyOpInPlace(op, [&] {
      op.getLhsMutable().assign(lhs);
      op.getRhsMutable().assign(newWQuant.getResult());
    });
    if (aQuant && aQuant->use_empty())
      rewriter.eraseOp(aQuant);
    if (wQuant->use_empty()) {
      Operation *oldWeight = wQuant.getInput().getDefiningOp();
      rewriter.eraseOp(wQuant);
      if (oldWeight && oldWeight->use_empty())
        rewriter.eraseOp(oldWeight);
    }
    ++inserted;
    return success();
  }

  bool weightsOnly;
  int64_t seed;
  llvm::DenseMap<Operation *, std::string> &skipped;
  int64_t &inserted;
};

struct InsertRotationsPass
    : mlir::qc::impl::InsertRotationsBase<InsertRotationsPass> {
  using InsertRotationsBase::InsertRotationsBase;

  void runOnOperation() override {
    // A dense_resource blob whose size is not its type's is an error here,
    // before anything reads it.
    if (failed(verifyConstantBlobs(getOperation())))
      return signalPassFailure();
    llvm::DenseMap<Operation *, std::string> skipped;
    int64_t inserted = 0;
    RewritePatternSet patterns(&getContext());
    patterns.add<InsertRotationPair>(&getContext(), weightsOnly, seed, skipped,
                                     inserted);
    // Each matmul once: after the rewrite its operands are quantize ops
    // again, and the greedy driver would rotate them a second time.
    walkAndApplyPatterns(getOperation(), std::move(patterns));
    if (!remarks)
      return;
    getOperation()->walk([&](MatmulOp op) {
      auto it = skipped.find(op);
      if (it != skipped.end())
        op.emitRemark("no rotation inserted: ") << it->second;
    });
    mlir::emitRemark(getOperation()->getLoc(), "qc-insert-rotations: ")
        << inserted << " rotation pair(s) inserted; " << skipped.size()
        << " matmul(s) left unrotated";
  }
};

} // namespace
