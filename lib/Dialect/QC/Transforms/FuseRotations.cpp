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
// stored as new f32 constants.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/Transforms/Passes.h"

#include "qc/Utils/ConstantUtils.h"

#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

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
  return matmul && matmul.getLhs() == v &&
         readFloatConstant(matmul.getRhs()).has_value();
}

bool allUsersAreFloatLinear(Value v) {
  return !v.use_empty() && llvm::all_of(v.getUsers(), [&](Operation *user) {
    return isFloatLinearReading(user, v);
  });
}

int64_t lastAxis(RotateOp op) {
  return cast<RankedTensorType>(op.getType()).getRank() - 1;
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

struct FuseRotationsPass
    : mlir::qc::impl::FuseRotationsBase<FuseRotationsPass> {
  void runOnOperation() override {
    foldNormWeights();
    bool changed = true;
    while (changed) {
      changed = false;
      SmallVector<RotateOp> rotations;
      getOperation()->walk([&](RotateOp op) { rotations.push_back(op); });
      for (RotateOp op : rotations)
        if (succeeded(cancel(op)) || succeeded(intoReaders(op)) ||
            succeeded(intoWriter(op)) || succeeded(throughNorm(op)) ||
            succeeded(throughAdd(op))) {
          changed = true;
          break;
        }
    }
    getOperation()->walk([&](RotateOp op) { explain(op); });
  }

  /// rms_norm(x, g) read only by float Linear layers: g goes into their
  /// weights' columns.
  void foldNormWeights() {
    SmallVector<RMSNormOp> norms;
    getOperation()->walk([&](RMSNormOp op) { norms.push_back(op); });
    for (RMSNormOp norm : norms) {
      std::optional<std::vector<double>> g = readFloatConstant(norm.getWeight());
      if (!g || !allUsersAreFloatLinear(norm.getResult()))
        continue;
      OpBuilder b(norm);
      for (Operation *user : llvm::to_vector(norm.getResult().getUsers())) {
        auto matmul = cast<MatmulOp>(user);
        auto wType = cast<RankedTensorType>(matmul.getRhs().getType());
        std::vector<double> w = *readFloatConstant(matmul.getRhs());
        int64_t n = wType.getDimSize(0), k = wType.getDimSize(1);
        for (int64_t r = 0; r < n; ++r)
          for (int64_t c = 0; c < k; ++c)
            w[size_t(r * k + c)] *= (*g)[size_t(c)];
        b.setInsertionPoint(matmul);
        matmul.getRhsMutable().assign(
            createF32Constant(b, matmul.getLoc(), wType.getShape(), w));
      }
      b.setInsertionPoint(norm);
      auto plain = RMSNormOp::create(b, norm.getLoc(), norm.getInput(),
                                     Value(), norm.getEpsilonAttr());
      norm.replaceAllUsesWith(plain.getResult());
      norm.erase();
    }
  }

  /// x R then x R^-1.
  LogicalResult cancel(RotateOp op) {
    auto inner = op.getInput().getDefiningOp<RotateOp>();
    if (!inner || inner.getRotation() != op.getRotation() ||
        inner.getAxis() != op.getAxis() ||
        (inner.getTranspose() == op.getTranspose() &&
         !op.getRotation().isSymmetric()))
      return failure();
    op.replaceAllUsesWith(inner.getInput());
    op.erase();
    if (inner->use_empty())
      inner.erase();
    return success();
  }

  /// (x R) W^T = x (W R^T)^T for every reader.
  LogicalResult intoReaders(RotateOp op) {
    if (op.getAxis() != lastAxis(op) || lastAxis(op) != 1 ||
        !allUsersAreFloatLinear(op.getResult()))
      return failure();
    for (Operation *user : llvm::to_vector(op.getResult().getUsers())) {
      auto matmul = cast<MatmulOp>(user);
      auto wType = cast<RankedTensorType>(matmul.getRhs().getType());
      std::vector<double> w = *readFloatConstant(matmul.getRhs());
      op.getRotation().applyToRows(w.data(), wType.getDimSize(0),
                                   /*transpose=*/!op.getTranspose());
      OpBuilder b(matmul);
      matmul.getRhsMutable().assign(
          createF32Constant(b, matmul.getLoc(), wType.getShape(), w));
      matmul.getLhsMutable().assign(op.getInput());
    }
    op.erase();
    return success();
  }

  /// (h W^T + b) R = h (R^T W)^T + b R for the writer of x.
  LogicalResult intoWriter(RotateOp op) {
    auto matmul = op.getInput().getDefiningOp<MatmulOp>();
    if (!matmul || op.getAxis() != lastAxis(op) || !matmul->hasOneUse())
      return failure();
    std::optional<std::vector<double>> w = readFloatConstant(matmul.getRhs());
    std::optional<std::vector<double>> bias;
    if (matmul.getBias()) {
      bias = readFloatConstant(matmul.getBias());
      if (!bias)
        return failure();
    }
    if (!w)
      return failure();
    auto wType = cast<RankedTensorType>(matmul.getRhs().getType());
    int64_t n = wType.getDimSize(0), k = wType.getDimSize(1);
    // R^T W: every column c of W becomes c^T R.
    std::vector<double> cols = transposed(*w, n, k);
    op.getRotation().applyToRows(cols.data(), k, op.getTranspose());
    std::vector<double> rotated = transposed(cols, k, n);
    OpBuilder b(matmul);
    Value newBias;
    if (bias) {
      op.getRotation().applyToRows(bias->data(), 1, op.getTranspose());
      newBias = createF32Constant(b, matmul.getLoc(), {n}, *bias);
    }
    auto fused = MatmulOp::create(
        b, matmul.getLoc(), matmul.getType(), matmul.getLhs(),
        createF32Constant(b, matmul.getLoc(), wType.getShape(), rotated), newBias);
    op.replaceAllUsesWith(fused.getResult());
    op.erase();
    matmul.erase();
    return success();
  }

  /// rms_norm(x) R = rms_norm(x R): the rotation moves to the norm's input.
  LogicalResult throughNorm(RotateOp op) {
    auto norm = op.getInput().getDefiningOp<RMSNormOp>();
    if (!norm || norm.getWeight() || op.getAxis() != lastAxis(op) ||
        !norm->hasOneUse())
      return failure();
    OpBuilder b(norm);
    auto moved = RotateOp::create(b, op.getLoc(), norm.getInput(),
                                  op.getRotation(), op.getAxisAttr(),
                                  op.getTransposeAttr());
    auto newNorm = RMSNormOp::create(b, norm.getLoc(), moved.getResult(),
                                     Value(), norm.getEpsilonAttr());
    op.replaceAllUsesWith(newNorm.getResult());
    op.erase();
    norm.erase();
    return success();
  }

  /// Whether `op`'s rotation applied to `v` would be absorbed at once: `v` is
  /// the single-use result of a float Linear layer with constant weight (and
  /// bias), or of the inverse rotation.
  static bool absorbedAt(Value v, RotateOp op) {
    if (!v.hasOneUse())
      return false;
    if (auto matmul = v.getDefiningOp<MatmulOp>())
      return readFloatConstant(matmul.getRhs()).has_value() &&
             (!matmul.getBias() ||
              readFloatConstant(matmul.getBias()).has_value());
    auto inner = v.getDefiningOp<RotateOp>();
    return inner && inner.getRotation() == op.getRotation() &&
           inner.getAxis() == op.getAxis() &&
           (inner.getTranspose() != op.getTranspose() ||
            op.getRotation().isSymmetric());
  }

  /// (a + b) R = a R + b R, when both rotations are then absorbed (a
  /// residual add of two Linear layers' outputs, say); otherwise the one
  /// online rotation would become two.
  LogicalResult throughAdd(RotateOp op) {
    auto add = op.getInput().getDefiningOp<arith::AddFOp>();
    if (!add || !add->hasOneUse() || op.getAxis() != lastAxis(op) ||
        add.getLhs() == add.getRhs() || !absorbedAt(add.getLhs(), op) ||
        !absorbedAt(add.getRhs(), op))
      return failure();
    OpBuilder b(add);
    auto rotated = [&](Value v) {
      return RotateOp::create(b, op.getLoc(), v, op.getRotation(),
                              op.getAxisAttr(), op.getTransposeAttr())
          .getResult();
    };
    Value lhs = rotated(add.getLhs()), rhs = rotated(add.getRhs());
    auto sum = arith::AddFOp::create(b, add.getLoc(), lhs, rhs);
    op.replaceAllUsesWith(sum.getResult());
    op.erase();
    add.erase();
    return success();
  }

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
    else if (auto matmul = dyn_cast<MatmulOp>(producer))
      diag << (isa<QuantizedTensorType>(matmul.getRhs().getType())
                   ? "its operand comes from a Linear layer with a quantized "
                     "weight (rotating quantized values is not rotating the "
                     "values)"
                   : "its operand comes from a Linear layer whose weight "
                     "or bias is not a constant, or that has other users");
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
    else
      diag << "its operand comes from '" << producer->getName()
           << "', which rotations do not commute with (no nonlinearity)";
    Operation *reader = nullptr;
    for (Operation *user : op.getResult().getUsers())
      if (!isFloatLinearReading(user, op.getResult()))
        reader = user;
    if (reader)
      diag << "; and it is read by '" << reader->getName()
           << "', not only by float Linear layers";
  }
};

} // namespace
