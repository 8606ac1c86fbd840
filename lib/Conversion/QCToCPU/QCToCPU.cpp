//===- QCToCPU.cpp - qc.matmul to vectorized CPU kernels ------------------===//
//
// Kernels are MLIR text templates (vector dialect on memrefs), specialized by
// substituting their shape parameters and parsed into the module once per
// weight shape and format. qc.matmul becomes a call on the buffers of its
// operands; the packed weight bytes are read directly.
//
//===----------------------------------------------------------------------===//

#include "qc/Conversion/Passes.h"

#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Parser/Parser.h"

namespace mlir::qc {
#define GEN_PASS_DEF_CONVERTQCTOCPU
#include "qc/Conversion/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;

namespace {

/// Weight-only signed int4 GEMM/GEMV, f32 activations, per-block scales.
///
/// The activations are first copied with every 32-element chunk split into
/// its even and odd positions, so that the low nibbles of 16 packed bytes
/// (codes k0, k0+2, ...) meet the first half and the high nibbles (k0+1,
/// k0+3, ...) the second half: no shuffles in the inner loop. Per block of
/// G codes the products accumulate in a vector<16xf32>, then are scaled and
/// added to the row total; one horizontal sum per output. Rows of the
/// weight (outputs n) are split across threads: the scf.parallel becomes an
/// OpenMP worksharing loop late in the pipeline (see lib/Pipelines).
constexpr const char *kW4Kernel = R"mlir(
func.func private @$NAME(%a: memref<?x$Kxf32>, %w: memref<$BYTESxi8>,
                         %s: memref<$Nx$NGx$ST>, %y: memref<?x$Nxf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %cK = arith.constant $K : index
  %cN = arith.constant $N : index
  %cNG = arith.constant $NG : index
  %cG = arith.constant $G : index
  %M = memref.dim %a, %c0 : memref<?x$Kxf32>
  // Freed by the buffer deallocation pipeline.
  %ap = memref.alloc(%M) : memref<?x$Kxf32>
  scf.for %m = %c0 to %M step %c1 {
    scf.for %k0 = %c0 to %cK step %c32 {
      %v = vector.load %a[%m, %k0] : memref<?x$Kxf32>, vector<32xf32>
      %e, %o = vector.deinterleave %v : vector<32xf32> -> vector<16xf32>
      vector.store %e, %ap[%m, %k0] : memref<?x$Kxf32>, vector<16xf32>
      %k16 = arith.addi %k0, %c16 : index
      vector.store %o, %ap[%m, %k16] : memref<?x$Kxf32>, vector<16xf32>
    }
  }
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %four = arith.constant dense<4> : vector<16xi8>
  scf.parallel (%n) = (%c0) to (%cN) step (%c1) {
    %rowK = arith.muli %n, %cK : index
    %rowBase = arith.divui %rowK, %c2 : index
    scf.for %m = %c0 to %M step %c1 {
      %total = scf.for %g = %c0 to %cNG step %c1
          iter_args(%t = %zero) -> (vector<16xf32>) {
        %kg = arith.muli %g, %cG : index
        %acc = scf.for %c = %c0 to %cG step %c32
            iter_args(%ac = %zero) -> (vector<16xf32>) {
          %k0 = arith.addi %kg, %c : index
          %half = arith.divui %k0, %c2 : index
          %off = arith.addi %rowBase, %half : index
          %b = vector.load %w[%off] : memref<$BYTESxi8>, vector<16xi8>
          %l4 = arith.shli %b, %four : vector<16xi8>
          %lo = arith.shrsi %l4, %four : vector<16xi8>
          %hi = arith.shrsi %b, %four : vector<16xi8>
          %lf = arith.sitofp %lo : vector<16xi8> to vector<16xf32>
          %hf = arith.sitofp %hi : vector<16xi8> to vector<16xf32>
          %ae = vector.load %ap[%m, %k0] : memref<?x$Kxf32>, vector<16xf32>
          %k16 = arith.addi %k0, %c16 : index
          %ao = vector.load %ap[%m, %k16] : memref<?x$Kxf32>, vector<16xf32>
          %a1 = vector.fma %lf, %ae, %ac : vector<16xf32>
          %a2 = vector.fma %hf, %ao, %a1 : vector<16xf32>
          scf.yield %a2 : vector<16xf32>
        }
        %sv = memref.load %s[%n, %g] : memref<$Nx$NGx$ST>
        $EXTEND
        %sb = vector.broadcast $SCALE : f32 to vector<16xf32>
        %t2 = vector.fma %acc, %sb, %t : vector<16xf32>
        scf.yield %t2 : vector<16xf32>
      }
      %r = vector.reduction <add>, %total : vector<16xf32> into f32
      memref.store %r, %y[%m, %n] : memref<?x$Nxf32>
    }
  }
  return
}
)mlir";

std::string substitute(std::string text,
                       ArrayRef<std::pair<StringRef, std::string>> values) {
  for (auto &[key, value] : values) {
    size_t pos = 0;
    while ((pos = text.find(key.str(), pos)) != std::string::npos) {
      text.replace(pos, key.size(), value);
      pos += value.size();
    }
  }
  return text;
}

/// The packed bytes and scales of a weight, as tensor values at `op`.
struct PackedWeight {
  Value bytes, scales;
};

FailureOr<PackedWeight> getPackedWeight(OpBuilder &b, Value weight) {
  if (auto assemble = weight.getDefiningOp<AssembleOp>()) {
    if (!assemble.hasPackedCodes() || assemble.getZeroPoints() ||
        assemble.getOuterScales())
      return failure();
    return PackedWeight{assemble.getCodes(), assemble.getScales()};
  }
  if (auto constant = weight.getDefiningOp<ConstantOp>()) {
    if (!constant.hasPackedCodes() || constant.getZeroPoints() ||
        constant.getOuterScales())
      return failure();
    Location loc = constant.getLoc();
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(constant);
    Value bytes = arith::ConstantOp::create(
        b, loc, cast<TypedAttr>(Attribute(constant.getCodes())));
    Value scales = arith::ConstantOp::create(
        b, loc, cast<TypedAttr>(Attribute(constant.getScales())));
    return PackedWeight{bytes, scales};
  }
  return failure();
}

/// Why `op` has no CPU kernel, or an empty string if it has one.
std::string whyNoKernel(MatmulOp op) {
  auto w = cast<QuantizedTensorType>(op.getRhs().getType());
  auto grid = dyn_cast<IntGridAttr>(w.getGrid());
  if (!grid || grid.getWidth() != 4 || !grid.getIsSigned() || grid.getNarrow())
    return "weight grid is not #qc.int<s4>";
  auto block = dyn_cast<PerBlockAttr>(w.getGranularity());
  if (!block || block.getBlockSizes()[0] != 1 ||
      block.getBlockSizes()[1] % 32 != 0)
    return "weight blocks are not 1 x G with G a multiple of 32";
  Type st = w.getScaleType();
  if (!st.isF32() && !st.isF16() && !st.isBF16())
    return "scales are not f32, f16 or bf16";
  if (w.hasZeroPoints() || w.hasOuterScales())
    return "zero points or outer scales";
  if (!w.hasStaticShape())
    return "dynamic weight shape";
  auto lhs = dyn_cast<RankedTensorType>(op.getLhs().getType());
  if (!lhs || !lhs.getElementType().isF32())
    return "activations are not f32";
  if (!op.getType().getElementType().isF32())
    return "result is not f32";
  return "";
}

struct ConvertQCToCPUPass
    : mlir::qc::impl::ConvertQCToCPUBase<ConvertQCToCPUPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<MatmulOp> matmuls;
    module.walk([&](MatmulOp op) {
      if (whyNoKernel(op).empty())
        matmuls.push_back(op);
    });
    OpBuilder b(module.getContext());
    for (MatmulOp op : matmuls) {
      FailureOr<PackedWeight> weight = getPackedWeight(b, op.getRhs());
      if (failed(weight))
        continue; // not packed: left to the reference lowering
      if (failed(lower(b, symbols, op, *weight)))
        return signalPassFailure();
    }
  }

  FailureOr<func::FuncOp> getOrCreateKernel(OpBuilder &b, SymbolTable &symbols,
                                            QuantizedTensorType w) {
    int64_t n = w.getShape()[0], k = w.getShape()[1];
    int64_t g = cast<PerBlockAttr>(w.getGranularity()).getBlockSizes()[1];
    std::string scale;
    llvm::raw_string_ostream(scale) << w.getScaleType();
    std::string name = "qc_cpu_w4_n" + std::to_string(n) + "_k" +
                       std::to_string(k) + "_g" + std::to_string(g) + "_" +
                       scale;
    if (auto existing = symbols.lookup<func::FuncOp>(name))
      return existing;
    bool f32Scales = w.getScaleType().isF32();
    std::string text = substitute(
        kW4Kernel,
        {{"$NAME", name},
         {"$BYTES", std::to_string(n * k / 2)},
         {"$NG", std::to_string(k / g)},
         {"$N", std::to_string(n)},
         {"$K", std::to_string(k)},
         {"$G", std::to_string(g)},
         {"$ST", scale},
         {"$EXTEND",
          f32Scales ? "" : "%sf = arith.extf %sv : " + scale + " to f32"},
         {"$SCALE", f32Scales ? "%sv" : "%sf"}});
    OwningOpRef<ModuleOp> parsed =
        parseSourceString<ModuleOp>(text, b.getContext());
    if (!parsed)
      return failure();
    auto kernel = cast<func::FuncOp>(parsed->getBody()->front());
    kernel->remove();
    symbols.insert(kernel);
    return kernel;
  }

  LogicalResult lower(OpBuilder &b, SymbolTable &symbols, MatmulOp op,
                      PackedWeight weight) {
    auto w = cast<QuantizedTensorType>(op.getRhs().getType());
    FailureOr<func::FuncOp> kernel = getOrCreateKernel(b, symbols, w);
    if (failed(kernel))
      return op.emitOpError("failed to instantiate its CPU kernel");
    Location loc = op.getLoc();
    b.setInsertionPoint(op);
    int64_t n = w.getShape()[0];
    FunctionType fnType = kernel->getFunctionType();
    auto buffer = [&](Value tensor, Type memrefType) -> Value {
      auto t = cast<RankedTensorType>(tensor.getType());
      Value m = bufferization::ToBufferOp::create(
          b, loc, MemRefType::get(t.getShape(), t.getElementType()), tensor,
          b.getUnitAttr());
      if (m.getType() != memrefType)
        m = memref::CastOp::create(b, loc, memrefType, m);
      return m;
    };
    Value a = op.getLhs();
    Value am = buffer(a, fnType.getInput(0));
    Value bm = buffer(weight.bytes, fnType.getInput(1));
    Value sm = buffer(weight.scales, fnType.getInput(2));
    Value rows = tensor::DimOp::create(b, loc, a, 0);
    auto yType = cast<MemRefType>(fnType.getInput(3));
    Value ym = memref::AllocOp::create(b, loc, yType, ValueRange{rows});
    func::CallOp::create(b, loc, *kernel, ValueRange{am, bm, sm, ym});
    Value y = bufferization::ToTensorOp::create(
        b, loc, RankedTensorType::get({ShapedType::kDynamic, n}, b.getF32Type()),
        ym, b.getUnitAttr(), b.getUnitAttr());
    if (Value bias = op.getBias()) {
      MLIRContext *ctx = b.getContext();
      AffineMap id = AffineMap::getMultiDimIdentityMap(2, ctx);
      AffineMap col = AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx);
      Value init = tensor::EmptyOp::create(
          b, loc, ArrayRef<int64_t>{ShapedType::kDynamic, n}, b.getF32Type(),
          ValueRange{rows});
      y = linalg::GenericOp::create(
              b, loc, TypeRange{init.getType()}, ValueRange{y, bias},
              ValueRange{init}, ArrayRef<AffineMap>{id, col, id},
              ArrayRef<utils::IteratorType>{utils::IteratorType::parallel,
                                            utils::IteratorType::parallel},
              [&](OpBuilder &nb, Location nloc, ValueRange args) {
                Value sum = arith::AddFOp::create(nb, nloc, args[0], args[1]);
                linalg::YieldOp::create(nb, nloc, sum);
              })
              .getResult(0);
    }
    if (y.getType() != op.getType())
      y = tensor::CastOp::create(b, loc, op.getType(), y);
    op.replaceAllUsesWith(y);
    op.erase();
    return success();
  }
};

} // namespace
