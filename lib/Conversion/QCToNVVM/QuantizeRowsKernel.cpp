//===- QuantizeRowsKernel.cpp - int8 activations per row, at run time -----===//
//
// The GPU half of W8A8: qc.quantize of the activations to s8 codes with one
// f32 scale per row (absmax), so the float activations never make a round
// trip through the host. Warp w of block b owns row 4 b + w:
//
//   amax = max over k of |x[k]|     (lane l reads 4 elements at 4 l + 128 j,
//                                    |x| as maxnum(x, -x), which LLVM
//                                    makes abs.f32,
//                                    one 16- or 8-byte load; maxnum, then a
//                                    butterfly of 5 shfl.bfly)
//   s    = amax / 127               (div.rn.f32, as the reference divides)
//   q[k] = s == 0 ? 0 : sat(roundeven(x[k] / s)), NaN -> 0
//                                   (cvt.rni.s32.f32, then a clamp; the
//                                    row is read again from L1/L2; 4 codes
//                                    a lane, one 32-bit store)
//
// Every step is the reference lowering's (QCToLinalg: maxnumf of |x|, an f32
// division by maxPositive = 127, x / s, round half to even, saturate), so
// the codes and scales are bit for bit the host's and the W8A8 product stays
// exact.
//
//===----------------------------------------------------------------------===//

#include "QuantizeRowsKernel.h"

#include "KernelOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::nvvm;

QuantizeRowsSpec mlir::qc::nvvm::makeQuantizeRowsSpec(int64_t k, bool f16) {
  QuantizeRowsSpec spec;
  spec.k = k;
  spec.f16 = f16;
  spec.name = llvm::formatv("qc_nvvm_quantize_rows_s8_k{0}_{1}", k,
                            f16 ? "f16" : "f32")
                  .str();
  return spec;
}

/// maxnum(x, y) (the larger, NaN ignored: the reference's arith.maxnumf)
/// as llvm.intr.maxnum, which is max.f32: convert-gpu-to-nvvm would make
/// a scalar arith.maxnumf a call to libdevice's __nv_fmaxf.
static Value maxnum(KernelBuilder &b, Value x, Value y) {
  return LLVM::MaxNumOp::create(b, x, y);
}

gpu::GPUFuncOp mlir::qc::nvvm::buildQuantizeRowsKernel(
    OpBuilder &builder, Location loc, Block &moduleBody,
    const QuantizeRowsSpec &spec) {
  using S = QuantizeRowsSpec;
  Type t = spec.f16 ? Type(builder.getF16Type()) : builder.getF32Type();
  Type f32 = builder.getF32Type(), i8 = builder.getI8Type();
  int64_t dyn = ShapedType::kDynamic;
  auto xType = MemRefType::get({dyn, spec.k}, t);
  auto qType = MemRefType::get({dyn, spec.k}, i8);
  auto sType = MemRefType::get({dyn}, f32);
  gpu::GPUFuncOp fn = createKernel(builder, loc, moduleBody, spec.name,
                                   {xType, qType, sType}, {}, S::threads);
  Block &entry = fn.getBody().front();
  KernelBuilder b(loc, builder);
  b.setInsertionPointToStart(&entry);
  IndexOps o{b};
  Value x = entry.getArgument(0), q = entry.getArgument(1);
  Value scales = entry.getArgument(2);

  Value tid = gpu::ThreadIdOp::create(b, gpu::Dimension::x);
  Value lane = o.rem(tid, 32);
  Value row = o.add(o.mul(gpu::BlockIdOp::create(b, gpu::Dimension::z),
                          S::rowsPerBlock),
                    o.div(tid, 32));
  auto inRange = scf::IfOp::create(b, o.ult(row, memref::DimOp::create(b, x, 0)));
  b.setInsertionPointToStart(&inRange.getThenRegion().front());

  auto vf = VectorType::get({4}, f32);
  int64_t elementBytes = t.getIntOrFloatBitWidth() / 8;
  // Lane l's four elements at 4 l + 128 j, widened to f32.
  auto load = [&](Value col) -> Value {
    Value v = vector::LoadOp::create(b, VectorType::get({4}, t), x,
                                     ValueRange{row, col}, false,
                                     llvm::Align(4 * elementBytes));
    return spec.f16 ? Value(arith::ExtFOp::create(b, vf, v)) : v;
  };
  Value firstCol = o.mul(lane, 4);
  Value zero = arith::ConstantOp::create(b, b.getF32FloatAttr(0.0f));
  SmallVector<Value> amax = b.loop(
      firstCol, o.c(spec.k), o.c(128), ValueRange{zero},
      [&](Value col, ValueRange carried) -> SmallVector<Value> {
        // |x| as maxnum(x, -x): convert-gpu-to-nvvm turns math.absf into
        // a libdevice call and rejects llvm.fabs.
        Value v = load(col);
        Value a = maxnum(b, v, arith::NegFOp::create(b, v));
        Value m = carried[0];
        for (int64_t i = 0; i < 4; ++i)
          m = maxnum(b, m, vector::ExtractOp::create(b, a, i));
        return {m};
      });
  Value rowMax = amax[0];
  for (int32_t offset = 16; offset >= 1; offset /= 2) {
    Value other = gpu::ShuffleOp::create(b, rowMax, offset, 32,
                                         gpu::ShuffleMode::XOR)
                      .getShuffleResult();
    rowMax = maxnum(b, rowMax, other);
  }
  Value s = arith::DivFOp::create(
      b, rowMax, arith::ConstantOp::create(b, b.getF32FloatAttr(127.0f)));
  {
    auto first = scf::IfOp::create(b, arith::CmpIOp::create(
        b, arith::CmpIPredicate::eq, lane, o.c(0)));
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(&first.getThenRegion().front());
    memref::StoreOp::create(b, s, scales, ValueRange{row});
  }
  Value sIsZero = arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, s, zero);
  Value zeros = b.splat(4, f32, 0.0);
  Value sv = vector::BroadcastOp::create(b, vf, s);
  b.loop(firstCol, o.c(spec.k), o.c(128), [&](Value col) {
    Value v = load(col);
    Value scaled = arith::SelectOp::create(
        b, sIsZero, zeros, arith::DivFOp::create(b, v, sv));
    // cvt.rni.s32.f32 rounds half to even, saturates and turns NaN into
    // 0: encode's integer rounding in one instruction (convert-gpu-to-nvvm
    // would make math.roundeven a libdevice call and rejects
    // llvm.roundeven), then the clamp to s8.
    Type i32 = b.getI32Type();
    SmallVector<Value> lanes;
    for (int64_t i = 0; i < 4; ++i) {
      auto cvt = LLVM::InlineAsmOp::create(
          b, i32, ValueRange{vector::ExtractOp::create(b, scaled, i)},
          "cvt.rni.s32.f32 $0, $1;", "=r,f", /*has_side_effects=*/false,
          /*is_align_stack=*/false, LLVM::tailcallkind::TailCallKind::None,
          LLVM::AsmDialectAttr(), ArrayAttr());
      Value c = arith::MinSIOp::create(
          b,
          arith::MaxSIOp::create(b, cvt.getResult(0),
                                 arith::ConstantIntOp::create(b, i32, -128)),
          arith::ConstantIntOp::create(b, i32, 127));
      lanes.push_back(arith::TruncIOp::create(b, i8, c));
    }
    Value codes = vector::FromElementsOp::create(
        b, VectorType::get({4}, i8), lanes);
    vector::StoreOp::create(b, codes, q, ValueRange{row, col}, false,
                            llvm::Align(4));
  });
  b.setInsertionPointAfter(inRange);
  gpu::ReturnOp::create(b);
  return fn;
}
