//===- KernelBuilder.cpp - building kernels as IR -------------------------===//

#include "qc/Conversion/KernelCommon/KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace mlir::qc;

Value KernelBuilder::index(int64_t v) {
  return arith::ConstantIndexOp::create(*this, v);
}

Value KernelBuilder::f32(double v) {
  return arith::ConstantOp::create(*this, getF32FloatAttr(float(v)));
}

Value KernelBuilder::splat(int64_t lanes, Type elementType, double v) {
  VectorType t = vec(lanes, elementType);
  Attribute lane = isa<FloatType>(elementType)
                       ? Attribute(getFloatAttr(elementType, v))
                       : Attribute(getIntegerAttr(elementType, int64_t(v)));
  return arith::ConstantOp::create(*this, DenseElementsAttr::get(t, lane));
}

Value KernelBuilder::intVector(Type elementType, ArrayRef<int64_t> lanes) {
  VectorType t = vec(lanes.size(), elementType);
  unsigned width = elementType.getIntOrFloatBitWidth();
  SmallVector<APInt> values;
  for (int64_t v : lanes)
    values.push_back(APInt(width, uint64_t(v), /*isSigned=*/true,
                           /*implicitTrunc=*/true));
  return arith::ConstantOp::create(*this, DenseElementsAttr::get(t, values));
}

Value KernelBuilder::f32Vector(ArrayRef<float> lanes) {
  return arith::ConstantOp::create(
      *this, DenseElementsAttr::get(vec(lanes.size(), getF32Type()), lanes));
}

SmallVector<Value> KernelBuilder::loop(
    Value lb, Value ub, Value step, ValueRange init,
    function_ref<SmallVector<Value>(Value iv, ValueRange carried)> body) {
  auto op = scf::ForOp::create(
      *this, lb, ub, step, init,
      [&](OpBuilder &nested, Location, Value iv, ValueRange carried) {
        OpBuilder::InsertionGuard guard(*this);
        setInsertionPoint(nested.getInsertionBlock(),
                          nested.getInsertionPoint());
        SmallVector<Value> yielded = body(iv, carried);
        scf::YieldOp::create(*this, yielded);
      });
  return SmallVector<Value>(op.getResults());
}

void KernelBuilder::loop(Value lb, Value ub, Value step,
                         function_ref<void(Value iv)> body) {
  loop(lb, ub, step, ValueRange{}, [&](Value iv, ValueRange) {
    body(iv);
    return SmallVector<Value>{};
  });
}

void KernelBuilder::parallel(Value lb, Value ub, Value step,
                             function_ref<void(Value iv)> body) {
  scf::ParallelOp::create(
      *this, ValueRange{lb}, ValueRange{ub}, ValueRange{step},
      [&](OpBuilder &nested, Location, ValueRange ivs) {
        OpBuilder::InsertionGuard guard(*this);
        setInsertionPoint(nested.getInsertionBlock(),
                          nested.getInsertionPoint());
        body(ivs[0]);
      });
}

Value KernelBuilder::dim(Value memref, int64_t d) {
  return memref::DimOp::create(*this, memref, d);
}

func::FuncOp mlir::qc::createKernelFunction(
    OpBuilder &builder, Location loc, Block &moduleBody, StringRef name,
    FunctionType type,
    function_ref<void(KernelBuilder &, ValueRange args)> build) {
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToEnd(&moduleBody);
  auto fn = func::FuncOp::create(builder, loc, name, type);
  fn.setPrivate();
  Block *entry = fn.addEntryBlock();
  KernelBuilder b(loc, entry, entry->end());
  build(b, entry->getArguments());
  func::ReturnOp::create(b);
  // Fold and deduplicate the constants the builders made where they were
  // needed (they move to the entry block), so that the kernel reads as one
  // block of constants, then the loops.
  (void)applyPatternsGreedily(fn, FrozenRewritePatternSet());
  return fn;
}

func::FuncOp KernelSignature::build(OpBuilder &builder, Location loc,
                                    Block &moduleBody, StringRef name,
                                    function_ref<void(KernelBuilder &)> body) {
  return createKernelFunction(
      builder, loc, moduleBody, name,
      FunctionType::get(builder.getContext(), types, {}),
      [&](KernelBuilder &b, ValueRange args) {
        for (auto [slot, arg] : llvm::zip(slots, args))
          *slot = arg;
        body(b);
      });
}

