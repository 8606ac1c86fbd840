//===- ExportQuant.cpp - qc into upstream's quant dialect ------------------===//
//
// The subset of qc that upstream's quant dialect expresses: integer grids
// per tensor, per axis or in blocks (sub-channel), scales and zero points
// known as constants, qc.quantize with rounding<toward_zero> (quant.qcast's
// semantics), qc.dequantize, and qc.assemble / qc.disassemble of unpacked
// codes. Everything else that holds a quantized value is an error naming
// why upstream cannot say it.
//
//===----------------------------------------------------------------------===//

#include "qc/Conversion/Passes.h"

#include "QuantInterop.h"

#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Utils/ConstantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace mlir::qc {
#define GEN_PASS_DEF_EXPORTQUANT
#include "qc/Conversion/Passes.h.inc"
} // namespace mlir::qc

#include <cmath>

using namespace mlir;
using namespace mlir::qc;

namespace {

/// The quant element type of `type` with the given scales and zero points
/// (constants of the scales' and zero points' shapes), or failure after an
/// error at `op`.
FailureOr<Type> exportType(Operation *op, QuantizedTensorType type,
                           Value scalesValue, Value zeroPointsValue) {
  auto fail = [&](const Twine &why) -> FailureOr<Type> {
    op->emitError("qc-export-quant: ") << type << " " << why;
    return failure();
  };
  auto grid = dyn_cast<IntGridAttr>(type.getGrid());
  if (!grid)
    return fail("has grid " + Twine("") +
                "that is not an integer grid; !quant.uniform holds only "
                "integer storage");
  if (type.getRotation() || type.getLayout() ||
      type.hasOuterScales())
    return fail("has a rotation, a layout (bit planes, tiles, fragments) or two-level "
                "scales, which !quant.uniform cannot express");
  if (type.hasMins())
    return fail("has mins (x = s * q - m), which !quant.uniform cannot "
                "express");
  auto expressed = dyn_cast<FloatType>(type.getScaleType());
  if (!expressed || !isa<Float32Type, Float16Type, BFloat16Type>(expressed))
    return fail("has scales of a type upstream cannot use as the expressed "
                "type (f32, f16, bf16)");
  DenseElementsAttr scales, zeroPoints;
  if (!scalesValue || !matchPattern(scalesValue, m_Constant(&scales)))
    return fail("has scales that are not constants; a !quant.uniform type "
                "holds its scale values");
  if (zeroPointsValue &&
      (!matchPattern(zeroPointsValue, m_Constant(&zeroPoints)) ||
       !isa<IntegerType>(zeroPoints.getElementType())))
    return fail("has zero points that are not integer constants");
  MLIRContext *ctx = op->getContext();
  unsigned width = grid.getWidth();
  bool isSigned = grid.getIsSigned();
  int64_t lo = isSigned ? -(int64_t(1) << (width - 1)) : 0;
  int64_t hi = isSigned ? (int64_t(1) << (width - 1)) - 1
                        : (int64_t(1) << width) - 1;
  if (grid.getNarrow())
    ++lo;
  unsigned flags = isSigned ? quant::QuantizationFlags::Signed : 0;
  Type storage = IntegerType::get(ctx, width);
  SmallVector<double> s;
  for (APFloat v : scales.getValues<APFloat>())
    s.push_back(v.convertToDouble());
  SmallVector<int64_t> z(s.size(), 0);
  if (zeroPoints) {
    z.clear();
    for (APInt v : zeroPoints.getValues<APInt>())
      z.push_back(v.getSExtValue());
  }
  // What a !quant.uniform type can hold, checked here so that the type
  // written always verifies and parses back: positive finite scales that
  // the expressed type represents, zero points in the storage range.
  const llvm::fltSemantics &sem = expressed.getFloatSemantics();
  for (auto [i, v] : llvm::enumerate(s)) {
    bool lost = false;
    APFloat asExpressed(v);
    asExpressed.convert(sem, APFloat::rmNearestTiesToEven, &lost);
    if (!std::isfinite(v) || v <= 0 || asExpressed.isInfinity() ||
        asExpressed.isZero())
      return fail("has scale " + shownNumber(v) + " (element " + Twine(i) +
                  "); a !quant.uniform scale must be positive and finite in "
                  "the expressed type (an all-zero block quantized by "
                  "absmax has scale 0)");
  }
  for (auto [i, v] : llvm::enumerate(z))
    if (v < lo || v > hi)
      return fail("has zero point " + Twine(v) + " (element " + Twine(i) +
                  ") outside the storage range [" + Twine(lo) + ", " +
                  Twine(hi) + "]; !quant.uniform stores zero points there");
  auto emit = [&] { return op->emitError("qc-export-quant: "); };
  // getChecked gives a null type after its own error.
  auto checked = [&](Type t) -> FailureOr<Type> {
    if (!t)
      return failure();
    return t;
  };
  GranularityAttrInterface gran = type.getGranularity();
  if (isa<PerTensorAttr>(gran))
    return checked(quant::UniformQuantizedType::getChecked(
        emit, flags, storage, expressed, s[0], z[0], lo, hi));
  if (auto axis = dyn_cast<PerAxisAttr>(gran))
    return checked(quant::UniformQuantizedPerAxisType::getChecked(
        emit, flags, storage, expressed, s, z, int32_t(axis.getAxis()), lo,
        hi));
  auto block = cast<PerBlockAttr>(gran);
  SmallVector<int32_t> dims;
  SmallVector<int64_t> sizes;
  for (auto [d, b] : llvm::enumerate(block.getBlockSizes()))
    if (b != type.getShape()[d]) {
      dims.push_back(int32_t(d));
      sizes.push_back(b);
    }
  DenseElementsAttr scalesAttr = interop::floatsAttr(
      RankedTensorType::get(type.getScalesTensorType().getShape(), expressed),
      s);
  auto zpAttr = DenseElementsAttr::get(
      RankedTensorType::get(type.getScalesTensorType().getShape(), storage),
      llvm::map_to_vector(z, [&](int64_t v) {
        return APInt(width, uint64_t(v), /*isSigned=*/true,
                     /*implicitTrunc=*/true);
      }));
  return checked(quant::UniformQuantizedSubChannelType::getChecked(
      emit, flags, storage, expressed, scalesAttr, zpAttr, dims, sizes, lo,
      hi));
}

/// The storage integers qc's round-half-to-even quantization gives, as
/// qc's lowering computes them: v = x / s + z in f32, roundeven, clamped to
/// the storage range, NaN to 0; one linalg.generic over the elements with
/// the scales (and zero points) indexed by the type's scale map.
Value roundedCodes(OpBuilder &b, QuantizeOp q, Type element) {
  Location loc = q.getLoc();
  QuantizedTensorType type = q.getType();
  auto quantType = cast<quant::QuantizedType>(element);
  Type storage = quantType.getStorageType();
  Type f32 = b.getF32Type();
  auto input = cast<RankedTensorType>(q.getInput().getType());
  ArrayRef<int64_t> shape = type.getShape();
  MLIRContext *ctx = b.getContext();
  unsigned rank = shape.size();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  AffineMap scaleMap =
      getScaleIndexMap(type.getGranularity(), shape, ctx);
  SmallVector<Value> inputs = {q.getInput(), q.getScales()};
  SmallVector<AffineMap> maps = {identity, scaleMap};
  if (Value zp = q.getZeroPoints()) {
    inputs.push_back(zp);
    maps.push_back(scaleMap);
  }
  maps.push_back(identity);
  SmallVector<Value> dynamicSizes;
  for (unsigned d = 0; d < rank; ++d)
    if (input.isDynamicDim(d))
      dynamicSizes.push_back(tensor::DimOp::create(b, loc, q.getInput(), d));
  Value init = tensor::EmptyOp::create(b, loc, input.getShape(), storage,
                                       dynamicSizes);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto toF32 = [&](OpBuilder &nb, Location l, Value v) -> Value {
    Type t = v.getType();
    if (t == f32)
      return v;
    if (isa<IntegerType>(t))
      return arith::SIToFPOp::create(nb, l, f32, v);
    if (t.getIntOrFloatBitWidth() < 32)
      return arith::ExtFOp::create(nb, l, f32, v);
    return arith::TruncFOp::create(nb, l, f32, v);
  };
  double lo = double(quantType.getStorageTypeMin());
  double hi = double(quantType.getStorageTypeMax());
  bool isSigned = quantType.isSigned();
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), inputs, init, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value x = toF32(nb, l, args[0]);
        Value s = toF32(nb, l, args[1]);
        Value v = arith::DivFOp::create(nb, l, x, s);
        if (inputs.size() == 3)
          v = arith::AddFOp::create(nb, l, v, toF32(nb, l, args[2]));
        Value r = math::RoundEvenOp::create(nb, l, v);
        auto c = [&](double d) {
          return arith::ConstantOp::create(nb, l, nb.getF32FloatAttr(float(d)));
        };
        r = arith::MaximumFOp::create(nb, l, r, c(lo));
        r = arith::MinimumFOp::create(nb, l, r, c(hi));
        Value isNan =
            arith::CmpFOp::create(nb, l, arith::CmpFPredicate::UNO, v, v);
        r = arith::SelectOp::create(nb, l, isNan, c(0.0), r);
        Value code = isSigned ? Value(arith::FPToSIOp::create(nb, l, storage, r))
                              : Value(arith::FPToUIOp::create(nb, l, storage, r));
        linalg::YieldOp::create(nb, l, code);
      });
  return generic.getResult(0);
}

/// Rewrites the users of `value` (now `replacement`, of the quant tensor
/// type): qc.dequantize -> quant.dcast, qc.disassemble's codes ->
/// quant.scast. Fails (after an error) on any other user.
LogicalResult exportUsers(Value value, Value replacement) {
  for (Operation *user : value.getUsers()) {
    if (isa<DequantizeOp>(user))
      continue;
    if (auto dis = dyn_cast<DisassembleOp>(user)) {
      bool partsUsed = llvm::any_of(dis->getResults().drop_front(),
                                    [](Value r) { return !r.use_empty(); });
      if (!partsUsed)
        continue;
      return dis.emitError("qc-export-quant: the scales of a quantized value "
                           "are read; upstream's quant.scast gives only the "
                           "storage integers");
    }
    return user->emitError("qc-export-quant: '")
           << user->getName()
           << "' uses a quantized value; upstream's quant dialect has "
              "quant.qcast, quant.dcast and quant.scast only";
  }
  for (Operation *user : llvm::make_early_inc_range(value.getUsers())) {
    OpBuilder b(user);
    if (auto deq = dyn_cast<DequantizeOp>(user)) {
      Value d = quant::DequantizeCastOp::create(b, deq.getLoc(),
                                                deq.getType(), replacement);
      deq.replaceAllUsesWith(d);
      deq.erase();
      continue;
    }
    auto dis = cast<DisassembleOp>(user);
    Value codes = dis->getResult(0);
    Value c = quant::StorageCastOp::create(b, dis.getLoc(), codes.getType(),
                                           replacement);
    codes.replaceAllUsesWith(c);
    dis.erase();
  }
  return success();
}

struct ExportQuantPass : mlir::qc::impl::ExportQuantBase<ExportQuantPass> {
  void runOnOperation() override {
    bool failedAny = false;
    SmallVector<Operation *> producers;
    getOperation().walk([&](Operation *op) {
      if (isa<QuantizeOp, AssembleOp>(op)) {
        producers.push_back(op);
        return;
      }
      if (isa<DequantizeOp, DisassembleOp>(op))
        return;
      bool carries = llvm::any_of(op->getOperandTypes(), [](Type t) {
        return isa<QuantizedTensorType>(t);
      }) || llvm::any_of(op->getResultTypes(), [](Type t) {
        return isa<QuantizedTensorType>(t);
      });
      if (auto fn = dyn_cast<FunctionOpInterface>(op))
        carries |= llvm::any_of(fn.getArgumentTypes(), [](Type t) {
          return isa<QuantizedTensorType>(t);
        });
      if (carries && (isa<FunctionOpInterface, CallOpInterface>(op) ||
                      op->hasTrait<OpTrait::ReturnLike>())) {
        // Upstream can pass a !quant.uniform value across a call; what it
        // cannot carry is a qc value's scales, which are run-time values
        // here and constants of the type there.
        op->emitError("qc-export-quant: a !qc.qtensor crosses a function "
                      "boundary at '")
            << op->getName()
            << "': its scales travel with it as run-time values, while a "
               "!quant.uniform type holds constant scales; dequantize "
               "before the boundary or inline the callee";
        failedAny = true;
      } else if (carries) {
        op->emitError("qc-export-quant: '")
            << op->getName()
            << "' holds a !qc.qtensor; upstream's quant dialect has "
               "quant.qcast, quant.dcast and quant.scast only";
        failedAny = true;
      }
    });
    if (failedAny)
      return signalPassFailure();
    for (Operation *op : producers) {
      auto type = cast<QuantizedTensorType>(op->getResult(0).getType());
      OpBuilder b(op);
      FailureOr<Type> element = failure();
      Value input;
      if (auto q = dyn_cast<QuantizeOp>(op)) {
        if (q.roundsNearestEven()) {
          // Upstream's quant.qcast truncates; the rounding is written out
          // and its integers enter through quant.scast.
          element = exportType(op, type, q.getScales(), q.getZeroPoints());
          if (failed(element)) {
            failedAny = true;
            continue;
          }
          Value codes = roundedCodes(b, q, *element);
          auto quantTensor = RankedTensorType::get(type.getShape(), *element);
          Value replacement = quant::StorageCastOp::create(
              b, op->getLoc(), quantTensor, codes);
          if (failed(exportUsers(op->getResult(0), replacement))) {
            replacement.getDefiningOp()->erase();
            failedAny = true;
            continue;
          }
          op->erase();
          continue;
        }
        if (q.getInput().getType().getElementType() != type.getScaleType()) {
          q.emitError("qc-export-quant: the input's element type must be "
                      "the scale type, upstream's expressed type");
          failedAny = true;
          continue;
        }
        element = exportType(op, type, q.getScales(), q.getZeroPoints());
        input = q.getInput();
      } else {
        auto a = cast<AssembleOp>(op);
        if (a.hasPackedCodes()) {
          a.emitError("qc-export-quant: packed codes have no upstream "
                      "equivalent (quant.scast takes one integer per "
                      "element)");
          failedAny = true;
          continue;
        }
        element = exportType(op, type, a.getScales(), a.getZeroPoints());
        input = a.getCodes();
      }
      if (failed(element)) {
        failedAny = true;
        continue;
      }
      auto quantTensor = RankedTensorType::get(type.getShape(), *element);
      Value replacement =
          isa<QuantizeOp>(op)
              ? quant::QuantizeCastOp::create(b, op->getLoc(), quantTensor,
                                              input)
                    .getResult()
              : quant::StorageCastOp::create(b, op->getLoc(), quantTensor,
                                             input)
                    .getResult();
      if (failed(exportUsers(op->getResult(0), replacement))) {
        replacement.getDefiningOp()->erase();
        failedAny = true;
        continue;
      }
      op->erase();
    }
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace
