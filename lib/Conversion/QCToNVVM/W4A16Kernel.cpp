//===- W4A16Kernel.cpp - f16 activations x int4 weights on tensor cores ---===//
//
// y[m, n] += sum_k a[m, k] * s[n, k / 128] * q[n, k], a in f16, q signed
// 4-bit codes in #qc.mma_fragments order, s in f16, y in f32: the structure
// of Marlin (Frantar et al., 2024), built as gpu/nvgpu/nvvm IR.
//
// Work partition. A block of 4 warps computes 16 activation rows x 64
// weight rows (warp w: weight rows 16w..16w+15 of the block) over K/splitK
// of the reduction; the grid is (N/64, splitK, ceil(M/16)). splitK is the
// smallest power of two that makes N/64 * splitK >= 512 blocks (4 per SM
// of a 132-SM GPU) while each block keeps >= 4 k tiles; the blocks of one
// output tile add their partial sums into y with f32 atomics (red.add), so
// y is zeroed (or holds the accumulator) before the launch.
//
// Pipeline. A k tile is 64 codes: per stage, 16 x 64 f16 activations
// (2 KiB, padded rows of 72 halves so ldmatrix hits 8 distinct bank
// groups) and 4 x 512 bytes of packed weights (2 KiB), one 16-byte
// cp.async.cg per thread for each. Four stages: tiles i+1..i+3 are in
// flight while tile i is computed. Per k tile: cp.async.wait_group 2, one
// bar.sync (it both publishes tile i and frees tile i-1's stage, which
// the copies issued right after it refill), then the compute. Copies past
// the end of the block's range are issued with a source size of 0 (they
// read nothing and keep the group count uniform).
//
// Compute, per warp and k tile (4 k steps of 16): the activation fragment
// is one ldmatrix.x4 per k step (shared by the warp's two n8 tiles). The
// weight fragment comes from one 32-bit word per k step (8 codes) of the
// thread's 16-byte load, turned into 4 f16x2 registers with no cvt:
//   lo = lop3(q, 0x000f000f, 0x64006400, (a & b) | c) = f16x2(1024 + c)
//   lo - 1032                                      = c - 8 (the code)
//   hi = lop3(q, 0x00f000f0, 0x64006400, ...)       = f16x2(1024 + 16 c)
//   fma(hi, 1/16, -72)                             = c - 8
// on q and q >> 8, then times the row's f16 scale (f16x2 mul), then two
// mma.sync.m16n8k16.row.col.f32.f16.f16.f32. Cost per k tile and warp:
// 4 ldmatrix, 4 x (4 lop3 + 2 sub/fma + 4 mul) f16x2 ops, 8 mma.
//
// Numerics: the only rounding before the f32 accumulation is that of
// s * (c - 8) to f16 (relative 2^-11); f16 x f16 products are exact in f32.
//
//===----------------------------------------------------------------------===//

#include "W4A16Kernel.h"

#include "KernelOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::nvvm;
using cpu::KernelBuilder;

W4A16KernelSpec mlir::qc::nvvm::makeW4A16Spec(int64_t n, int64_t k) {
  W4A16KernelSpec spec;
  spec.n = n;
  spec.k = k;
  int64_t columnBlocks = n / spec.blockCols;
  while (columnBlocks * spec.splitK < 512 &&
         spec.kTiles() % (spec.splitK * 2) == 0 &&
         spec.kTiles() / (spec.splitK * 2) >= spec.stages)
    spec.splitK *= 2;
  spec.name = llvm::formatv("qc_nvvm_w4a16_n{0}_k{1}_g128_split{2}", n, k,
                            spec.splitK)
                  .str();
  return spec;
}

namespace {

/// Ops plus the W4A16 dequantization.
struct Ops : IndexOps {
  Value i32(int64_t v) {
    return arith::ConstantIntOp::create(b, b.getI32Type(), v);
  }
  Value halves(double v) { return b.splat(2, b.getF16Type(), v); }

  /// lop3.b32 d, a, b, c, 0xea: d = (a & b) | c, one instruction whatever
  /// LLVM would make of the and/or pair.
  Value andOr(Value x, uint32_t mask, uint32_t bits) {
    auto asmOp = LLVM::InlineAsmOp::create(
        b, b.getI32Type(), ValueRange{x, i32(mask), i32(bits)},
        "lop3.b32 $0, $1, $2, $3, 0xea;", "=r,r,n,n",
        /*has_side_effects=*/false, /*is_align_stack=*/false,
        LLVM::tailcallkind::TailCallKind::None, LLVM::AsmDialectAttr(),
        ArrayAttr());
    return LLVM::BitcastOp::create(b, VectorType::get({2}, b.getF16Type()),
                                   asmOp.getResult(0));
  }
  /// Codes 0 and 4 of `q` (bits 0-3 and 16-19) as f16x2 values code - 8.
  Value lowCodes(Value q) {
    return arith::SubFOp::create(b, andOr(q, 0x000f000f, 0x64006400),
                                 halves(1032.0));
  }
  /// Codes 1 and 5 of `q` (bits 4-7 and 20-23) as f16x2 values code - 8.
  Value highCodes(Value q) {
    // llvm.intr.fma, not math.fma: convert-gpu-to-nvvm would call
    // libdevice's __nv_fmaf on f16 promoted to f32 (two cvt each way).
    return LLVM::FMAOp::create(b, andOr(q, 0x00f000f0, 0x64006400),
                               halves(1.0 / 16.0), halves(-72.0));
  }
};

} // namespace

gpu::GPUFuncOp mlir::qc::nvvm::buildW4A16Kernel(OpBuilder &builder,
                                                Location loc,
                                                Block &moduleBody,
                                                const W4A16KernelSpec &spec) {
  using S = W4A16KernelSpec;
  MLIRContext *ctx = builder.getContext();
  Type f16 = builder.getF16Type(), f32 = builder.getF32Type();
  Type i32 = builder.getI32Type();
  int64_t dyn = ShapedType::kDynamic;
  auto aType = MemRefType::get({dyn, spec.k}, f16);
  auto wType = MemRefType::get({spec.n * spec.k / 8}, i32);
  auto sType = MemRefType::get({spec.n, spec.numGroups()}, f16);
  auto yType = MemRefType::get({dyn, spec.n}, f32);
  Attribute workgroup =
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  const int64_t rowHalves = S::kTile + 8;
  auto saType = MemRefType::get({S::stages, S::blockRows, rowHalves}, f16,
                                MemRefLayoutAttrInterface(), workgroup);
  auto sbType = MemRefType::get({S::stages, S::threads, 4}, i32,
                                MemRefLayoutAttrInterface(), workgroup);
  gpu::GPUFuncOp fn =
      createKernel(builder, loc, moduleBody, spec.name,
                   {aType, wType, sType, yType}, {saType, sbType}, S::threads);

  Block &entry = fn.getBody().front();
  KernelBuilder b(loc, builder);
  b.setInsertionPointToStart(&entry);
  Ops o{{b}};
  Value a = entry.getArgument(0), w = entry.getArgument(1);
  Value scales = entry.getArgument(2), y = entry.getArgument(3);
  Value sa = fn.getWorkgroupAttributions()[0];
  Value sb = fn.getWorkgroupAttributions()[1];

  Value tid = gpu::ThreadIdOp::create(b, gpu::Dimension::x);
  Value lane = o.rem(tid, 32), warp = o.div(tid, 32);
  Value columnBlock = gpu::BlockIdOp::create(b, gpu::Dimension::x);
  Value kSplit = gpu::BlockIdOp::create(b, gpu::Dimension::y);
  Value rowBlock = gpu::BlockIdOp::create(b, gpu::Dimension::z);
  Value rows = memref::DimOp::create(b, a, 0);
  Value m0 = o.mul(rowBlock, S::blockRows);
  // This warp's 16-row weight tile and the block's first k tile.
  Value tile = o.add(o.mul(columnBlock, S::blockCols / 16), warp);
  Value kt0 = o.mul(kSplit, spec.kTilesPerBlock());

  // Thread t copies 8 halves of activation row t/8 (at (t%8)*8) and its own
  // lane's 16 bytes of its warp's weight tile.
  Value aRow = o.add(m0, o.div(tid, 8));
  Value aRowValid = o.ult(aRow, rows);
  Value aRowClamped = o.min(aRow, o.lastIndex(rows));
  Value aCol = o.mul(o.rem(tid, 8), 8);
  Value tilesPerBlock = o.c(spec.kTilesPerBlock());
  auto issue = [&](Value i) {
    Value stage = o.rem(i, S::stages);
    Value valid = o.ult(i, tilesPerBlock);
    Value kt = o.add(kt0, o.min(i, o.c(spec.kTilesPerBlock() - 1)));
    Value aCount = arith::SelectOp::create(
        b, arith::AndIOp::create(b, valid, aRowValid), o.c(8), o.c(0));
    nvgpu::DeviceAsyncCopyOp::create(
        b, sa, ValueRange{stage, o.div(tid, 8), aCol}, a,
        ValueRange{aRowClamped, o.add(o.mul(kt, S::kTile), aCol)},
        b.getIndexAttr(8), aCount, b.getUnitAttr());
    Value word = o.add(o.mul(o.add(o.mul(tile, spec.kTiles()), kt), 128),
                       o.mul(lane, 4));
    Value wCount = arith::SelectOp::create(b, valid, o.c(4), o.c(0));
    nvgpu::DeviceAsyncCopyOp::create(b, sb, ValueRange{stage, tid, o.c(0)},
                                     w, ValueRange{word}, b.getIndexAttr(4),
                                     wCount, b.getUnitAttr());
    NVVM::CpAsyncCommitGroupOp::create(b);
  };
  for (int64_t st = 0; st < S::stages - 1; ++st)
    issue(o.c(st));

  auto accType = VectorType::get({2, 2}, f32);
  Value zero = zeros(b, loc, accType);
  Value emptyFrag = zeros(b, loc, VectorType::get({2, 2}, f16));
  SmallVector<Value> acc = b.loop(
      o.c(0), tilesPerBlock, o.c(1), ValueRange{zero, zero},
      [&](Value i, ValueRange carried) -> SmallVector<Value> {
        NVVM::CpAsyncWaitGroupOp::create(b, uint32_t(S::stages - 2));
        gpu::BarrierOp::create(b);
        issue(o.add(i, S::stages - 1));
        Value stage = o.rem(i, S::stages);
        // The scale of this lane's weight rows (tile rows lane/4 and
        // 8 + lane/4) in this k tile's group.
        Value group = o.div(o.mul(o.add(kt0, i), S::kTile), S::group);
        Value scale[2];
        for (int j = 0; j < 2; ++j) {
          Value row = o.add(o.add(o.mul(tile, 16), j * 8), o.div(lane, 4));
          Value s = memref::LoadOp::create(b, scales, ValueRange{row, group});
          scale[j] = vector::BroadcastOp::create(
              b, VectorType::get({2}, f16), s);
        }
        Value words = vector::LoadOp::create(
            b, VectorType::get({4}, i32), sb, ValueRange{stage, tid, o.c(0)});
        Value acc0 = carried[0], acc1 = carried[1];
        Value aRowInTile = o.rem(lane, 16), aHalf = o.mul(o.div(lane, 16), 8);
        for (int64_t step = 0; step < 4; ++step) {
          Value aFrag = nvgpu::LdMatrixOp::create(
              b, VectorType::get({4, 2}, f16), sa,
              ValueRange{stage, aRowInTile, o.add(aHalf, step * 16)},
              b.getBoolAttr(false), b.getI32IntegerAttr(4));
          Value q = vector::ExtractOp::create(b, words, step);
          Value q8 = arith::ShRUIOp::create(b, q, o.i32(8));
          auto fragment = [&](Value reg0, Value reg1) -> Value {
            Value f = vector::InsertOp::create(b, reg0, emptyFrag, 0);
            return vector::InsertOp::create(b, reg1, f, 1);
          };
          Value b0 = fragment(arith::MulFOp::create(b, o.lowCodes(q), scale[0]),
                              arith::MulFOp::create(b, o.lowCodes(q8), scale[0]));
          Value b1 = fragment(arith::MulFOp::create(b, o.highCodes(q), scale[1]),
                              arith::MulFOp::create(b, o.highCodes(q8), scale[1]));
          acc0 = nvgpu::MmaSyncOp::create(b, aFrag, b0, acc0,
                                          ArrayRef<int64_t>{16, 8, 16});
          acc1 = nvgpu::MmaSyncOp::create(b, aFrag, b1, acc1,
                                          ArrayRef<int64_t>{16, 8, 16});
        }
        return {acc0, acc1};
      });
  // No copy may be in flight when the block exits.
  NVVM::CpAsyncWaitGroupOp::create(b, uint32_t(0));

  // Epilogue: accumulator (j, r, c) of this lane is y[m0 + lane/4 + 8r,
  // 16 tile + 8j + 2 (lane%4) + c].
  for (int j = 0; j < 2; ++j)
    for (int r = 0; r < 2; ++r) {
      Value row = o.add(o.add(m0, o.div(lane, 4)), 8 * r);
      auto inRange = scf::IfOp::create(b, o.ult(row, rows));
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(&inRange.getThenRegion().front());
      for (int col = 0; col < 2; ++col) {
        Value n = o.add(o.add(o.mul(tile, 16), j * 8 + col),
                        o.mul(o.rem(lane, 4), 2));
        Value v = vector::ExtractOp::create(b, acc[j], ArrayRef<int64_t>{r, col});
        memref::AtomicRMWOp::create(b, f32, arith::AtomicRMWKind::addf, v, y,
                                    ValueRange{row, n});
      }
    }
  gpu::ReturnOp::create(b);
  return fn;
}
