//===- FuseRotations.cpp - Absorb rotations into constant weights ---------===//
//
// The algebra (DESIGN.md section 3), with R the rotate op's matrix (Q, or
// Q^T when it is transposed), for a rotation along the last axis:
//   reader   (x R) W^T       = x (W R^T)^T
//   writer   (h W^T + b) R   = h (R^T W)^T + b R
//   cancel   x Q Q^T         = x          (and x Q Q = x for symmetric Q)
//   norm     rms_norm(x) R   = rms_norm(x R)      (no weight: |x R| = |x|)
//   add      (a + b) R       = a R + b R          (when both then vanish)
//   weight   (n . g) W^T     = n (W diag(g))^T    (a norm's weight g)
// Weights are rewritten in float64 (RotationAttrInterface::applyToRows) and
// stored as new f32 constants. Each rule is a rewrite pattern; the greedy
// driver applies them until none matches (cancel first, then the reader,
// the writer, through a norm, through an add: their benefits).
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/Transforms/Passes.h"

#include "qc/Utils/ConstantUtils.h"

#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qc {
#define GEN_PASS_DEF_FUSEROTATIONS
#include "qc/Dialect/QC/Transforms/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;

namespace {

/// `op` is a float Linear layer reading `v` as its activation: a qc.matmul
/// with lhs `v` and a constant float weight.
bool isFloatLinearReading(Operation *op, Value v) {
  auto matmul = dyn_cast<MatmulOp>(op);
  return matmul && matmul.getLhs() == v && isFloatConstant(matmul.getRhs());
}

bool allUsersAreFloatLinear(Value v) {
  return !v.use_empty() && llvm::all_of(v.getUsers(), [&](Operation *user) {
    return isFloatLinearReading(user, v);
  });
}

/// The rotated value's last axis (the verifier guarantees rank >= 1).
uint64_t lastAxis(RotateOp op) {
  return static_cast<uint64_t>(
      cast<RankedTensorType>(op.getType()).getRank() - 1);
}

/// W (rows x cols, row-major) transposed.
std::vector<double> transposed(const std::vector<double> &w, int64_t rows,
                               int64_t cols) {
  std::vector<double> t(w.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      t[size_t(c * rows + r)] = w[size_t(r * cols + c)];
  return t;
}

/// The float Linear layers reading `v` and their weights' values (all of
/// them, before anything is rewritten); fails if one cannot be read.
LogicalResult readReaders(Value v, SmallVectorImpl<MatmulOp> &readers,
                          SmallVectorImpl<std::vector<double>> &weights) {
  for (Operation *user : v.getUsers()) {
    auto matmul = cast<MatmulOp>(user);
    std::optional<std::vector<double>> w = readFloatConstant(matmul.getRhs());
    if (!w)
      return failure();
    readers.push_back(matmul);
    weights.push_back(std::move(*w));
  }
  return success();
}

/// What the patterns did, for the summary remark.
struct FuseCounts {
  int64_t absorbed = 0, cancelled = 0, moved = 0, normWeights = 0;
};

template <typename OpTy>
struct FusePattern : OpRewritePattern<OpTy> {
  FusePattern(MLIRContext *ctx, FuseCounts &counts, PatternBenefit benefit)
      : OpRewritePattern<OpTy>(ctx, benefit), counts(counts) {}
  FuseCounts &counts;
};

/// rms_norm(x, g) read only by float Linear layers: g goes into their
/// weights' columns.
struct FoldNormWeight : FusePattern<RMSNormOp> {
  using FusePattern::FusePattern;
  LogicalResult matchAndRewrite(RMSNormOp norm,
                                PatternRewriter &rewriter) const override {
    if (!norm.getWeight() || !isFloatConstant(norm.getWeight()) ||
        !allUsersAreFloatLinear(norm.getResult()))
      return rewriter.notifyMatchFailure(
          norm, "no constant weight, or read by other than float Linears");
    std::optional<std::vector<double>> g = readFloatConstant(norm.getWeight());
    SmallVector<MatmulOp> readers;
    SmallVector<std::vector<double>> weights;
    if (!g || failed(readReaders(norm.getResult(), readers, weights)))
      return rewriter.notifyMatchFailure(norm, "a weight cannot be read");
    for (auto [matmul, w] : llvm::zip(readers, weights)) {
      auto wType = cast<RankedTensorType>(matmul.getRhs().getType());
      int64_t n = wType.getDimSize(0), k = wType.getDimSize(1);
      for (int64_t r = 0; r < n; ++r)
        for (int64_t c = 0; c < k; ++c)
          w[size_t(r * k + c)] *= (*g)[size_t(c)];
      rewriter.setInsertionPoint(matmul);
      Value folded =
          createF32Constant(rewriter, matmul.getLoc(), wType.getShape(), w);
      MatmulOp reader = matmul; // (a structured binding cannot be captured)
      rewriter.modifyOpInPlace(
          reader, [&] { reader.getRhsMutable().assign(folded); });
    }
    rewriter.setInsertionPoint(norm);
    rewriter.replaceOpWithNewOp<RMSNormOp>(norm, norm.getInput(), Value(),
                                           norm.getEpsilonAttr());
    ++counts.normWeights;
    return success();
  }
};

/// x R then x R^-1.
struct CancelRotations : FusePattern<RotateOp> {
  using FusePattern::FusePattern;
  LogicalResult matchAndRewrite(RotateOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<RotateOp>();
    if (!inner || inner.getRotation() != op.getRotation() ||
        inner.getAxis() != op.getAxis() ||
        (inner.getTranspose() == op.getTranspose() &&
         !op.getRotation().isSymmetric()))
      return rewriter.notifyMatchFailure(op, "not the inverse of its operand's");
    rewriter.replaceOp(op, inner.getInput());
    if (inner->use_empty())
      rewriter.eraseOp(inner);
    ++counts.cancelled;
    return success();
  }
};

/// (x R) W^T = x (W R^T)^T for every reader.
struct RotationIntoReaders : FusePattern<RotateOp> {
  using FusePattern::FusePattern;
  LogicalResult matchAndRewrite(RotateOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getAxis() != lastAxis(op) || lastAxis(op) != 1 ||
        !allUsersAreFloatLinear(op.getResult()))
      return rewriter.notifyMatchFailure(op, "not read by float Linears only");
    SmallVector<MatmulOp> readers;
    SmallVector<std::vector<double>> weights;
    if (failed(readReaders(op.getResult(), readers, weights)))
      return rewriter.notifyMatchFailure(op, "a weight cannot be read");
    for (auto [matmul, w] : llvm::zip(readers, weights)) {
      auto wType = cast<RankedTensorType>(matmul.getRhs().getType());
      if (failed(op.getRotation().applyToRows(w.data(), wType.getDimSize(0),
                                              !op.getTranspose())))
        return rewriter.notifyMatchFailure(op, "unreadable rotation entries");
    }
    for (auto [matmul, w] : llvm::zip(readers, weights)) {
      auto wType = cast<RankedTensorType>(matmul.getRhs().getType());
      rewriter.setInsertionPoint(matmul);
      Value rotated =
          createF32Constant(rewriter, matmul.getLoc(), wType.getShape(), w);
      MatmulOp reader = matmul; // (a structured binding cannot be captured)
      rewriter.modifyOpInPlace(reader, [&] {
        reader.getRhsMutable().assign(rotated);
        reader.getLhsMutable().assign(op.getInput());
      });
    }
    rewriter.eraseOp(op);
    ++counts.absorbed;
    return success();
  }
};

/// (h W^T + b) R = h (R^T W)^T + b R for the writer of x.
struct RotationIntoWriter : FusePattern<RotateOp> {
  using FusePattern::FusePattern;
  LogicalResult matchAndRewrite(RotateOp op,
                                PatternRewriter &rewriter) const override {
    auto matmul = op.getInput().getDefiningOp<MatmulOp>();
    if (!matmul || op.getAxis() != lastAxis(op) || !matmul->hasOneUse() ||
        !isFloatConstant(matmul.getRhs()) || matmul.getAccumulate() ||
        (matmul.getBias() && !isFloatConstant(matmul.getBias())))
      return rewriter.notifyMatchFailure(
          op, "not the only use of a float Linear with constant weights");
    std::optional<std::vector<double>> w = readFloatConstant(matmul.getRhs());
    std::optional<std::vector<double>> bias;
    if (matmul.getBias())
      bias = readFloatConstant(matmul.getBias());
    if (!w || (matmul.getBias() && !bias))
      return rewriter.notifyMatchFailure(op, "a weight cannot be read");
    auto wType = cast<RankedTensorType>(matmul.getRhs().getType());
    int64_t n = wType.getDimSize(0), k = wType.getDimSize(1);
    // R^T W: every column c of W becomes c^T R.
    std::vector<double> cols = transposed(*w, n, k);
    if (failed(op.getRotation().applyToRows(cols.data(), k,
                                            op.getTranspose())) ||
        (bias && failed(op.getRotation().applyToRows(bias->data(), 1,
                                                     op.getTranspose()))))
      return rewriter.notifyMatchFailure(op, "unreadable rotation entries");
    std::vector<double> rotated = transposed(cols, k, n);
    rewriter.setInsertionPoint(matmul);
    Location loc = matmul.getLoc();
    Value newBias;
    if (bias) {
      newBias = createF32Constant(rewriter, loc, {n}, *bias);
    }
    Value weight = createF32Constant(rewriter, loc, wType.getShape(), rotated);
    auto fused = MatmulOp::create(rewriter, loc, matmul.getType(),
                                  matmul.getLhs(), weight, newBias, Value());
    rewriter.replaceOp(op, fused.getResult());
    rewriter.eraseOp(matmul);
    ++counts.absorbed;
    return success();
  }
};

/// rms_norm(x) R = rms_norm(x R): the rotation moves to the norm's input.
struct RotationThroughNorm : FusePattern<RotateOp> {
  using FusePattern::FusePattern;
  LogicalResult matchAndRewrite(RotateOp op,
                                PatternRewriter &rewriter) const override {
    auto norm = op.getInput().getDefiningOp<RMSNormOp>();
    if (!norm || norm.getWeight() || op.getAxis() != lastAxis(op) ||
        !norm->hasOneUse())
      return rewriter.notifyMatchFailure(
          op, "not the only use of a weightless rms_norm");
    rewriter.setInsertionPoint(norm);
    auto moved = RotateOp::create(rewriter, op.getLoc(), norm.getInput(),
                                  op.getRotation(), op.getAxisAttr(),
                                  op.getTransposeAttr());
    auto newNorm = RMSNormOp::create(rewriter, norm.getLoc(), moved.getResult(),
                                     Value(), norm.getEpsilonAttr());
    rewriter.replaceOp(op, newNorm.getResult());
    rewriter.eraseOp(norm);
    ++counts.moved;
    return success();
  }
};

/// Whether `op`'s rotation applied to `v` would be absorbed at once: `v` is
/// the single-use result of a float Linear layer with constant weight (and
/// bias), or of the inverse rotation.
bool absorbedAt(Value v, RotateOp op) {
  if (!v.hasOneUse())
    return false;
  if (auto matmul = v.getDefiningOp<MatmulOp>())
    return isFloatConstant(matmul.getRhs()) && !matmul.getAccumulate() &&
           (!matmul.getBias() || isFloatConstant(matmul.getBias()));
  auto inner = v.getDefiningOp<RotateOp>();
  return inner && inner.getRotation() == op.getRotation() &&
         inner.getAxis() == op.getAxis() &&
         (inner.getTranspose() != op.getTranspose() ||
          op.getRotation().isSymmetric());
}

/// (a + b) R = a R + b R, when both rotations are then absorbed (a
/// residual add of two Linear layers' outputs, say); otherwise the one
/// online rotation would become two.
struct RotationThroughAdd : FusePattern<RotateOp> {
  using FusePattern::FusePattern;
  LogicalResult matchAndRewrite(RotateOp op,
                                PatternRewriter &rewriter) const override {
    auto add = op.getInput().getDefiningOp<arith::AddFOp>();
    if (!add || !add->hasOneUse() || op.getAxis() != lastAxis(op) ||
        add.getLhs() == add.getRhs() || !absorbedAt(add.getLhs(), op) ||
        !absorbedAt(add.getRhs(), op))
      return rewriter.notifyMatchFailure(
          op, "not an add whose operands both absorb the rotation");
    rewriter.setInsertionPoint(add);
    auto rotated = [&](Value v) {
      return RotateOp::create(rewriter, op.getLoc(), v, op.getRotation(),
                              op.getAxisAttr(), op.getTransposeAttr())
          .getResult();
    };
    Value lhs = rotated(add.getLhs()), rhs = rotated(add.getRhs());
    auto sum = arith::AddFOp::create(rewriter, add.getLoc(), lhs, rhs);
    rewriter.replaceOp(op, sum.getResult());
    rewriter.eraseOp(add);
    ++counts.moved;
    return success();
  }
};

/// f(x, y) P = f(x P, y P) for a permutation P and an elementwise f (a
/// nonlinearity, the gate product of a gated MLP), when every operand then
/// absorbs P (splat constants need none): a permutation commutes with what
/// no other rotation does.
struct PermutationThroughElementwise : FusePattern<RotateOp> {
  using FusePattern::FusePattern;
  LogicalResult matchAndRewrite(RotateOp op,
                                PatternRewriter &rewriter) const override {
    Operation *f = op.getInput().getDefiningOp();
    auto isSplat = [](Value v) {
      DenseElementsAttr attr;
      return matchPattern(v, m_Constant(&attr)) && attr.isSplat();
    };
    if (!isa<PermutationAttr>(op.getRotation()) || !f ||
        !f->hasTrait<OpTrait::Elementwise>() || f->getNumResults() != 1 ||
        !f->hasOneUse() ||
        !llvm::all_of(f->getOperands(), [&](Value v) {
          return v.getType() == op.getType() ? absorbedAt(v, op) : isSplat(v);
        }))
      return rewriter.notifyMatchFailure(
          op, "not a permutation of an elementwise op whose operands all "
              "absorb it");
    rewriter.setInsertionPoint(f);
    IRMapping map;
    for (Value v : f->getOperands())
      if (!isSplat(v))
        map.map(v, RotateOp::create(rewriter, op.getLoc(), v, op.getRotation(),
                                    op.getAxisAttr(), op.getTransposeAttr())
                       .getResult());
    Operation *moved = rewriter.clone(*f, map);
    rewriter.replaceOp(op, moved->getResults());
    rewriter.eraseOp(f);
    ++counts.moved;
    return success();
  }
};

/// A remark on a rotation that stays online, saying what blocked it.
void explain(RotateOp op) {
  InFlightDiagnostic diag = op.emitRemark("rotation left online: ");
  if (op.getAxis() != lastAxis(op)) {
    diag << "only rotations along the last axis are fused";
    return;
  }
  Operation *producer = op.getInput().getDefiningOp();
  if (!producer)
    diag << "its operand is a block argument";
  else if (auto matmul = dyn_cast<MatmulOp>(producer)) {
    // (whyUnreadable looks at the attribute only; nothing is read.)
    std::string unreadable;
    ElementsAttr weight;
    if (matchPattern(matmul.getRhs(), m_Constant(&weight)))
      unreadable = whyUnreadable(weight);
    if (isa<QuantizedTensorType>(matmul.getRhs().getType()))
      diag << "its operand comes from a Linear layer with a quantized "
              "weight (rotating quantized values is not rotating the values)";
    else if (!unreadable.empty())
      diag << "its operand comes from a Linear layer whose weight cannot be "
              "read: "
           << unreadable;
    else
      diag << "its operand comes from a Linear layer whose weight or bias is "
              "not a constant, or that has other users";
  }
  else if (isa<QuantizeOp, DequantizeOp>(producer))
    diag << "its operand comes from '" << producer->getName()
         << "': rotations never cross a quantizer";
  else if (isa<arith::AddFOp>(producer))
    diag << "its operand is an arith.addf whose operands would not both "
            "absorb it (it would become two online rotations)";
  else if (auto norm = dyn_cast<RMSNormOp>(producer))
    diag << (norm.getWeight() ? "its operand is an rms_norm whose weight "
                                "could not be folded into its readers"
                              : "its operand is an rms_norm with other "
                                "users");
  else if (isa<PermutationAttr>(op.getRotation()) &&
           producer->hasTrait<OpTrait::Elementwise>())
    diag << "its operand comes from '" << producer->getName()
         << "', an elementwise op whose operands would not all absorb the "
            "permutation";
  else
    diag << "its operand comes from '" << producer->getName()
         << "', which rotations do not commute with (no nonlinearity)";
  Operation *reader = nullptr;
  for (Operation *user : op.getResult().getUsers())
    if (!isFloatLinearReading(user, op.getResult()))
      reader = user;
  if (reader) {
    diag << "; and it is read by '" << reader->getName()
         << "', not only by float Linear layers";
    return;
  }
  // Read only by float Linear layers: one of their weights may be a
  // constant qc cannot read (elided, too large).
  for (Operation *user : op.getResult().getUsers()) {
    ElementsAttr weight;
    if (auto matmul = dyn_cast<MatmulOp>(user);
        matmul && matchPattern(matmul.getRhs(), m_Constant(&weight)))
      if (std::string why = whyUnreadable(weight); !why.empty()) {
        diag << "; and the weight of a Linear layer reading it cannot be "
                "read: "
             << why;
        return;
      }
  }
}

struct FuseRotationsPass
    : mlir::qc::impl::FuseRotationsBase<FuseRotationsPass> {
  using FuseRotationsBase::FuseRotationsBase;

  void runOnOperation() override {
    // A dense_resource blob whose size is not its type's is an error here,
    // before anything reads it.
    if (failed(verifyConstantBlobs(getOperation())))
      return signalPassFailure();
    FuseCounts counts;
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<FoldNormWeight>(ctx, counts, PatternBenefit(6));
    patterns.add<CancelRotations>(ctx, counts, PatternBenefit(5));
    patterns.add<RotationIntoReaders>(ctx, counts, PatternBenefit(4));
    patterns.add<RotationIntoWriter>(ctx, counts, PatternBenefit(3));
    patterns.add<RotationThroughNorm>(ctx, counts, PatternBenefit(2));
    patterns.add<RotationThroughAdd>(ctx, counts, PatternBenefit(1));
    patterns.add<PermutationThroughElementwise>(ctx, counts,
                                                PatternBenefit(0));
    SmallVector<Operation *> ops;
    getOperation()->walk([&](Operation *op) {
      if (isa<RotateOp, RMSNormOp>(op))
        ops.push_back(op);
    });
    // The rotations and norms and what the patterns create; nothing else is
    // folded or erased.
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps)
        .enableFolding(false)
        .setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(applyOpPatternsGreedily(ops, std::move(patterns), config))) {
      mlir::emitError(getOperation()->getLoc(), "qc-fuse-rotations did not converge");
      return signalPassFailure();
    }
    if (!remarks)
      return;
    int64_t online = 0;
    getOperation()->walk([&](RotateOp op) {
      explain(op);
      ++online;
    });
    mlir::emitRemark(getOperation()->getLoc(), "qc-fuse-rotations: ")
        << counts.absorbed << " rotation(s) absorbed into weights, "
        << counts.cancelled << " cancelled with their inverse, "
        << counts.moved << " moved through a norm or add, "
        << counts.normWeights << " norm weight(s) folded; " << online
        << " left online";
  }
};

} // namespace
