//===- QCToCPU.cpp - qc.matmul to vectorized CPU kernels ------------------===//
//
// Kernels are functions on memrefs (vector, arith, scf, memref and qc_x86
// ops) built by the generators of IntDotKernel.cpp, FloatDotKernel.cpp and
// HadamardKernel.cpp for one weight shape and format, once per
// specialization.
// qc.matmul becomes a call on the buffers of its operands; the packed weight
// bytes are read directly. qc-cpu-repack-weights (here too: it asks the same
// classification which kernel a matmul gets) repacks constant weights into
// that kernel's #qc.tiled layout.
//
//===----------------------------------------------------------------------===//

#include "qc/Conversion/Passes.h"

#include "FloatDotKernel.h"
#include "HadamardKernel.h"
#include "IntDotKernel.h"
#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/X86/IR/X86Dialect.h"
#include "qc/Numerics/Grid.h"
#include "qc/Numerics/Packing.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::qc {
#define GEN_PASS_DEF_CONVERTQCTOCPU
#define GEN_PASS_DEF_REPACKCPUWEIGHTS
#include "qc/Conversion/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;

namespace {

std::string str(Type t) {
  std::string s;
  llvm::raw_string_ostream(s) << t;
  return s;
}

/// What a kernel is specialized for: f32 activations (FloatDot) or int8
/// activation codes (IntDot).
struct KernelSpec {
  enum class Kind { FloatDot, IntDot } kind;
  cpu::FloatDotKernelSpec floatDot;
  cpu::IntDotKernelSpec intDot;

  const std::string &name() const {
    return kind == Kind::IntDot ? intDot.name : floatDot.name;
  }
  /// The #qc.tiled<rows, chunk_bytes> layout the kernel reads best.
  std::pair<int64_t, int64_t> weightTile() const {
    return kind == Kind::IntDot ? cpu::intDotWeightTile(intDot)
                                : cpu::floatDotWeightTile(floatDot);
  }
  /// The layout the kernel reads best: #qc.bit_planes<[2, 1]> for 3-bit
  /// codes (the only one it reads), else #qc.tiled when it computes several
  /// weight rows at once; null for row-major.
  Attribute wantedLayout(MLIRContext *ctx) const {
    const cpu::WeightSpec &w =
        kind == Kind::IntDot ? static_cast<const cpu::WeightSpec &>(intDot)
                             : floatDot;
    if (w.bits == 3)
      return BitPlanesAttr::get(ctx, {2, 1});
    auto [rows, chunk] = weightTile();
    if (rows > 1)
      return TiledLayoutAttr::get(ctx, rows, chunk);
    return {};
  }
  /// The weight side of the active kernel's spec.
  cpu::WeightSpec &weight() {
    if (kind == Kind::IntDot)
      return intDot;
    return floatDot;
  }
};

/// Checks `w`'s layout against `spec`'s kernel (a one-row layout is the
/// row-major order).
LogicalResult checkLayout(QuantizedTensorType w, KernelSpec &spec,
                          std::string &why) {
  llvm::raw_string_ostream os(why);
  Attribute planes = BitPlanesAttr::get(w.getContext(), {2, 1});
  if (spec.weight().bits == 3) {
    if (w.getLayout() == planes)
      return success();
    os << "3-bit weight codes must be in layout " << planes
       << " (qc-cpu-repack-weights puts constant weights in it)";
    return failure();
  }
  if (BitPlanesAttr other = w.getBitPlanes()) {
    os << "weight layout " << other << " is not read by the CPU kernels "
       << "(only " << planes << " for 3-bit codes)";
    return failure();
  }
  TiledLayoutAttr layout = w.getTiledLayout();
  if (!layout || layout.getRows() == 1)
    return success();
  auto [rows, chunk] = spec.weightTile();
  if (layout.getRows() != rows || layout.getChunkBytes() != chunk) {
    os << "weight layout " << layout
       << " is not the kernel's #qc.tiled<rows = " << rows
       << ", chunk_bytes = " << chunk << ">";
    return failure();
  }
  spec.weight().tiledWeights = true;
  spec.weight().name += "_tiled";
  return success();
}

/// How the f32-activation kernel decodes `grid`'s codes.
void setCodeDecode(const ::qc::numerics::Grid &grid,
                   cpu::FloatDotKernelSpec &spec) {
  using cpu::CodeDecode;
  if (grid.kind() == ::qc::numerics::GridKind::Int) {
    spec.decode = grid.isSigned() ? CodeDecode::Signed : CodeDecode::Unsigned;
    return;
  }
  // A table of small integers times a unit (the smallest magnitude), else
  // a table of f32 values.
  std::vector<double> values;
  double unit = 0;
  bool finite = true;
  for (uint32_t c = 0; c < grid.numCodes(); ++c) {
    double v = double(float(grid.decode(c)));
    values.push_back(v);
    finite &= std::isfinite(v);
    if (std::isfinite(v) && v != 0 && (unit == 0 || std::fabs(v) < unit))
      unit = std::fabs(v);
  }
  bool small = finite && unit > 0;
  for (double v : values)
    small &= small && std::fabs(v / unit) <= 127 &&
             std::nearbyint(v / unit) * unit == v;
  if (small) {
    spec.decode = CodeDecode::IntTable;
    spec.tableUnit = unit;
    for (double v : values)
      spec.intTable.push_back(int(std::nearbyint(v / unit)));
    return;
  }
  spec.decode = CodeDecode::FloatTable;
  for (double v : values)
    spec.floatTable.push_back(float(v));
}

/// The block size along K of a weight or activation granularity: G for
/// 1 x G blocks, K for one scale per row (per axis 0); 0 otherwise.
int64_t blockAlongK(Attribute granularity, int64_t k) {
  if (auto axis = dyn_cast<PerAxisAttr>(granularity))
    return axis.getAxis() == 0 ? k : 0;
  if (auto block = dyn_cast<PerBlockAttr>(granularity))
    return block.getBlockSizes()[0] == 1 ? block.getBlockSizes()[1] : 0;
  return 0;
}

/// The kernel `op` can use whatever its weight's layout, or a reason why
/// there is none.
FailureOr<KernelSpec> classify(MatmulOp op, std::string &why) {
  auto w = dyn_cast<QuantizedTensorType>(op.getRhs().getType());
  if (!w) {
    why = "the weight is not quantized (a float Linear layer)";
    return failure();
  }
  auto lhsQ = dyn_cast<QuantizedTensorType>(op.getLhs().getType());
  // A weight stored rotated along K (W = W_s R) is read as stored, with the
  // f32 activations rotated by R^T first; quantized activations would have
  // to be rotated before their quantizer.
  if (lhsQ && (lhsQ.getRotation() || w.getRotation())) {
    why = "an operand is stored in a rotated basis (with int8 activations)";
    return failure();
  }
  if (w.getRotation() && w.getRotationAxis() != 1) {
    why = "the weight is stored rotated along N";
    return failure();
  }
  Type st = w.getScaleType();
  int64_t n = w.getShape()[0], k = w.getShape().back();
  int64_t group = blockAlongK(w.getGranularity(), k);
  Type zp = w.getZeroPointType();
  std::string zpName = zp ? str(zp) : "";
  ::qc::numerics::Grid grid = w.getGrid().getNumericsGrid();
  int bits = grid.bits();
  if (!w.hasStaticShape())
    why = "dynamic weight shape";
  else if (group == 0)
    why = "weight scales are not per row or per 1 x G block";
  else if (!st.isF32() && !st.isF16() && !st.isBF16())
    why = "weight scales are not f32, f16 or bf16";
  else if (w.hasOuterScales())
    why = "weight has outer scales";
  else if (zp && !isa<IntegerType>(zp) && !zp.isF32() && !zp.isF16() &&
           !zp.isBF16())
    why = "weight zero points are not integers, f32, f16 or bf16";
  else if (!op.getType().getElementType().isF32())
    why = "result is not f32";
  if (!why.empty())
    return failure();
  cpu::WeightSpec weight;
  weight.n = n;
  weight.k = k;
  weight.bits = bits;
  weight.weightGroup = group;
  weight.scaleType = st;
  weight.zeroPointType = zp;
  std::string shape = "_n" + std::to_string(n) + "_k" + std::to_string(k) +
                      "_g" + std::to_string(group) + "_" + str(st) +
                      (zp ? "_z" + zpName : "");
  KernelSpec spec;
  if (auto lhs = dyn_cast<RankedTensorType>(op.getLhs().getType())) {
    if (!lhs.getElementType().isF32()) {
      why = "activations are not f32";
      return failure();
    }
    cpu::FloatDotKernelSpec &f = spec.floatDot;
    spec.kind = KernelSpec::Kind::FloatDot;
    static_cast<cpu::WeightSpec &>(f) = weight;
    setCodeDecode(grid, f);
    why = cpu::checkFloatDotKernel(f);
    if (!why.empty())
      return failure();
    static const char *decodeNames[] = {"int", "uint", "itab", "ftab"};
    f.name = "qc_cpu_w" + std::to_string(bits) + "_" +
             decodeNames[int(f.decode)] + shape;
    return spec;
  }
  // Quantized activations: int8, f32 scales per row or per block along K.
  auto a = cast<QuantizedTensorType>(op.getLhs().getType());
  auto agrid = dyn_cast<IntGridAttr>(a.getGrid());
  auto wgrid = dyn_cast<IntGridAttr>(w.getGrid());
  int64_t actGroup = blockAlongK(a.getGranularity(), k);
  if (!agrid || agrid.getWidth() != 8 || !agrid.getIsSigned())
    why = "activation grid is not #qc.int<s8>";
  else if (!a.getScaleType().isF32() || a.hasZeroPoints() ||
           a.hasOuterScales())
    why = "activation scales are not plain f32";
  else if (actGroup == 0)
    why = "activation scales are not per row or per 1 x G block";
  else if (!wgrid)
    why = "weight grid is not #qc.int (int8 activations)";
  else if (zp && !isa<IntegerType>(zp))
    why = "weight zero points are not integers (int8 activations)";
  if (!why.empty())
    return failure();
  cpu::IntDotKernelSpec &d = spec.intDot;
  spec.kind = KernelSpec::Kind::IntDot;
  static_cast<cpu::WeightSpec &>(d) = weight;
  d.signedCodes = wgrid.getIsSigned();
  d.weightsNarrow = wgrid.getNarrow();
  d.activationsNarrow = agrid.getNarrow();
  d.signOnActivations = d.activationsNarrow;
  d.actPerRow = isa<PerAxisAttr>(a.getGranularity());
  d.actGroup = actGroup;
  why = cpu::checkIntDotKernel(d);
  if (!why.empty())
    return failure();
  d.name = "qc_cpu_w" + std::to_string(bits) + "a8" + shape +
           (d.signedCodes ? "" : "_u") +
           (d.actPerRow ? "_arow" : "_ag" + std::to_string(actGroup));
  return spec;
}

/// The packed bytes and scales of a weight, as tensor values.
struct PackedWeight {
  Value bytes, scales, zeroPoints;
};

FailureOr<PackedWeight> getPackedWeight(OpBuilder &b, Value weight) {
  if (auto assemble = weight.getDefiningOp<AssembleOp>()) {
    if (!assemble.hasPackedCodes())
      return failure();
    return PackedWeight{assemble.getCodes(), assemble.getScales(),
                        assemble.getZeroPoints()};
  }
  if (auto constant = weight.getDefiningOp<ConstantOp>()) {
    if (!constant.hasPackedCodes())
      return failure();
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
  return failure();
}

/// `tensor` as the kernel argument of type `memrefType` (a read-only
/// buffer, cast to the argument's dynamic sizes).
Value kernelArgument(OpBuilder &b, Location loc, Value tensor,
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
Value kernelResult(OpBuilder &b, Location loc, Value memref,
                   RankedTensorType type) {
  auto mt = cast<MemRefType>(memref.getType());
  Value v = bufferization::ToTensorOp::create(
      b, loc, RankedTensorType::get(mt.getShape(), mt.getElementType()),
      memref, b.getUnitAttr(), b.getUnitAttr());
  if (v.getType() != type)
    v = tensor::CastOp::create(b, loc, type, v);
  return v;
}

struct ConvertQCToCPUPass
    : mlir::qc::impl::ConvertQCToCPUBase<ConvertQCToCPUPass> {
  using ConvertQCToCPUBase::ConvertQCToCPUBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    std::vector<std::pair<MatmulOp, KernelSpec>> matmuls;
    module.walk([&](MatmulOp op) {
      std::string why;
      FailureOr<KernelSpec> spec = classify(op, why);
      if (succeeded(spec) &&
          succeeded(checkLayout(
              cast<QuantizedTensorType>(op.getRhs().getType()), *spec, why)))
        matmuls.push_back({op, *spec});
      else if (reportFallbacks)
        op.emitRemark("no CPU kernel, left to the reference lowering: ")
            << why;
    });
    OpBuilder b(module.getContext());
    for (auto &[op, spec] : matmuls) {
      FailureOr<PackedWeight> weight = getPackedWeight(b, op.getRhs());
      if (failed(weight)) {
        if (reportFallbacks)
          op.emitRemark("no CPU kernel, left to the reference lowering: the "
                        "weight is not a packed qc.constant or qc.assemble "
                        "packed");
        continue;
      }
      if (failed(lower(b, symbols, op, spec, *weight)))
        return signalPassFailure();
    }
    // Rotations last: the matmuls above may have added some (activations of
    // weights stored rotated).
    SmallVector<RotateOp> rotations;
    module.walk([&](RotateOp op) { rotations.push_back(op); });
    for (RotateOp op : rotations)
      if (failed(lowerRotation(b, symbols, op, fusableQuantize(op))))
        return signalPassFailure();
  }

  /// qc.rotate by #qc.hadamard along the last axis of an M x n f32 matrix
  /// -> the fast Walsh-Hadamard kernel; anything else keeps the reference
  /// lowering (with a remark under report-fallbacks).
  /// The only user of `op` when it quantizes the rotated rows to int8 with
  /// per-row absmax f32 scales, which the rotation kernel can do while each
  /// row is in L1; else null.
  static QuantizeOp fusableQuantize(RotateOp op) {
    if (!op->hasOneUse())
      return {};
    auto q = dyn_cast<QuantizeOp>(*op->getUsers().begin());
    if (!q || q.getScales() || q.getEffectiveMethod() != ScaleMethod::absmax)
      return {};
    QuantizedTensorType t = q.getType();
    auto grid = dyn_cast<IntGridAttr>(t.getGrid());
    auto axis = dyn_cast<PerAxisAttr>(t.getGranularity());
    if (!grid || grid.getWidth() != 8 || !grid.getIsSigned() || !axis ||
        axis.getAxis() != 0 || !t.getScaleType().isF32() ||
        t.hasZeroPoints() || t.hasOuterScales() || t.getLayout() ||
        t.getRotation() || t.getRank() != 2)
      return {};
    return q;
  }

  LogicalResult lowerRotation(OpBuilder &b, SymbolTable &symbols, RotateOp op,
                              QuantizeOp fused) {
    auto type = cast<RankedTensorType>(op.getType());
    auto hadamard = dyn_cast<HadamardAttr>(op.getRotation());
    std::string why;
    cpu::HadamardKernelSpec spec;
    if (!hadamard)
      why = "the rotation is not a #qc.hadamard";
    else if (!type.getElementType().isF32())
      why = "the tensor is not f32";
    else if (type.getRank() != 2 || op.getAxis() != 1)
      why = "the rotation is not along the last axis of a matrix";
    if (why.empty()) {
      ::qc::numerics::HadamardSpec h = hadamard.getSpec();
      spec.n = h.size;
      spec.k = h.baseOrder();
      spec.m = h.size / spec.k;
      if (spec.k > 1)
        spec.base = ::qc::numerics::paleyMatrix(h.base, h.q);
      spec.signs.assign(h.signs.begin(), h.signs.end());
      spec.transpose = op.getTranspose();
      if (fused) {
        spec.quantize = true;
        spec.narrow = cast<IntGridAttr>(fused.getType().getGrid()).getNarrow();
      }
      why = cpu::checkHadamardKernel(spec);
    }
    if (!why.empty()) {
      if (reportFallbacks)
        op.emitRemark("no CPU kernel, left to the reference lowering: ")
            << why;
      return success();
    }
    spec.name = "qc_cpu_hadamard_n" + std::to_string(spec.n) +
                (spec.k > 1 ? "_k" + std::to_string(spec.k) + "_q" +
                                  std::to_string(hadamard.getQ())
                            : "") +
                (spec.signs.empty() ? "" : "_signs") +
                (spec.transpose ? "_t" : "") +
                (spec.quantize ? (spec.narrow ? "_q8n" : "_q8") : "");
    func::FuncOp kernel = getOrCreateKernel(b, symbols, spec.name, [&] {
      return cpu::buildHadamardKernel(b, op.getLoc(), symbols.getOp()->getRegion(0).front(), spec);
    });
    Location loc = op.getLoc();
    b.setInsertionPoint(op);
    FunctionType fnType = kernel.getFunctionType();
    SmallVector<Value> args = {
        kernelArgument(b, loc, op.getInput(), fnType.getInput(0))};
    if (!spec.signs.empty()) {
      SmallVector<float> d(spec.signs.begin(), spec.signs.end());
      Value signs = arith::ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({spec.n}, b.getF32Type()),
              ArrayRef<float>(d)));
      args.push_back(kernelArgument(b, loc, signs, fnType.getInput(1)));
    }
    auto yType = cast<MemRefType>(fnType.getInput(args.size()));
    Value rows = tensor::DimOp::create(b, loc, op.getInput(), 0);
    Value ym = memref::AllocOp::create(b, loc, yType, ValueRange{rows});
    args.push_back(ym);
    Value codes, scales;
    if (spec.quantize) {
      codes = memref::AllocOp::create(
          b, loc, cast<MemRefType>(fnType.getInput(args.size())),
          ValueRange{rows});
      scales = memref::AllocOp::create(
          b, loc, cast<MemRefType>(fnType.getInput(args.size() + 1)),
          ValueRange{rows});
      args.push_back(codes);
      args.push_back(scales);
    }
    func::CallOp::create(b, loc, kernel, args);
    if (spec.quantize) {
      // The quantized rows, assembled into the quantizer's type.
      QuantizedTensorType qType = fused.getType();
      Value assembled = AssembleOp::create(
          b, loc, qType,
          kernelResult(b, loc, codes, qType.getCodesTensorType()),
          kernelResult(b, loc, scales, qType.getScalesTensorType()), Value(),
          Value());
      fused.replaceAllUsesWith(assembled);
      fused.erase();
      op.erase();
      return success();
    }
    op.replaceAllUsesWith(kernelResult(b, loc, ym, op.getType()));
    op.erase();
    return success();
  }

  /// Kernel `name`, built by `build()` the first time.
  static func::FuncOp getOrCreateKernel(OpBuilder &b, SymbolTable &symbols,
                                        StringRef name,
                                        function_ref<func::FuncOp()> build) {
    if (auto existing = symbols.lookup<func::FuncOp>(name))
      return existing;
    func::FuncOp kernel = build();
    symbols.insert(kernel);
    return kernel;
  }

  static func::FuncOp getOrCreateKernel(OpBuilder &b, SymbolTable &symbols,
                                        const KernelSpec &spec) {
    Block &body = symbols.getOp()->getRegion(0).front();
    Location loc = symbols.getOp()->getLoc();
    return getOrCreateKernel(b, symbols, spec.name(), [&] {
      return spec.kind == KernelSpec::Kind::IntDot
                 ? cpu::buildIntDotKernel(b, loc, body, spec.intDot)
                 : cpu::buildFloatDotKernel(b, loc, body, spec.floatDot);
    });
  }

  LogicalResult lower(OpBuilder &b, SymbolTable &symbols, MatmulOp op,
                      const KernelSpec &spec, PackedWeight weight) {
    func::FuncOp kernel = getOrCreateKernel(b, symbols, spec);
    Location loc = op.getLoc();
    b.setInsertionPoint(op);
    FunctionType fnType = kernel.getFunctionType();
    auto buffer = [&](Value tensor, Type memrefType) -> Value {
      auto t = cast<RankedTensorType>(tensor.getType());
      // Per-row scales (N) are the kernels' N x 1 blocks.
      if (t.getRank() == 1 && cast<MemRefType>(memrefType).getRank() == 2) {
        t = RankedTensorType::get({t.getDimSize(0), 1}, t.getElementType());
        tensor = tensor::ExpandShapeOp::create(
            b, loc, t, tensor, ArrayRef<ReassociationIndices>{{0, 1}});
      }
      return kernelArgument(b, loc, tensor, memrefType);
    };
    SmallVector<Value> args;
    Value rowsOf;
    if (spec.kind == KernelSpec::Kind::FloatDot) {
      Value lhs = op.getLhs();
      // (a R^T) W_s^T for a weight stored rotated: W = W_s R.
      auto w = cast<QuantizedTensorType>(op.getRhs().getType());
      if (RotationAttrInterface rotation = w.getRotation())
        lhs = RotateOp::create(b, loc, lhs, rotation, b.getI64IntegerAttr(1),
                               b.getUnitAttr());
      args.push_back(buffer(lhs, fnType.getInput(0)));
      rowsOf = op.getLhs();
    } else {
      auto parts = DisassembleOp::create(b, loc, op.getLhs());
      args.push_back(buffer(parts.getResult(0), fnType.getInput(0)));
      args.push_back(buffer(parts.getResult(1), fnType.getInput(1)));
      rowsOf = parts.getResult(0);
    }
    unsigned next = args.size();
    args.push_back(buffer(weight.bytes, fnType.getInput(next)));
    args.push_back(buffer(weight.scales, fnType.getInput(next + 1)));
    if (weight.zeroPoints)
      args.push_back(buffer(weight.zeroPoints, fnType.getInput(next + 2)));
    Value rows = tensor::DimOp::create(b, loc, rowsOf, 0);
    auto yType = cast<MemRefType>(fnType.getInput(args.size()));
    Value ym = memref::AllocOp::create(b, loc, yType, ValueRange{rows});
    args.push_back(ym);
    // The kernel's scratch buffers, one row per activation row.
    while (args.size() < fnType.getNumInputs())
      args.push_back(memref::AllocOp::create(
          b, loc, cast<MemRefType>(fnType.getInput(args.size())),
          ValueRange{rows}));
    func::CallOp::create(b, loc, kernel, args);
    int64_t n = yType.getDimSize(1);
    Value y = kernelResult(
        b, loc, ym,
        RankedTensorType::get({ShapedType::kDynamic, n}, b.getF32Type()));
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

/// The bytes of a packed-codes attribute (dense_resource or dense i8).
FailureOr<std::vector<uint8_t>> readBytes(ElementsAttr attr) {
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return failure();
    ArrayRef<char> data = blob->getData();
    return std::vector<uint8_t>(data.begin(), data.end());
  }
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    std::vector<uint8_t> bytes;
    for (const APInt &v : dense.getValues<APInt>())
      bytes.push_back(uint8_t(v.getZExtValue()));
    return bytes;
  }
  return failure();
}

/// The float values of a scales attribute (dense or dense_resource of
/// f32, f16 or bf16).
FailureOr<std::vector<float>> readFloats(ElementsAttr attr) {
  auto floatType = dyn_cast<FloatType>(attr.getElementType());
  if (!floatType)
    return failure();
  std::vector<APFloat> values;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    unsigned width = floatType.getWidth();
    if (!blob || (width != 16 && width != 32))
      return failure();
    ArrayRef<char> data = blob->getData();
    for (size_t i = 0; i + width / 8 <= data.size(); i += width / 8) {
      uint64_t bits = 0;
      std::memcpy(&bits, data.data() + i, width / 8);
      values.emplace_back(floatType.getFloatSemantics(), APInt(width, bits));
    }
  } else if (auto dense = dyn_cast<DenseFPElementsAttr>(attr)) {
    for (const APFloat &v : dense.getValues<APFloat>())
      values.push_back(v);
  } else {
    return failure();
  }
  std::vector<float> out;
  for (APFloat v : values) {
    bool lost;
    v.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
    out.push_back(v.convertToFloat());
  }
  if (int64_t(out.size()) != attr.getNumElements())
    return failure();
  return out;
}

/// A dense_resource attribute holding `size` bytes of `data`.
ElementsAttr blobAttr(ShapedType type, StringRef name, const void *data,
                      size_t size) {
  return DenseResourceElementsAttr::get(
      type, name,
      HeapAsmResourceBlob::allocateAndCopyWithAlign(
          ArrayRef<char>(static_cast<const char *>(data), size), 8));
}

struct RepackCPUWeightsPass
    : mlir::qc::impl::RepackCPUWeightsBase<RepackCPUWeightsPass> {
  void runOnOperation() override {
    SmallVector<MatmulOp> matmuls;
    getOperation().walk([&](MatmulOp op) { matmuls.push_back(op); });
    OpBuilder b(&getContext());
    for (MatmulOp op : matmuls) {
      auto constant = op.getRhs().getDefiningOp<ConstantOp>();
      if (!constant || !constant.hasPackedCodes() ||
          constant.getType().getLayout())
        continue;
      std::string why;
      FailureOr<KernelSpec> spec = classify(op, why);
      if (failed(spec))
        continue;
      Attribute layout = spec->wantedLayout(&getContext());
      QuantizedTensorType type = constant.getType();
      bool widen = !type.getScaleType().isF32();
      if (!layout && !widen)
        continue;
      ElementsAttr codes = constant.getCodes(), scales = constant.getScales();
      if (layout) {
        FailureOr<std::vector<uint8_t>> bytes = readBytes(codes);
        if (failed(bytes)) {
          op.emitWarning("qc-cpu-repack-weights: cannot read the weight's "
                         "packed codes (elided resource?); left as is");
          continue;
        }
        std::vector<uint8_t> repacked;
        if (auto tiled = dyn_cast<TiledLayoutAttr>(layout)) {
          repacked = ::qc::numerics::tileRows(
              bytes->data(), type.getShape()[0], type.getPackedRowBytes(),
              tiled.getRows(), tiled.getChunkBytes());
        } else {
          auto planes = cast<BitPlanesAttr>(layout);
          int64_t count = ShapedType::getNumElements(type.getShape());
          repacked = ::qc::numerics::packBitPlanes(
              ::qc::numerics::unpackCodes(bytes->data(), count,
                                          type.getGrid().getCodeBits()),
              planes.getWidthVector());
        }
        codes = blobAttr(cast<ShapedType>(codes.getType()), "qc_codes",
                         repacked.data(), repacked.size());
      }
      Type scaleType = type.getScaleType();
      if (widen) {
        FailureOr<std::vector<float>> values = readFloats(scales);
        if (failed(values)) {
          op.emitWarning("qc-cpu-repack-weights: cannot read the weight's "
                         "scales (elided resource?); left as is");
          continue;
        }
        scaleType = b.getF32Type();
        scales = blobAttr(
            RankedTensorType::get(cast<ShapedType>(scales.getType()).getShape(),
                                  scaleType),
            "qc_scales", values->data(), values->size() * sizeof(float));
      }
      b.setInsertionPoint(constant);
      auto newType = QuantizedTensorType::get(
          &getContext(), type.getShape(), type.getGrid(),
          type.getGranularity(), scaleType, type.getZeroPointType(),
          type.getOuterGranularity(), type.getOuterScaleType(),
          layout ? layout : type.getLayout(), type.getRotation(),
          type.getRotationAxis());
      auto replacement = ConstantOp::create(
          b, constant.getLoc(), newType, codes, scales,
          constant.getZeroPointsAttr(), constant.getOuterScalesAttr());
      op.getRhsMutable().assign(replacement);
      if (constant->use_empty())
        constant.erase();
    }
  }
};

} // namespace
