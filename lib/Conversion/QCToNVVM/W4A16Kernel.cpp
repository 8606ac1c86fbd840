//===- W4A16Kernel.cpp - f16/bf16 activations x int4 weights on tensor cores -===//
//
// y[m, n] += sum_k a[m, k] * s[n, k / 128] * (q[n, k] - o[n, k / 128]), a
// in f16 or bf16 (type T), q 4-bit codes as stored in #qc_nvvm.mma_fragments
// order (signed grids offset-binary, code + 8), s in T, o the code offset
// (8 for signed codes, 0 for unsigned, plus the zero point when the weight
// has them), y in f32: the structure of Marlin (Frantar et al., 2024),
// built as gpu/nvgpu/nvvm IR.
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
// thread's 16-byte load, turned into 4 T x2 registers with no cvt. f16:
//   lo = lop3(q, 0x000f000f, 0x64006400, (a & b) | c) = f16x2(1024 + c)
//   lo - (1024 + o)                                = c - o
//   hi = lop3(q, 0x00f000f0, 0x64006400, ...)       = f16x2(1024 + 16 c)
//   fma(hi, 1/16, -(64 + o))                       = c - o
// bf16 (7 fraction bits, so the high nibbles are shifted down first):
//   lo = lop3(q, 0x000f000f, 0x43004300, ...)       = bf16x2(128 + c)
//   hi = lop3(q >> 4, 0x000f000f, 0x43004300, ...)  = bf16x2(128 + c)
//   lo - (128 + o), hi - (128 + o)                 = c - o
// on q and q >> 8, then times the row's scale (T x2 mul), then two
// mma.sync.m16n8k16.row.col.f32.T.T.f32. Cost per k tile and warp:
// 4 ldmatrix, 4 x (4 lop3 + 2 sub/fma + 4 mul) T x2 ops (+ 2 shifts for
// bf16), 8 mma. With zero points, o is read per row and group next to the
// scale and 128 + o / 1024 + o / -(64 + o) computed once per k tile.
//
// Numerics: c - o is exact (integers below 2^8); the only rounding before
// the f32 accumulation is that of s * (c - o) to T (relative 2^-11 for f16,
// 2^-8 for bf16); T x T products are exact in f32.
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

W4A16KernelSpec mlir::qc::nvvm::makeW4A16Spec(int64_t n, int64_t k, bool bf16,
                                              bool zeroPoints,
                                              bool signedCodes) {
  W4A16KernelSpec spec;
  spec.n = n;
  spec.k = k;
  spec.bf16 = bf16;
  spec.zeroPoints = zeroPoints;
  spec.codeOffset = signedCodes ? 8 : 0;
  int64_t columnBlocks = n / spec.blockCols;
  while (columnBlocks * spec.splitK < 512 &&
         spec.kTiles() % (spec.splitK * 2) == 0 &&
         spec.kTiles() / (spec.splitK * 2) >= spec.stages)
    spec.splitK *= 2;
  spec.name = llvm::formatv("qc_nvvm_w4a16_n{0}_k{1}_g128_split{2}{3}{4}", n,
                            k, spec.splitK, bf16 ? "_bf16" : "",
                            zeroPoints ? "_zp" : (signedCodes ? "" : "_u4"))
                  .str();
  return spec;
}

namespace {

/// Ops plus the W4A16 dequantization, for activations of type `t` (f16 or
/// bf16).
struct Ops : IndexOps {
  Type t;
  bool bf16() const { return t.isBF16(); }
  Value i32(int64_t v) {
    return arith::ConstantIntOp::create(b, b.getI32Type(), v);
  }
  Value pair(double v) { return b.splat(2, t, v); }
  Value scalar(double v) {
    return arith::ConstantOp::create(b, b.getFloatAttr(t, v));
  }

  /// lop3.b32 d, a, b, c, 0xea: d = (a & b) | c, one instruction whatever
  /// LLVM would make of the and/or pair; the result as two values of t.
  Value andOr(Value x, uint32_t mask, uint32_t bits) {
    auto asmOp = LLVM::InlineAsmOp::create(
        b, b.getI32Type(), ValueRange{x, i32(mask), i32(bits)},
        "lop3.b32 $0, $1, $2, $3, 0xea;", "=r,r,n,n",
        /*has_side_effects=*/false, /*is_align_stack=*/false,
        LLVM::tailcallkind::TailCallKind::None, LLVM::AsmDialectAttr(),
        ArrayAttr());
    return LLVM::BitcastOp::create(b, VectorType::get({2}, t),
                                   asmOp.getResult(0));
  }

  /// What decoding subtracts (or adds) for a code offset `o`, as a pair of
  /// t: f16 low nibbles are 1024 + c (subtract 1024 + o), f16 high nibbles
  /// 1024 + 16 c (times 1/16, add -(64 + o)); bf16 nibbles, low or
  /// shifted down, are 128 + c (subtract 128 + o).
  struct Offsets {
    Value low, high;
  };
  Offsets offsets(double o) {
    if (bf16())
      return {pair(128 + o), pair(128 + o)};
    return {pair(1024 + o), pair(-(64 + o))};
  }
  /// The same for an offset `o` of type t read at run time (exact: o is an
  /// integer in [0, 15], which qc.nvvm's classification checks).
  Offsets offsets(Value o) {
    auto splat = [&](Value v) -> Value {
      return vector::BroadcastOp::create(b, VectorType::get({2}, t), v);
    };
    if (bf16()) {
      Value sub = splat(arith::AddFOp::create(b, o, scalar(128)));
      return {sub, sub};
    }
    return {splat(arith::AddFOp::create(b, o, scalar(1024))),
            splat(arith::SubFOp::create(b, scalar(-64), o))};
  }

  /// Codes 0 and 4 of `q` (bits 0-3 and 16-19) as a pair c - o.
  Value lowCodes(Value q, const Offsets &o) {
    uint32_t magic = bf16() ? 0x43004300 : 0x64006400;
    return arith::SubFOp::create(b, andOr(q, 0x000f000f, magic), o.low);
  }
  /// Codes 1 and 5 of `q` (bits 4-7 and 20-23) as a pair c - o.
  Value highCodes(Value q, const Offsets &o) {
    if (bf16()) {
      // bf16 has 7 fraction bits: bits 4-7 would reach the exponent, so
      // they are shifted down first (Marlin does the same).
      Value q4 = arith::ShRUIOp::create(b, q, i32(4));
      return arith::SubFOp::create(b, andOr(q4, 0x000f000f, 0x43004300),
                                   o.high);
    }
    // llvm.intr.fma, not math.fma: convert-gpu-to-nvvm would call
    // libdevice's __nv_fmaf on f16 promoted to f32 (two cvt each way).
    return LLVM::FMAOp::create(b, andOr(q, 0x00f000f0, 0x64006400),
                               pair(1.0 / 16.0), o.high);
  }

  /// acc (2 x 2 f32) += aFrag (4 x 2 t, row) * bFrag (2 x 2 t, col) on
  /// mma.sync.m16n8k16: nvgpu's for f16; for bf16, which nvgpu does not
  /// lower, nvvm.mma.sync on the registers as i32.
  Value mma(Value aFrag, Value bFrag, Value acc) {
    if (!bf16())
      return nvgpu::MmaSyncOp::create(b, aFrag, bFrag, acc,
                                      ArrayRef<int64_t>{16, 8, 16});
    Type i32Type = b.getI32Type(), f32 = b.getF32Type();
    auto regs = [&](Value frag, int64_t count) {
      SmallVector<Value> r;
      for (int64_t i = 0; i < count; ++i)
        r.push_back(LLVM::BitcastOp::create(
            b, i32Type, vector::ExtractOp::create(b, frag, i)));
      return r;
    };
    SmallVector<Value> c;
    for (int64_t r = 0; r < 2; ++r)
      for (int64_t col = 0; col < 2; ++col)
        c.push_back(vector::ExtractOp::create(b, acc, {r, col}));
    auto structType = LLVM::LLVMStructType::getLiteral(
        b.getContext(), {f32, f32, f32, f32});
    Value d = NVVM::MmaOp::create(
        b, structType, regs(aFrag, 4), regs(bFrag, 2), c,
        ArrayRef<int64_t>{16, 8, 16}, std::nullopt, std::nullopt,
        std::array<NVVM::MMATypes, 2>{NVVM::MMATypes::bf16,
                                      NVVM::MMATypes::bf16},
        std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                       NVVM::MMALayout::col});
    SmallVector<Value> out;
    for (int64_t i = 0; i < 4; ++i)
      out.push_back(LLVM::ExtractValueOp::create(b, d, i));
    return vector::FromElementsOp::create(b, cast<VectorType>(acc.getType()),
                                          out);
  }
};

} // namespace

gpu::GPUFuncOp mlir::qc::nvvm::buildW4A16Kernel(OpBuilder &builder,
                                                Location loc,
                                                Block &moduleBody,
                                                const W4A16KernelSpec &spec) {
  using S = W4A16KernelSpec;
  MLIRContext *ctx = builder.getContext();
  Type t = spec.bf16 ? Type(builder.getBF16Type()) : builder.getF16Type();
  Type f32 = builder.getF32Type(), i32 = builder.getI32Type();
  int64_t dyn = ShapedType::kDynamic;
  auto aType = MemRefType::get({dyn, spec.k}, t);
  auto wType = MemRefType::get({spec.n * spec.k / 8}, i32);
  auto sType = MemRefType::get({spec.n, spec.numGroups()}, t);
  auto yType = MemRefType::get({dyn, spec.n}, f32);
  SmallVector<Type> args = {aType, wType, sType};
  if (spec.zeroPoints)
    args.push_back(sType);
  args.push_back(yType);
  Attribute workgroup =
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  const int64_t rowHalves = S::kTile + 8;
  auto saType = MemRefType::get({S::stages, S::blockRows, rowHalves}, t,
                                MemRefLayoutAttrInterface(), workgroup);
  auto sbType = MemRefType::get({S::stages, S::threads, 4}, i32,
                                MemRefLayoutAttrInterface(), workgroup);
  gpu::GPUFuncOp fn =
      createKernel(builder, loc, moduleBody, spec.name,
                   args, {saType, sbType}, S::threads);

  Block &entry = fn.getBody().front();
  KernelBuilder b(loc, builder);
  b.setInsertionPointToStart(&entry);
  Ops o{{b}, t};
  Value a = entry.getArgument(0), w = entry.getArgument(1);
  Value scales = entry.getArgument(2);
  Value offsets = spec.zeroPoints ? entry.getArgument(3) : Value();
  // (The workgroup buffers follow the arguments in the entry block.)
  Value y = entry.getArgument(args.size() - 1);
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
  Value emptyFrag = zeros(b, loc, VectorType::get({2, 2}, t));
  Ops::Offsets fixedOffsets = o.offsets(double(spec.codeOffset));
  SmallVector<Value> acc = b.loop(
      o.c(0), tilesPerBlock, o.c(1), ValueRange{zero, zero},
      [&](Value i, ValueRange carried) -> SmallVector<Value> {
        NVVM::CpAsyncWaitGroupOp::create(b, uint32_t(S::stages - 2));
        gpu::BarrierOp::create(b);
        issue(o.add(i, S::stages - 1));
        Value stage = o.rem(i, S::stages);
        // The scale (and offset) of this lane's weight rows (tile rows
        // lane/4 and 8 + lane/4) in this k tile's group.
        Value group = o.div(o.mul(o.add(kt0, i), S::kTile), S::group);
        Value scale[2];
        Ops::Offsets offset[2] = {fixedOffsets, fixedOffsets};
        for (int j = 0; j < 2; ++j) {
          Value row = o.add(o.add(o.mul(tile, 16), j * 8), o.div(lane, 4));
          Value s = memref::LoadOp::create(b, scales, ValueRange{row, group});
          scale[j] = vector::BroadcastOp::create(
              b, VectorType::get({2}, t), s);
          if (offsets)
            offset[j] = o.offsets(Value(memref::LoadOp::create(
                b, offsets, ValueRange{row, group})));
        }
        Value words = vector::LoadOp::create(
            b, VectorType::get({4}, i32), sb, ValueRange{stage, tid, o.c(0)});
        Value acc0 = carried[0], acc1 = carried[1];
        Value aRowInTile = o.rem(lane, 16), aHalf = o.mul(o.div(lane, 16), 8);
        for (int64_t step = 0; step < 4; ++step) {
          Value aFrag = nvgpu::LdMatrixOp::create(
              b, VectorType::get({4, 2}, t), sa,
              ValueRange{stage, aRowInTile, o.add(aHalf, step * 16)},
              b.getBoolAttr(false), b.getI32IntegerAttr(4));
          Value q = vector::ExtractOp::create(b, words, step);
          Value q8 = arith::ShRUIOp::create(b, q, o.i32(8));
          auto fragment = [&](Value reg0, Value reg1) -> Value {
            Value f = vector::InsertOp::create(b, reg0, emptyFrag, 0);
            return vector::InsertOp::create(b, reg1, f, 1);
          };
          auto scaled = [&](Value codes, int j) -> Value {
            return arith::MulFOp::create(b, codes, scale[j]);
          };
          // Low nibbles are weight row lane/4 (n8 tile 0), high nibbles
          // row 8 + lane/4 (n8 tile 1).
          Value b0 = fragment(scaled(o.lowCodes(q, offset[0]), 0),
                              scaled(o.lowCodes(q8, offset[0]), 0));
          Value b1 = fragment(scaled(o.highCodes(q, offset[1]), 1),
                              scaled(o.highCodes(q8, offset[1]), 1));
          acc0 = o.mma(aFrag, b0, acc0);
          acc1 = o.mma(aFrag, b1, acc1);
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
