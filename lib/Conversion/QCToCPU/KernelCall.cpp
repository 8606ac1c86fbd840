//===- KernelCall.cpp - calling a kernel on memrefs from tensor code ------===//

#include "KernelCall.h"

#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Utils/ConstantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::qc;

FailureOr<SmallVector<MatmulOp>>
cpu::matmulsWithRowMajorConstants(Operation *root) {
  if (failed(verifyConstantBlobs(root)))
    return failure();
  SmallVector<MatmulOp> matmuls;
  root->walk([&](MatmulOp op) {
    auto constant = op.getRhs().getDefiningOp<ConstantOp>();
    if (constant && constant.hasPackedCodes() &&
        !constant.getType().getLayout())
      matmuls.push_back(op);
  });
  return matmuls;
}

/// Whether `weight` has packed bytes a kernel can read: a qc.constant or a
/// qc.assemble with packed codes.
bool cpu::hasPackedWeight(Value weight) {
  if (auto assemble = weight.getDefiningOp<AssembleOp>())
    return assemble.hasPackedCodes();
  if (auto constant = weight.getDefiningOp<ConstantOp>())
    return constant.hasPackedCodes();
  return false;
}

/// The parts of a weight for which hasPackedWeight holds.
cpu::PackedWeight cpu::getPackedWeight(RewriterBase &b, Value weight) {
  if (auto assemble = weight.getDefiningOp<AssembleOp>())
    return PackedWeight{assemble.getCodes(), assemble.getScales(),
                        assemble.getZeroPoints()};
  auto constant = weight.getDefiningOp<ConstantOp>();
  Location loc = constant.getLoc();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(constant);
  Value bytes = arith::ConstantOp::create(
      b, loc, cast<TypedAttr>(Attribute(constant.getCodes())));
  Value scales = arith::ConstantOp::create(
      b, loc, cast<TypedAttr>(Attribute(constant.getScales())));
  Value zeroPoints;
  if (auto zp = constant.getZeroPointsAttr())
    zeroPoints = arith::ConstantOp::create(b, loc, cast<TypedAttr>(zp));
  return PackedWeight{bytes, scales, zeroPoints};
}

/// `tensor` as the kernel argument of type `memrefType` (a read-only
/// buffer, cast to the argument's dynamic sizes).
Value cpu::kernelArgument(OpBuilder &b, Location loc, Value tensor,
                     Type memrefType) {
  auto t = cast<RankedTensorType>(tensor.getType());
  Value m = bufferization::ToBufferOp::create(
      b, loc, MemRefType::get(t.getShape(), t.getElementType()), tensor,
      b.getUnitAttr());
  if (m.getType() != memrefType)
    m = memref::CastOp::create(b, loc, memrefType, m);
  return m;
}

/// The buffer a kernel wrote, as a tensor of `type`.
Value cpu::kernelResult(OpBuilder &b, Location loc, Value memref,
                   RankedTensorType type) {
  auto mt = cast<MemRefType>(memref.getType());
  Value v = bufferization::ToTensorOp::create(
      b, loc, RankedTensorType::get(mt.getShape(), mt.getElementType()),
      memref, b.getUnitAttr(), b.getUnitAttr());
  if (v.getType() != type)
    v = tensor::CastOp::create(b, loc, type, v);
  return v;
}

Value cpu::addEpilogue(OpBuilder &b, Location loc, Value y, Value bias,
                         Value acc, Value rows) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(y.getType());
  AffineMap id = AffineMap::getMultiDimIdentityMap(2, ctx);
  AffineMap col = AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx);
  SmallVector<Value> inputs = {y};
  SmallVector<AffineMap> maps = {id};
  if (bias) {
    inputs.push_back(bias);
    maps.push_back(col);
  }
  if (acc) {
    if (acc.getType() != type)
      acc = tensor::CastOp::create(b, loc, type, acc);
    inputs.push_back(acc);
    maps.push_back(id);
  }
  maps.push_back(id);
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(),
                                       type.getElementType(),
                                       ValueRange{rows});
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, inputs, ValueRange{init}, maps,
             ArrayRef<utils::IteratorType>{utils::IteratorType::parallel,
                                           utils::IteratorType::parallel},
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value sum = args[0];
               for (Value v : args.drop_front().drop_back())
                 sum = arith::AddFOp::create(nb, nloc, sum, v);
               linalg::YieldOp::create(nb, nloc, sum);
             })
      .getResult(0);
}
