//===- KernelBuilder.cpp - building CPU kernels as IR ---------------------===//

#include "KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace mlir::qc::cpu;

SmallVector<int64_t> mlir::qc::cpu::phasePermutation(int64_t chunkCodes,
                                                    int phases) {
  SmallVector<int64_t> perm;
  int64_t bytes = chunkCodes / phases;
  for (int j = 0; j < phases; ++j)
    for (int64_t i = 0; i < bytes; ++i)
      perm.push_back(int64_t(phases) * i + j);
  return perm;
}

void mlir::qc::cpu::permuteActivations(KernelBuilder &b, Value src, Value dst,
                                       Value rows, int64_t k,
                                       int64_t chunkCodes, int phases) {
  Type elt = cast<MemRefType>(src.getType()).getElementType();
  VectorType chunk = b.vec(chunkCodes, elt);
  SmallVector<int64_t> perm = phasePermutation(chunkCodes, phases);
  b.loop(b.index(0), rows, b.index(1), [&](Value m) {
    b.loop(0, k, chunkCodes, [&](Value k0) {
      Value v = vector::LoadOp::create(b, chunk, src, ValueRange{m, k0});
      Value pv = vector::ShuffleOp::create(b, v, v, perm);
      vector::StoreOp::create(b, pv, dst, ValueRange{m, k0});
    });
  });
}

void mlir::qc::cpu::blockSums(KernelBuilder &b, Value src, Value sums,
                              Value rows, int64_t k, int64_t group,
                              function_ref<Value(Value m, Value k0)> scaleOf) {
  Type elt = cast<MemRefType>(src.getType()).getElementType();
  bool codes = isa<IntegerType>(elt);
  auto reassoc = arith::FastMathFlags::reassoc;
  b.loop(b.index(0), rows, b.index(1), [&](Value m) {
    b.loop(0, k / group, 1, [&](Value g) {
      Value kg = arith::MulIOp::create(b, g, b.index(group));
      Value sum = b.loop(
          b.index(0), b.index(group), b.index(16), ValueRange{b.f32(0)},
          [&](Value c, ValueRange acc) -> SmallVector<Value> {
            Value k0 = arith::AddIOp::create(b, kg, c);
            Value v = vector::LoadOp::create(b, b.vec(16, elt), src,
                                             ValueRange{m, k0});
            if (!codes)
              return {vector::ReductionOp::create(
                  b, vector::CombiningKind::ADD, v, acc[0], reassoc)};
            // int8 codes: exact in i32.
            Value wide =
                arith::ExtSIOp::create(b, b.vec(16, b.getI32Type()), v);
            Value r =
                vector::ReductionOp::create(b, vector::CombiningKind::ADD, wide);
            Value rf = arith::SIToFPOp::create(b, b.getF32Type(), r);
            if (scaleOf)
              return {math::FmaOp::create(b, rf, scaleOf(m, k0), acc[0])};
            return {arith::AddFOp::create(b, rf, acc[0])};
          })[0];
      memref::StoreOp::create(b, sum, sums, ValueRange{m, g});
    });
  });
}

void mlir::qc::cpu::addInt8MatmulInputs(KernelSignature &signature,
                                         const WeightSpec &weight,
                                         bool actPerRow, int64_t actGroup,
                                         Value &qa, Value &sa, Value &w) {
  MLIRContext *ctx = weight.scaleType.getContext();
  int64_t dyn = ShapedType::kDynamic;
  Type f32 = Float32Type::get(ctx), i8 = IntegerType::get(ctx, 8);
  signature.add(MemRefType::get({dyn, weight.k}, i8), qa);
  signature.add(actPerRow ? MemRefType::get({dyn}, f32)
                          : MemRefType::get({dyn, weight.k / actGroup}, f32),
                sa);
  signature.add(MemRefType::get({weight.bufferBytes()}, i8), w);
}

void mlir::qc::cpu::storeRowTotals(
    KernelBuilder &b, ArrayRef<Value> totals, ArrayRef<Value> rows,
    ArrayRef<Value> cols, Value y, Value sa,
    function_ref<Value(Value yv, Value col)> finish) {
  for (size_t r = 0; r < rows.size(); ++r) {
    Value rowScale;
    if (sa)
      rowScale = vector::BroadcastOp::create(
          b, cast<VectorType>(totals[0].getType()),
          memref::LoadOp::create(b, sa, ValueRange{rows[r]}));
    for (size_t c = 0; c < cols.size(); ++c) {
      Value yv = totals[r * cols.size() + c];
      if (rowScale)
        yv = arith::MulFOp::create(b, yv, rowScale);
      if (finish)
        yv = finish(yv, cols[c]);
      vector::StoreOp::create(b, yv, y, ValueRange{rows[r], cols[c]});
    }
  }
}

void mlir::qc::cpu::quantizeBlockInt8(
    KernelBuilder &b, Value src, Value codes, Value row, Value k0,
    int64_t count, bool narrow, function_ref<void(Value scale)> storeScale) {
  Type f32 = b.getF32Type(), i8 = b.getI8Type();
  VectorType v8 = b.vec(8, f32), c8 = b.vec(8, i8);
  auto at = [&](Value i) {
    return ValueRange{row, arith::AddIOp::create(b, k0, i)};
  };
  Value amax = b.loop(b.index(0), b.index(count), b.index(8),
                      ValueRange{b.splat(8, f32, 0)},
                      [&](Value i, ValueRange acc) -> SmallVector<Value> {
                        Value x = vector::LoadOp::create(b, v8, src, at(i));
                        Value a = math::AbsFOp::create(b, x);
                        return {arith::MaxNumFOp::create(b, acc[0], a)};
                      })[0];
  Value am =
      vector::ReductionOp::create(b, vector::CombiningKind::MAXNUMF, amax);
  Value s = arith::DivFOp::create(b, am, b.f32(127));
  storeScale(s);
  Value sv = vector::BroadcastOp::create(b, v8, s);
  Value sIsZero =
      arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, s, b.f32(0));
  Value lo = b.splat(8, f32, narrow ? -127 : -128);
  Value hi = b.splat(8, f32, 127);
  Value zeroCodes = b.splat(8, i8, 0);
  b.loop(0, count, 8, [&](Value i) {
    Value x = vector::LoadOp::create(b, v8, src, at(i));
    Value v = arith::DivFOp::create(b, x, sv);
    Value q = math::RoundEvenOp::create(b, v);
    q = arith::MinimumFOp::create(b, arith::MaximumFOp::create(b, q, lo), hi);
    Value c = arith::FPToSIOp::create(b, c8, q);
    // (fptosi of NaN is poison; the select drops it.)
    Value isNan = arith::CmpFOp::create(b, arith::CmpFPredicate::UNO, v, v);
    c = arith::SelectOp::create(b, isNan, zeroCodes, c);
    c = arith::SelectOp::create(b, sIsZero, zeroCodes, c);
    vector::StoreOp::create(b, c, codes, at(i));
  });
}

Value WeightAddressing::rowBase(KernelBuilder &b, Value nr) const {
  if (!tiled())
    return arith::MulIOp::create(b, nr, b.index(rowBytes));
  // Tile q = nr / R holds R rows' chunks interleaved: row r of the tile
  // starts r chunks in.
  Value q = arith::DivUIOp::create(b, nr, b.index(tileRows));
  Value r = arith::RemUIOp::create(b, nr, b.index(tileRows));
  Value tileStart = arith::MulIOp::create(b, q, b.index(tileRows * rowBytes));
  Value inTile = arith::MulIOp::create(b, r, b.index(chunkBytes));
  return arith::AddIOp::create(b, tileStart, inTile);
}

Value WeightAddressing::chunkOffset(KernelBuilder &b, Value byteOffset) const {
  return arith::MulIOp::create(b, byteOffset, b.index(tileRows));
}

Value mlir::qc::cpu::extractPhase(KernelBuilder &b, Value bytes, int j,
                                  int fieldBits) {
  auto type = cast<VectorType>(bytes.getType());
  int64_t lanes = type.getNumElements();
  int phases = 8 / fieldBits;
  Type i8 = b.getI8Type();
  Value mask = b.splat(lanes, i8, (1 << fieldBits) - 1);
  if (j == 0)
    return arith::AndIOp::create(b, bytes, mask);
  Value shifted = arith::ShRUIOp::create(
      b, bytes, b.splat(lanes, i8, j * fieldBits % 8));
  // The top field needs no mask: the shift cleared the bits above it.
  if (j == phases - 1)
    return shifted;
  return arith::AndIOp::create(b, shifted, mask);
}

HighBitPlane::Constants HighBitPlane::constants(KernelBuilder &b) const {
  Constants c;
  Type i8 = b.getI8Type();
  for (int j = 0; j < 4; ++j) {
    SmallVector<int64_t> bits;
    for (int i = 0; i < lanes; ++i)
      bits.push_back(int8_t(1 << (4 * (i % 2) + j)));
    c.phaseBit[j] = b.intVector(i8, bits);
  }
  c.four = b.splat(lanes, i8, 4);
  c.zero = b.splat(lanes, i8, 0);
  return c;
}

Value HighBitPlane::rowBase(KernelBuilder &b, Value nr) const {
  Value inPlane = arith::MulIOp::create(b, nr, b.index(k / 8));
  return arith::AddIOp::create(b, b.index(n * k / 4), inPlane);
}

Value HighBitPlane::load(KernelBuilder &b, Value w, Value rowBase,
                         Value k0) const {
  Value q = arith::DivUIOp::create(b, k0, b.index(8));
  Value offset = arith::AddIOp::create(b, rowBase, q);
  Value half = vector::LoadOp::create(b, b.vec(lanes / 2, b.getI8Type()), w,
                                      ValueRange{offset});
  SmallVector<int64_t> spread;
  for (int i = 0; i < lanes; ++i)
    spread.push_back(i / 2);
  return vector::ShuffleOp::create(b, half, half, spread);
}

Value HighBitPlane::merge(KernelBuilder &b, const Constants &c,
                          Value highBytes, int j, Value field,
                          bool invert) const {
  Value bit = arith::AndIOp::create(b, highBytes, c.phaseBit[j]);
  Value set = arith::CmpIOp::create(
      b, invert ? arith::CmpIPredicate::eq : arith::CmpIPredicate::ne, bit,
      c.zero);
  Value four = arith::SelectOp::create(b, set, c.four, c.zero);
  return arith::OrIOp::create(b, field, four);
}

Value mlir::qc::cpu::viewWeightCodes(KernelBuilder &b, const WeightSpec &spec,
                                     Value w) {
  if (!spec.storedBits)
    return w;
  Value offset = arith::ConstantIndexOp::create(
      b, spec.n * spec.k * spec.planeBitOffset / 8);
  auto type = MemRefType::get({spec.numBytes()}, b.getI8Type());
  return memref::ViewOp::create(b, type, w, offset, ValueRange{});
}
