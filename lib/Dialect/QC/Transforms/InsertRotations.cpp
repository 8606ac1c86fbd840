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

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace mlir::qc {
#define GEN_PASS_DEF_INSERTROTATIONS
#include "qc/Dialect/QC/Transforms/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;

namespace {

struct InsertRotationsPass
    : mlir::qc::impl::InsertRotationsBase<InsertRotationsPass> {
  using InsertRotationsBase::InsertRotationsBase;

  void runOnOperation() override {
    SmallVector<MatmulOp> matmuls;
    getOperation()->walk([&](MatmulOp op) { matmuls.push_back(op); });
    for (MatmulOp op : matmuls)
      rotate(op);
  }

  void rotate(MatmulOp op) {
    // The weight: quantize of a float constant.
    // The activations: quantize of a float tensor, or (weights-only) float.
    auto aQuant = op.getLhs().getDefiningOp<QuantizeOp>();
    Value x = aQuant ? aQuant.getInput() : op.getLhs();
    if (!aQuant && (!weightsOnly || isa<QuantizedTensorType>(x.getType())))
      return;
    auto wQuant = op.getRhs().getDefiningOp<QuantizeOp>();
    std::optional<std::vector<double>> w;
    if (wQuant)
      w = readFloatConstant(wQuant.getInput());
    if (!w) {
      op.emitRemark("no rotation inserted: the weight is not qc.quantize of "
                    "a float constant");
      return;
    }
    if (wQuant.getScales() || (aQuant && aQuant.getScales())) {
      op.emitRemark("no rotation inserted: a quantizer has given scales, "
                    "which were chosen for the unrotated values");
      return;
    }
    auto wType = cast<RankedTensorType>(wQuant.getInput().getType());
    int64_t n = wType.getDimSize(0), k = wType.getDimSize(1);
    HadamardAttr q = HadamardAttr::getForSize(&getContext(), k, seed);
    if (!q) {
      op.emitRemark("no rotation inserted: no Hadamard construction has size "
                    "K = ")
          << k;
      return;
    }
    OpBuilder b(op);
    Location loc = op.getLoc();
    // W Q, then its quantization (the type and method of the original).
    q.applyToRows(w->data(), n, /*transpose=*/false);
    Value wq = createF32Constant(b, loc, wType.getShape(), *w);
    auto newWQuant = QuantizeOp::create(
        b, wQuant.getLoc(), wQuant.getType(), wq, wQuant.getScales(),
        wQuant.getZeroPoints(), wQuant.getOuterScales(),
        wQuant.getMethodAttr());
    // x Q, then the activations' quantization if they had one.
    Value xq = RotateOp::create(b, loc, x, q, b.getI64IntegerAttr(1),
                                UnitAttr());
    Value lhs = xq;
    if (aQuant)
      lhs = QuantizeOp::create(b, aQuant.getLoc(), aQuant.getType(), xq,
                               aQuant.getScales(), aQuant.getZeroPoints(),
                               aQuant.getOuterScales(),
                               aQuant.getMethodAttr());
    op.getLhsMutable().assign(lhs);
    op.getRhsMutable().assign(newWQuant.getResult());
    if (aQuant && aQuant->use_empty())
      aQuant.erase();
    if (wQuant->use_empty()) {
      Operation *oldWeight = wQuant.getInput().getDefiningOp();
      wQuant.erase();
      if (oldWeight && oldWeight->use_empty())
        oldWeight->erase();
    }
  }
};

} // namespace
