//===- W8A8Kernel.cpp - int8 activations x int8 weights on tensor cores ---===//
//
// y[m, n] = sa[m] * sw[n] * sum_k qa[m, k] * qw[n, k]: int8 codes with f32
// scales per activation row and per weight row, the sum exact in i32
// (|sum| <= 127 * 128 * K < 2^31 for K < 2^17).
//
// Work partition. A block of 4 warps (2 x 2) computes a 64 x 64 output
// tile; warp (wm, wn) the 32 x 32 at (32 wm, 32 wn): 2 m16 x 4 n8 MMA
// tiles. The grid is (N/64, 1, ceil(M/64)).
//
// Pipeline. A k tile is 64 codes: 64 x 64 bytes of activations and of
// weights per stage (rows padded to 80 bytes so that ldmatrix's 8 rows hit
// 8 distinct 16-byte bank groups), two 16-byte cp.async.cg per thread for
// each; three stages, one barrier per k tile (as the W4A16 kernel).
//
// Compute, per warp and k tile (2 k steps of 32): per k step, one
// ldmatrix.x4 per m16 tile gives its A fragment (a0..a3 = rows 0-7 / 8-15 x
// bytes 0-15 / 16-31) and one ldmatrix.x4 per pair of n8 tiles gives both
// B fragments (b0, b1 = bytes 0-15 / 16-31 of the tile's 8 weight rows);
// then 8 mma.sync.m16n8k32.row.col.s32.s8.s8.s32. Epilogue: each i32 sum
// times the two scales in f32, stored once (no atomics).
//
//===----------------------------------------------------------------------===//

#include "W8A8Kernel.h"

#include "KernelOps.h"

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

W8A8KernelSpec mlir::qc::nvvm::makeW8A8Spec(int64_t n, int64_t k) {
  W8A8KernelSpec spec;
  spec.n = n;
  spec.k = k;
  spec.name = llvm::formatv("qc_nvvm_w8a8_n{0}_k{1}", n, k).str();
  return spec;
}

gpu::GPUFuncOp mlir::qc::nvvm::buildW8A8Kernel(OpBuilder &builder,
                                               Location loc,
                                               Block &moduleBody,
                                               const W8A8KernelSpec &spec) {
  using S = W8A8KernelSpec;
  MLIRContext *ctx = builder.getContext();
  Type i8 = builder.getI8Type(), i32 = builder.getI32Type();
  Type f32 = builder.getF32Type();
  int64_t dyn = ShapedType::kDynamic;
  auto qaType = MemRefType::get({dyn, spec.k}, i8);
  auto saType = MemRefType::get({dyn}, f32);
  auto qwType = MemRefType::get({spec.n, spec.k}, i8);
  auto swType = MemRefType::get({spec.n}, f32);
  auto yType = MemRefType::get({dyn, spec.n}, f32);
  Attribute workgroup =
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  const int64_t rowBytes = S::kTile + 16;
  auto tileType = MemRefType::get({S::stages, 64, rowBytes}, i8,
                                  MemRefLayoutAttrInterface(), workgroup);
  gpu::GPUFuncOp fn = createKernel(
      builder, loc, moduleBody, spec.name,
      {qaType, saType, qwType, swType, yType}, {tileType, tileType},
      S::threads);

  Block &entry = fn.getBody().front();
  KernelBuilder b(loc, builder);
  b.setInsertionPointToStart(&entry);
  IndexOps o{b};
  Value qa = entry.getArgument(0), sa = entry.getArgument(1);
  Value qw = entry.getArgument(2), sw = entry.getArgument(3);
  Value y = entry.getArgument(4);
  Value tileA = fn.getWorkgroupAttributions()[0];
  Value tileB = fn.getWorkgroupAttributions()[1];

  Value tid = gpu::ThreadIdOp::create(b, gpu::Dimension::x);
  Value lane = o.rem(tid, 32), warp = o.div(tid, 32);
  Value warpRow = o.mul(o.div(warp, 2), 32), warpCol = o.mul(o.rem(warp, 2), 32);
  Value n0 = o.mul(gpu::BlockIdOp::create(b, gpu::Dimension::x), S::blockCols);
  Value m0 = o.mul(gpu::BlockIdOp::create(b, gpu::Dimension::z), S::blockRows);
  Value rows = memref::DimOp::create(b, qa, 0);
  Value lastRow = o.lastIndex(rows);
  Value numTiles = o.c(spec.kTiles());

  // Thread t copies 16-byte chunks t and t + 128 of each 64 x 64 tile:
  // row chunk/4, bytes (chunk%4)*16.
  auto issue = [&](Value i) {
    Value stage = o.rem(i, S::stages);
    Value valid = o.ult(i, numTiles);
    Value k0 = o.mul(o.min(i, o.c(spec.kTiles() - 1)), S::kTile);
    for (int64_t j = 0; j < 2; ++j) {
      Value chunk = o.add(tid, j * S::threads);
      Value row = o.div(chunk, 4), col = o.mul(o.rem(chunk, 4), 16);
      Value m = o.add(m0, row);
      Value aCount = arith::SelectOp::create(
          b, arith::AndIOp::create(b, valid, o.ult(m, rows)), o.c(16),
          o.c(0));
      nvgpu::DeviceAsyncCopyOp::create(
          b, tileA, ValueRange{stage, row, col}, qa,
          ValueRange{o.min(m, lastRow), o.add(k0, col)}, b.getIndexAttr(16),
          aCount, b.getUnitAttr());
      Value bCount = arith::SelectOp::create(b, valid, o.c(16), o.c(0));
      nvgpu::DeviceAsyncCopyOp::create(
          b, tileB, ValueRange{stage, row, col}, qw,
          ValueRange{o.add(n0, row), o.add(k0, col)}, b.getIndexAttr(16),
          bCount, b.getUnitAttr());
    }
    NVVM::CpAsyncCommitGroupOp::create(b);
  };
  for (int64_t st = 0; st < S::stages - 1; ++st)
    issue(o.c(st));

  auto accType = VectorType::get({2, 2}, i32);
  Value zero = zeros(b, loc, accType);
  Value emptyB = zeros(b, loc, VectorType::get({2, 4}, i8));
  // acc[mt * 4 + nt]: m16 tile mt, n8 tile nt of the warp's 32 x 32.
  SmallVector<Value> init(8, zero);
  SmallVector<Value> acc = b.loop(
      o.c(0), numTiles, o.c(1), init,
      [&](Value i, ValueRange carried) -> SmallVector<Value> {
        NVVM::CpAsyncWaitGroupOp::create(b, uint32_t(S::stages - 2));
        gpu::BarrierOp::create(b);
        issue(o.add(i, S::stages - 1));
        Value stage = o.rem(i, S::stages);
        SmallVector<Value> sums(carried.begin(), carried.end());
        for (int64_t step = 0; step < S::kTile / 32; ++step) {
          Value a[2];
          for (int64_t mt = 0; mt < 2; ++mt)
            a[mt] = nvgpu::LdMatrixOp::create(
                b, VectorType::get({4, 4}, i8), tileA,
                ValueRange{stage,
                           o.add(o.add(warpRow, mt * 16), o.rem(lane, 16)),
                           o.add(o.mul(o.div(lane, 16), 16), step * 32)},
                b.getBoolAttr(false), b.getI32IntegerAttr(4));
          Value bFrag[4];
          for (int64_t pair = 0; pair < 2; ++pair) {
            // Lanes 0-7: tile 2p bytes 0-15, 8-15: tile 2p bytes 16-31,
            // 16-23 / 24-31: the same for tile 2p + 1.
            Value row = o.add(o.add(warpCol, pair * 16),
                              o.add(o.mul(o.div(lane, 16), 8), o.rem(lane, 8)));
            Value col = o.add(o.mul(o.rem(o.div(lane, 8), 2), 16), step * 32);
            Value x4 = nvgpu::LdMatrixOp::create(
                b, VectorType::get({4, 4}, i8), tileB,
                ValueRange{stage, row, col}, b.getBoolAttr(false),
                b.getI32IntegerAttr(4));
            for (int64_t t = 0; t < 2; ++t) {
              Value f = vector::InsertOp::create(
                  b, vector::ExtractOp::create(b, x4, 2 * t), emptyB, 0);
              bFrag[pair * 2 + t] = vector::InsertOp::create(
                  b, vector::ExtractOp::create(b, x4, 2 * t + 1), f, 1);
            }
          }
          for (int64_t mt = 0; mt < 2; ++mt)
            for (int64_t nt = 0; nt < 4; ++nt)
              sums[mt * 4 + nt] = nvgpu::MmaSyncOp::create(
                  b, a[mt], bFrag[nt], sums[mt * 4 + nt],
                  ArrayRef<int64_t>{16, 8, 32});
        }
        return sums;
      });
  NVVM::CpAsyncWaitGroupOp::create(b, uint32_t(0));

  // Epilogue: accumulator (r, c) of tile (mt, nt) is y[row, col] with row =
  // 32 wm + 16 mt + lane/4 + 8 r, col = 32 wn + 8 nt + 2 (lane%4) + c.
  for (int64_t mt = 0; mt < 2; ++mt)
    for (int64_t r = 0; r < 2; ++r) {
      Value row = o.add(o.add(m0, warpRow),
                        o.add(o.div(lane, 4), mt * 16 + r * 8));
      auto inRange = scf::IfOp::create(b, o.ult(row, rows));
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(&inRange.getThenRegion().front());
      Value rowScale = memref::LoadOp::create(b, sa, ValueRange{row});
      for (int64_t nt = 0; nt < 4; ++nt)
        for (int64_t col = 0; col < 2; ++col) {
          Value n = o.add(o.add(n0, warpCol),
                          o.add(o.mul(o.rem(lane, 4), 2), nt * 8 + col));
          Value sum = vector::ExtractOp::create(b, acc[mt * 4 + nt],
                                                ArrayRef<int64_t>{r, col});
          Value v = arith::MulFOp::create(
              b,
              arith::MulFOp::create(b, arith::SIToFPOp::create(b, f32, sum),
                                    rowScale),
              memref::LoadOp::create(b, sw, ValueRange{n}));
          memref::StoreOp::create(b, v, y, ValueRange{row, n});
        }
    }
  gpu::ReturnOp::create(b);
  return fn;
}
