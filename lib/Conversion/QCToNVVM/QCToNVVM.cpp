//===- QCToNVVM.cpp - qc.matmul to NVIDIA tensor-core kernels -------------===//
//
// qc-nvvm-layout and convert-qc-to-nvvm. The second replaces each
// qc.matmul that an NVIDIA kernel covers by a call to a host function
// (func.func on memrefs: device buffers, copies, gpu.launch_func) and adds
// the kernel (W4A16Kernel.cpp) to the module's gpu.module, which carries
// the #nvvm.target of the chip. What no kernel covers is left for the
// reference lowering, with the reason as a remark.
//
//===----------------------------------------------------------------------===//

#include "qc/Conversion/Passes.h"
#include "qc/Conversion/KernelCommon/KernelCall.h"
#include "qc/Conversion/KernelCommon/WeightLayouts.h"
#include "qc/Conversion/QCToNVVM/QCToNVVM.h"

#include "W4A16Kernel.h"
#include "QuantizeRowsKernel.h"
#include "W8A8Kernel.h"
#include "KernelSpecs.h"
#include "qc/Dialect/NVVM/IR/QCNVVMDialect.h"
#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Numerics/Packing.h"
#include "qc/Utils/ConstantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qc {
#define GEN_PASS_DEF_NVVMLAYOUT
#define GEN_PASS_DEF_CONVERTQCTONVVM
#define GEN_PASS_DEF_NVVMHOSTFUNCTIONS
#include "qc/Conversion/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;
using qc::MatmulOp;
using qc::ConstantOp;
using nvvm::W4A16KernelSpec;

/// On a host function declaration of convert-qc-to-nvvm: {kernel, grid =
/// [x, y], rows_per_block, threads}.
static constexpr llvm::StringLiteral kLaunchAttrName = "qc.nvvm_launch";

namespace {

/// Whether every zero point of the constant `weight` plus the code offset
/// lies in [0, 15], so the kernel's c - o is exact in f16 and bf16 (AWQ's
/// and GPTQ's zero points are codes of the grid); why not otherwise.
bool zeroPointsAreCodes(ConstantOp weight, int64_t codeOffset,
                        llvm::raw_ostream &os) {
  FailureOr<std::vector<int64_t>> zp =
      readIntegerValues(weight.getZeroPointsAttr());
  if (failed(zp)) {
    os << "the weight's zero points cannot be read: "
       << whyUnreadable(weight.getZeroPointsAttr());
    return false;
  }
  for (int64_t z : *zp) {
    if (z + codeOffset < 0 || z + codeOffset > 15) {
      os << "zero point " << z << " lies outside the grid "
         << "(the kernel subtracts zero points that are codes)";
      return false;
    }
  }
  return true;
}

/// The W4A16 kernel's spec for `op` whatever its weight's layout, or why
/// there is none.
FailureOr<W4A16KernelSpec> classifyW4A16(MatmulOp op, std::string &why) {
  llvm::raw_string_ostream os(why);
  auto a = dyn_cast<RankedTensorType>(op.getLhs().getType());
  auto w = dyn_cast<QuantizedTensorType>(op.getRhs().getType());
  if (!a || !w) {
    os << "the activations must be a float tensor and the weight quantized";
    return failure();
  }
  Type t = a.getElementType();
  if (!t.isF16() && !t.isBF16()) {
    os << "activations are " << t << "; the W4A16 kernel reads f16 or bf16";
    return failure();
  }
  if (!op.getType().getElementType().isF32()) {
    os << "the result is " << op.getType().getElementType()
       << "; the kernel accumulates and writes f32";
    return failure();
  }
  auto grid = dyn_cast<IntGridAttr>(w.getGrid());
  if (!grid || grid.getWidth() != 4 || grid.getNarrow()) {
    os << "weight grid " << w.getGrid()
       << " is not #qc.int<s4> or #qc.int<u4>";
    return failure();
  }
  auto blocks = dyn_cast<PerBlockAttr>(w.getGranularity());
  if (!blocks || blocks.getBlockSizes() != ArrayRef<int64_t>{1, 128} ||
      w.getScaleType() != t) {
    os << "weight scales are " << w.getScaleType() << " "
       << w.getGranularity() << "; the kernel reads " << t
       << " (the activations' type) per 1 x 128 block";
    return failure();
  }
  if (w.hasZeroPoints() && !isa<IntegerType>(w.getZeroPointType())) {
    os << "zero points of type " << w.getZeroPointType()
       << " have no NVIDIA kernel (integer zero points do)";
    return failure();
  }
  if (w.hasOuterScales() || w.getRotation() || w.hasMins()) {
    os << "weights with outer scales, mins or a rotation have no NVIDIA "
          "kernel yet";
    return failure();
  }
  if (!w.hasStaticShape()) {
    os << "the weight's shape must be static";
    return failure();
  }
  int64_t n = w.getShape()[0], k = w.getShape()[1];
  if (n % W4A16KernelSpec::blockCols != 0) {
    os << "N = " << n << " is not a multiple of "
       << W4A16KernelSpec::blockCols;
    return failure();
  }
  if (w.getLayout() && !isa<nvvm::MMAFragmentsLayoutAttr>(w.getLayout())) {
    os << "weight layout " << w.getLayout()
       << " is not the kernel's #qc_nvvm.mma_fragments";
    return failure();
  }
  W4A16KernelSpec spec = nvvm::makeW4A16Spec(
      n, k, t.isBF16(), w.hasZeroPoints(), grid.getIsSigned());
  if (w.hasZeroPoints()) {
    auto constant = op.getRhs().getDefiningOp<ConstantOp>();
    if (constant && !zeroPointsAreCodes(constant, spec.codeOffset, os))
      return failure();
  }
  return spec;
}

/// Whether `t` is int8 codes with f32 scales per row and nothing else.
bool isInt8PerRow(QuantizedTensorType t) {
  auto grid = dyn_cast<IntGridAttr>(t.getGrid());
  auto axis = dyn_cast<PerAxisAttr>(t.getGranularity());
  return grid && grid.getWidth() == 8 && grid.getIsSigned() && axis &&
         axis.getAxis() == 0 && t.getScaleType().isF32() &&
         !t.hasZeroPoints() && !t.hasOuterScales() && !t.getRotation() &&
         !t.getLayout() && t.getShape().size() == 2;
}

/// The W8A8 kernel's spec for `op`, or why there is none.
FailureOr<nvvm::W8A8KernelSpec> classifyW8A8(MatmulOp op, std::string &why) {
  llvm::raw_string_ostream os(why);
  auto a = cast<QuantizedTensorType>(op.getLhs().getType());
  auto w = dyn_cast<QuantizedTensorType>(op.getRhs().getType());
  if (!w) {
    os << "a float weight has no NVIDIA kernel";
    return failure();
  }
  if (!isInt8PerRow(a)) {
    os << "activations are " << a << "; the W8A8 kernel reads #qc.int<s8> "
       << "codes with f32 scales per row (#qc.per_axis<0>)";
    return failure();
  }
  if (!isInt8PerRow(w) || !w.hasStaticShape()) {
    os << "the weight is " << w << "; the W8A8 kernel reads static "
       << "#qc.int<s8> codes with f32 scales per row (#qc.per_axis<0>)";
    return failure();
  }
  if (!op.getType().getElementType().isF32()) {
    os << "the result is " << op.getType().getElementType()
       << "; the kernel writes f32";
    return failure();
  }
  int64_t n = w.getShape()[0], k = w.getShape()[1];
  if (n % nvvm::W8A8KernelSpec::blockCols != 0 ||
      k % nvvm::W8A8KernelSpec::kTile != 0) {
    os << "the weight is " << n << " x " << k
       << "; the W8A8 kernel needs N and K multiples of 64";
    return failure();
  }
  // 127 * 128 * K must fit the MMA's i32 (which saturates, not wraps).
  if (k >= (int64_t(1) << 17)) {
    os << "K = " << k << " could overflow the kernel's i32 sums (K < 131072)";
    return failure();
  }
  if (!hasPackedWeight(op.getRhs())) {
    os << "the weight is not a packed qc.constant or qc.assemble packed";
    return failure();
  }
  return nvvm::makeW8A8Spec(n, k);
}

/// The GPU quantization kernel's spec when `activations` come from a
/// qc.quantize that it computes: run-time absmax scales per row (no scale
/// operands, round half to even) of an f32 or f16 matrix; std::nullopt
/// otherwise (the host quantizes, as the reference lowering does). The
/// matmul then reads the float activations; a qc.quantize with other users
/// stays for them (both compute the same codes).
std::optional<nvvm::QuantizeRowsSpec> fusedQuantization(Value activations) {
  auto quantize = activations.getDefiningOp<QuantizeOp>();
  if (!quantize || quantize.getScales() ||
      quantize.getEffectiveMethod() != ScaleMethod::absmax ||
      !quantize.roundsNearestEven())
    return std::nullopt;
  auto x = cast<RankedTensorType>(quantize.getInput().getType());
  Type t = x.getElementType();
  if (x.getRank() != 2 || x.isDynamicDim(1) || x.getDimSize(1) % 4 != 0 ||
      !(t.isF32() || t.isF16()))
    return std::nullopt;
  return nvvm::makeQuantizeRowsSpec(x.getDimSize(1), t.isF16());
}

/// A host function's spec: the kernels it launches, in order, and which of
/// its arguments are compile-time constants (uploaded once, not per call).
DictionaryAttr getHostSpecAttr(MLIRContext *ctx, ArrayRef<Attribute> kernels,
                               ArrayRef<int64_t> constants) {
  return KernelSpecBuilder(ctx, "nvvm.host")
      .addAttr("launches", ArrayAttr::get(ctx, kernels))
      .addAttr("constants", DenseI64ArrayAttr::get(ctx, constants))
      .get();
}


/// The PTX ISA version the kernels are compiled for on `chip` (sm_XY), or
/// 0 for a chip qc has no kernels for.
int ptxVersionFor(StringRef chip) {
  static const std::pair<StringRef, int> table[] = {
      {"sm_80", 71}, {"sm_86", 71}, {"sm_87", 74}, {"sm_89", 78},
      {"sm_90", 80}, {"sm_90a", 80}};
  for (auto [name, version] : table)
    if (chip == name)
      return version;
  return 0;
}

} // namespace

/// The state the NVVM patterns share: the host functions (in the module)
/// and kernels (in its gpu.module) emitted so far, found by spec; the chip;
/// why each matmul left to the reference lowering was left.
struct mlir::qc::NVVMKernelContext {
  NVVMKernelContext(ModuleOp module, StringRef chip, int ptx)
      : module(module), chip(chip.str()), ptx(ptx), hosts(module) {}

  ModuleOp module;
  std::string chip;
  int ptx;
  KernelTable hosts;
  gpu::GPUModuleOp kernels;
  std::optional<KernelTable> device;
  KernelReport report;

  /// The kernel module and its table, created on first use.
  LogicalResult ensureKernelModule(RewriterBase &rewriter) {
    if (kernels)
      return success();
    kernels = getOrCreateKernelModule(rewriter, module,
                                      hosts.getSymbolTable(), ptx);
    if (!kernels)
      return failure();
    device.emplace(kernels);
    return success();
  }

  /// The module's gpu.module @qc_nvvm_kernels with the chip's target.
  gpu::GPUModuleOp getOrCreateKernelModule(RewriterBase &rewriter,
                                           ModuleOp module,
                                           SymbolTable &symbols, int ptx) {
    StringRef name = "qc_nvvm_kernels";
    if (Operation *existing = symbols.lookup(name)) {
      auto gm = dyn_cast<gpu::GPUModuleOp>(existing);
      if (!gm)
        mlir::emitError(module.getLoc(), "convert-qc-to-nvvm: symbol @")
            << name << " is taken by a " << existing->getName();
      return gm;
    }
    MLIRContext *ctx = module.getContext();
    rewriter.modifyOpInPlace(module, [&] {
      module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                      UnitAttr::get(ctx));
    });
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToEnd(module.getBody());
    auto target = NVVM::NVVMTargetAttr::get(
        ctx, /*optLevel=*/3, "nvptx64-nvidia-cuda", chip,
        "+ptx" + std::to_string(ptx));
    auto gm = gpu::GPUModuleOp::create(rewriter, module.getLoc(), name,
                                       rewriter.getArrayAttr({target}));
    symbols.insert(gm);
    return gm;
  }

  /// Where kernels and host functions go, and the names of the kernels
  /// emitted.
  struct Tables {
    KernelTable &hosts, &device;
    gpu::GPUModuleOp kernels;
    SmallVectorImpl<std::string> &emitted;
  };

  /// The kernel of `spec` (human name `name`), built from the spec
  /// attribute alone (nvvm::buildKernelFromSpec) into the gpu.module's body
  /// and listed in `emitted` the first time. Found by spec, never by name.
  gpu::GPUFuncOp getOrBuildKernel(RewriterBase &rewriter, Tables &t,
                                  DictionaryAttr spec, StringRef name) {
    if (auto existing = dyn_cast_or_null<gpu::GPUFuncOp>(t.device.lookup(spec)))
      return existing;
    OpBuilder b(t.kernels.getContext());
    gpu::GPUFuncOp kernel = nvvm::buildKernelFromSpec(
        b, t.kernels.getLoc(), spec, name, *t.kernels.getBody());
    assert(kernel && "a spec from a classified matmul describes a kernel");
    kernel->remove();
    t.device.insert(rewriter, kernel, spec);
    t.emitted.push_back(kernel.getName().str());
    return kernel;
  }

  /// How a host function launches one kernel: {kernel, grid = [x, y],
  /// rows_per_block, threads}, on a grid of (x, y, ceil(M / rows_per_block))
  /// blocks.
  DictionaryAttr launchAttr(Builder &b, gpu::GPUModuleOp kernels,
                            gpu::GPUFuncOp kernel, ArrayRef<int64_t> grid,
                            int64_t rowsPerBlock, int64_t threads) {
    return b.getDictionaryAttr({
        b.getNamedAttr("kernel",
                       SymbolRefAttr::get(kernels.getNameAttr(),
                                          {FlatSymbolRefAttr::get(kernel)})),
        b.getNamedAttr("grid", b.getDenseI64ArrayAttr(grid)),
        b.getNamedAttr("rows_per_block", b.getI64IntegerAttr(rowsPerBlock)),
        b.getNamedAttr("threads", b.getI64IntegerAttr(threads)),
    });
  }

  /// The host function `name` that runs a kernel, declared before
  /// `kernels` with `launch` as its qc.nvvm_launch attribute (its body, with
  /// gpu.launch_func, comes after buffer deallocation, which rejects ops
  /// with unknown memory effects: qc-nvvm-host-functions).
  /// `constants`: the arguments that are compile-time constants, whose
  /// device copies the host function keeps (a `constants` entry of the
  /// launch attribute).
  func::FuncOp getOrDeclareHost(RewriterBase &rewriter, Tables &t,
                                ArrayRef<Attribute> launched,
                                ArrayRef<int64_t> constants, StringRef name,
                                ArrayRef<Type> argTypes,
                                DictionaryAttr launch) {
    MLIRContext *ctx = rewriter.getContext();
    DictionaryAttr spec = getHostSpecAttr(ctx, launched, constants);
    if (auto existing = dyn_cast_or_null<func::FuncOp>(t.hosts.lookup(spec)))
      return existing;
    OpBuilder b(ctx);
    if (!constants.empty()) {
      SmallVector<NamedAttribute> entries(launch.getValue());
      entries.push_back(
          b.getNamedAttr("constants", b.getDenseI64ArrayAttr(constants)));
      launch = b.getDictionaryAttr(entries);
    }
    auto host = func::FuncOp::create(b, t.kernels.getLoc(), name,
                                     b.getFunctionType(argTypes, {}));
    host.setPrivate();
    host->setAttr(kLaunchAttrName, launch);
    t.hosts.insert(rewriter, host, spec);
    // Before the gpu.module, as the host functions' bodies expect.
    host->moveBefore(t.kernels);
    return host;
  }

  func::FuncOp getOrCreateHostFunction(RewriterBase &rewriter, Tables &tables,
                                       const W4A16KernelSpec &spec) {
    using S = W4A16KernelSpec;
    Builder b(rewriter.getContext());
    gpu::GPUModuleOp kernels = tables.kernels;
    Type t = spec.bf16 ? Type(b.getBF16Type()) : b.getF16Type();
    int64_t dyn = ShapedType::kDynamic;
    auto perGroup = MemRefType::get({spec.n, spec.numGroups()}, t);
    SmallVector<Type> args = {
        MemRefType::get({dyn, spec.k}, t),
        MemRefType::get({spec.n * spec.k / 2}, b.getI8Type()), perGroup};
    if (spec.zeroPoints)
      args.push_back(perGroup);
    args.push_back(MemRefType::get({dyn, spec.n}, b.getF32Type()));
    DictionaryAttr kernelSpec = nvvm::getSpecAttr(b.getContext(), spec);
    gpu::GPUFuncOp kernel =
        getOrBuildKernel(rewriter, tables, kernelSpec, spec.name);
    // The weight's bytes and scales are a qc.constant's (classifyW4A16).
    return getOrDeclareHost(
        rewriter, tables, {kernelSpec}, {1, 2}, spec.name + "_host", args,
        launchAttr(b, kernels, kernel, {spec.n / S::blockCols, spec.splitK},
                   S::blockRows, S::threads));
  }

  /// The W8A8 host function; with `quantize`, it takes the float
  /// activations and quantizes them on the GPU first.
  func::FuncOp
  getOrCreateW8A8Host(RewriterBase &rewriter, Tables &t,
                      const nvvm::W8A8KernelSpec &spec,
                      const std::optional<nvvm::QuantizeRowsSpec> &quantize,
                      bool constantWeight) {
    using S = nvvm::W8A8KernelSpec;
    Builder b(rewriter.getContext());
    gpu::GPUModuleOp kernels = t.kernels;
    Type i8 = b.getI8Type(), f32 = b.getF32Type();
    int64_t dyn = ShapedType::kDynamic;
    DictionaryAttr kernelSpec = nvvm::getSpecAttr(b.getContext(), spec);
    SmallVector<Attribute> launched = {kernelSpec};
    gpu::GPUFuncOp kernel =
        getOrBuildKernel(rewriter, t, kernelSpec, spec.name);
    DictionaryAttr launch = launchAttr(b, kernels, kernel,
                                       {spec.n / S::blockCols, 1},
                                       S::blockRows, S::threads);
    SmallVector<Type> args = {MemRefType::get({dyn, spec.k}, i8),
                              MemRefType::get({dyn}, f32)};
    std::string hostName = spec.name + "_host";
    if (quantize) {
      using Q = nvvm::QuantizeRowsSpec;
      DictionaryAttr quantizeSpec = nvvm::getSpecAttr(b.getContext(), *quantize);
      launched.insert(launched.begin(), quantizeSpec);
      gpu::GPUFuncOp qKernel =
          getOrBuildKernel(rewriter, t, quantizeSpec, quantize->name);
      SmallVector<NamedAttribute> entries(launch.getValue());
      entries.push_back(b.getNamedAttr(
          "quantize", launchAttr(b, kernels, qKernel, {1, 1},
                                 Q::rowsPerBlock, Q::threads)));
      launch = b.getDictionaryAttr(entries);
      args = {MemRefType::get({dyn, spec.k},
                              quantize->f16 ? Type(b.getF16Type()) : f32)};
      hostName = spec.name + (quantize->f16 ? "_from_f16" : "_from_f32") +
                 "_host";
    }
    SmallVector<int64_t> constants;
    if (constantWeight)
      constants = {int64_t(args.size()), int64_t(args.size()) + 1};
    args.push_back(MemRefType::get({spec.n, spec.k}, i8));
    args.push_back(MemRefType::get({spec.n}, f32));
    args.push_back(MemRefType::get({dyn, spec.n}, f32));
    return getOrDeclareHost(rewriter, t, launched, constants, hostName, args,
                            launch);
  }

  /// The W8A8 call: the activation's codes and row scales
  /// (qc.disassemble), or with `fused` the float activations the host
  /// function quantizes on the GPU; the weight's bytes as N x K and its row
  /// scales.
  void replaceW8A8(RewriterBase &rewriter, MatmulOp op, func::FuncOp host,
                   bool fused) {
    Location loc = op.getLoc();
    PackedWeight weight = getPackedWeight(rewriter, op.getRhs());
    rewriter.setInsertionPoint(op);
    FunctionType fnType = host.getFunctionType();
    SmallVector<Value> args;
    Value rows;
    if (fused) {
      Value x = op.getLhs().getDefiningOp<QuantizeOp>().getInput();
      args.push_back(x);
      rows = tensor::DimOp::create(rewriter, loc, x, 0);
    } else {
      auto parts = DisassembleOp::create(rewriter, loc, op.getLhs());
      args.push_back(parts.getResult(0));
      args.push_back(parts.getResult(1));
      rows = tensor::DimOp::create(rewriter, loc, parts.getResult(0), 0);
    }
    unsigned next = args.size();
    auto wType = cast<MemRefType>(fnType.getInput(next));
    Value bytes = tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get(wType.getShape(), rewriter.getI8Type()),
        weight.bytes, ArrayRef<ReassociationIndices>{{0, 1}});
    args.push_back(bytes);
    args.push_back(weight.scales);
    Operation *quantize = op.getLhs().getDefiningOp();
    finishCall(rewriter, op, host, args, rows);
    if (fused && quantize->use_empty())
      rewriter.eraseOp(quantize);
  }

  /// op -> the host function's call on its buffers, then bias and
  /// accumulator on the host.
  void replaceW4A16(RewriterBase &rewriter, MatmulOp op, func::FuncOp host,
                    const W4A16KernelSpec &spec) {
    Location loc = op.getLoc();
    PackedWeight weight = getPackedWeight(rewriter, op.getRhs());
    rewriter.setInsertionPoint(op);
    FunctionType fnType = host.getFunctionType();
    SmallVector<Value> args = {op.getLhs(), weight.bytes, weight.scales};
    if (spec.zeroPoints)
      args.push_back(
          codeOffsets(rewriter, loc, weight.zeroPoints, spec.codeOffset,
                      cast<MemRefType>(fnType.getInput(3)).getElementType()));
    Value rows = tensor::DimOp::create(rewriter, loc, op.getLhs(), 0);
    finishCall(rewriter, op, host, args, rows);
  }

  /// The kernel's per-block code offsets: z + codeOffset (integer zero
  /// points, exact in `t` as classifyW4A16 checked) as a tensor of `t`.
  static Value codeOffsets(OpBuilder &b, Location loc, Value zeroPoints,
                           int64_t codeOffset, Type t) {
    auto zType = cast<RankedTensorType>(zeroPoints.getType());
    Value init = tensor::EmptyOp::create(b, loc, zType.getShape(), t);
    AffineMap id = b.getMultiDimIdentityMap(zType.getRank());
    return linalg::GenericOp::create(
               b, loc, init.getType(), zeroPoints, init,
               ArrayRef<AffineMap>{id, id},
               SmallVector<utils::IteratorType>(
                   zType.getRank(), utils::IteratorType::parallel),
               [&](OpBuilder &nb, Location nloc, ValueRange v) {
                 Value z = arith::SIToFPOp::create(nb, nloc, nb.getF32Type(),
                                                   v[0]);
                 Value o = arith::AddFOp::create(
                     nb, nloc, z,
                     arith::ConstantOp::create(
                         nb, nloc, nb.getF32FloatAttr(float(codeOffset))));
                 linalg::YieldOp::create(
                     nb, nloc,
                     Value(arith::TruncFOp::create(nb, nloc, t, o)));
               })
        .getResult(0);
  }

  /// Calls `host` on the tensors `args` and a new `rows` x N f32 output,
  /// then adds the bias and the accumulator on the host; replaces `op`.
  void finishCall(RewriterBase &rewriter, MatmulOp op, func::FuncOp host,
                  ArrayRef<Value> args, Value rows) {
    Location loc = op.getLoc();
    Value result = createKernelCall(rewriter, loc, host, args, rows)[0];
    if (op.getBias() || op.getAccumulate())
      result = addEpilogue(rewriter, loc, result, op.getBias(),
                                op.getAccumulate(), rows);
    if (result.getType() != op.getType())
      result = tensor::CastOp::create(rewriter, loc, op.getType(), result);
    rewriter.replaceOp(op, result);
  }
};

namespace {

/// qc.matmul -> a call of the host function that launches its NVIDIA
/// kernel (W4A16 on #qc_nvvm.mma_fragments weights, W8A8 with the activations'
/// quantization on the GPU when they come from a run-time qc.quantize).
struct MatmulToNVVMKernel : OpRewritePattern<MatmulOp> {
  MatmulToNVVMKernel(MLIRContext *ctx, NVVMKernelContext &state)
      : OpRewritePattern<MatmulOp>(ctx), state(state) {}

  LogicalResult fail(PatternRewriter &rewriter, MatmulOp op,
                     const std::string &why) const {
    return state.report.fail(rewriter, op, why);
  }

  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const override {
    std::string why;
    FailureOr<W4A16KernelSpec> w4 = failure();
    FailureOr<nvvm::W8A8KernelSpec> w8 = failure();
    if (isa<QuantizedTensorType>(op.getLhs().getType())) {
      w8 = classifyW8A8(op, why);
    } else {
      w4 = classifyW4A16(op, why);
      if (succeeded(w4) &&
          !isa_and_present<nvvm::MMAFragmentsLayoutAttr>(
              cast<QuantizedTensorType>(op.getRhs().getType()).getLayout())) {
        why = "the weight is not in #qc_nvvm.mma_fragments order "
              "(qc-nvvm-layout puts constant weights in it)";
        w4 = failure();
      }
      if (succeeded(w4) && !op.getRhs().getDefiningOp<ConstantOp>()) {
        why = "the weight is not a qc.constant";
        w4 = failure();
      }
    }
    if (failed(w4) && failed(w8))
      return fail(rewriter, op, why);
    if (failed(state.ensureKernelModule(rewriter)))
      return fail(rewriter, op, "no kernel module");
    state.report.rewritten(op);
    NVVMKernelContext::Tables tables{state.hosts, *state.device,
                                     state.kernels, state.report.emitted};
    if (succeeded(w4)) {
      state.replaceW4A16(rewriter, op,
                         state.getOrCreateHostFunction(rewriter, tables, *w4),
                         *w4);
      return success();
    }
    std::optional<nvvm::QuantizeRowsSpec> quantize =
        fusedQuantization(op.getLhs());
    state.replaceW8A8(
        rewriter, op,
        state.getOrCreateW8A8Host(
            rewriter, tables, *w8, quantize,
            bool(op.getRhs().getDefiningOp<ConstantOp>())),
        quantize.has_value());
    return success();
  }

  NVVMKernelContext &state;
};

struct ConvertQCToNVVMPass
    : qc::impl::ConvertQCToNVVMBase<ConvertQCToNVVMPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::string error;
    NVVMKernelContextPtr context = createNVVMKernelContext(module, chip, error);
    if (!context) {
      mlir::emitError(module.getLoc(), "convert-qc-to-nvvm: ") << error;
      return signalPassFailure();
    }
    if (failed(verifyConstantBlobs(module)))
      return signalPassFailure();
    // The kernel module's name must be free (or be one).
    if (Operation *taken = SymbolTable::lookupSymbolIn(module,
                                                       "qc_nvvm_kernels");
        taken && !isa<gpu::GPUModuleOp>(taken)) {
      mlir::emitError(module.getLoc(), "convert-qc-to-nvvm: symbol @qc_nvvm_kernels is "
                       "taken by a ")
          << taken->getName();
      return signalPassFailure();
    }
    NVVMKernelContext &state = *context;
    RewritePatternSet patterns(&getContext());
    populateQCToNVVMPatterns(patterns, state);
    SmallVector<Operation *> ops;
    module.walk([&](MatmulOp op) { ops.push_back(op); });
    // The driver takes ops from the back of its list: reversed, it rewrites
    // them (and emits kernels) in program order.
    std::reverse(ops.begin(), ops.end());
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingOps)
        .enableFolding(false)
        .setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    (void)applyOpPatternsGreedily(ops, std::move(patterns), config);
    if (!remarks)
      return;
    state.report.emitRemarks(
        module, "convert-qc-to-nvvm", "NVIDIA", " for " + std::string(chip),
        {"matmul(s)"},
        [](Operation *op) { return isa<MatmulOp>(op) ? 0 : -1; });
  }
};

/// The NVIDIA model of KernelTargetAttrInterface on #nvvm.target.
struct NVVMKernelTargetModel
    : KernelTargetAttrInterface::ExternalModel<NVVMKernelTargetModel,
                                               NVVM::NVVMTargetAttr> {
  FailureOr<DictionaryAttr> getKernelSpec(Attribute attr, Operation *op,
                                          std::string &why) const {
    auto matmul = dyn_cast<MatmulOp>(op);
    if (!matmul) {
      why = "the NVIDIA kernels are for qc.matmul";
      return failure();
    }
    MLIRContext *ctx = attr.getContext();
    if (isa<QuantizedTensorType>(matmul.getLhs().getType())) {
      FailureOr<nvvm::W8A8KernelSpec> w8 = classifyW8A8(matmul, why);
      if (failed(w8))
        return failure();
      return nvvm::getSpecAttr(ctx, *w8);
    }
    FailureOr<W4A16KernelSpec> w4 = classifyW4A16(matmul, why);
    if (failed(w4))
      return failure();
    return nvvm::getSpecAttr(ctx, *w4);
  }

  Operation *buildKernel(Attribute attr, OpBuilder &builder, Location loc,
                         DictionaryAttr spec, StringRef name,
                         Block &body) const {
    return nvvm::buildKernelFromSpec(builder, loc, spec, name, body);
  }

  FailureOr<Type> getKernelWeightType(Attribute attr, Operation *op,
                                      std::string &why) const {
    auto matmul = dyn_cast<MatmulOp>(op);
    if (!matmul) {
      why = "the NVIDIA kernels are for qc.matmul";
      return failure();
    }
    auto type = cast<QuantizedTensorType>(matmul.getRhs().getType());
    // W8A8 reads the row-major bytes; W4A16 the fragment order.
    if (isa<QuantizedTensorType>(matmul.getLhs().getType())) {
      if (failed(classifyW8A8(matmul, why)))
        return failure();
      return Type(type);
    }
    if (failed(classifyW4A16(matmul, why)))
      return failure();
    return Type(
        type.cloneWithLayout(nvvm::MMAFragmentsLayoutAttr::get(attr.getContext())));
  }
};

/// qc-materialize-layouts with an NVIDIA GPU as the target.
struct NVVMLayoutPass : qc::impl::NVVMLayoutBase<NVVMLayoutPass> {
  void getDependentDialects(DialectRegistry &registry) const override {
    NVVMLayoutBase::getDependentDialects(registry);
    registry.insert<NVVM::NVVMDialect>();
    registerNVVMKernelTargetInterface(registry);
  }

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    auto target = NVVM::NVVMTargetAttr::get(ctx);
    if (failed(materializeWeightLayouts(getOperation(), target,
                                        /*remarks=*/false, "qc-nvvm-layout")))
      signalPassFailure();
  }
};

/// The body of each host function convert-qc-to-nvvm declared: device
/// buffers for every argument, the inputs copied in, the output (the last
/// argument) zeroed, the launch on a grid of (x, y, ceil(M / rows_per_block))
/// with M the first argument's rows, the output copied back, the buffers
/// freed. With a `quantize` launch, the first argument is float activations:
/// that kernel first writes their int8 codes and row scales into two more
/// device buffers, which take the activations' place in the main launch.
/// The synchronous gpu ops become one stream (gpu-async-region).
struct NVVMHostFunctionsPass
    : qc::impl::NVVMHostFunctionsBase<NVVMHostFunctionsPass> {
  /// A launch's parts, or failure when `launch` is not a well-formed one.
  struct Launch {
    SymbolRefAttr kernel;
    DenseI64ArrayAttr grid;
    int64_t rowsPerBlock = 0, threads = 0;
  };
  static FailureOr<Launch> parseLaunch(DictionaryAttr launch) {
    if (!launch)
      return failure();
    auto kernel = launch.getAs<SymbolRefAttr>("kernel");
    auto grid = launch.getAs<DenseI64ArrayAttr>("grid");
    auto rowsPerBlock = launch.getAs<IntegerAttr>("rows_per_block");
    auto threads = launch.getAs<IntegerAttr>("threads");
    if (!kernel || !grid || grid.size() != 2 || !rowsPerBlock ||
        !threads || rowsPerBlock.getInt() < 1 || threads.getInt() < 1)
      return failure();
    return Launch{kernel, grid, rowsPerBlock.getInt(), threads.getInt()};
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    module.walk([&](func::FuncOp host) {
      auto attr = host->getAttrOfType<DictionaryAttr>(kLaunchAttrName);
      if (!attr || !host.isExternal())
        return;
      FailureOr<Launch> main = parseLaunch(attr);
      FailureOr<Launch> quantize = failure();
      Attribute quantizeAttr = attr.get("quantize");
      if (quantizeAttr)
        quantize = parseLaunch(dyn_cast<DictionaryAttr>(quantizeAttr));
      auto type = host.getFunctionType();
      // The constant arguments: inputs (not the output) of static shapes.
      SmallVector<int64_t> constants;
      bool constantsOk = true;
      if (Attribute c = attr.get("constants")) {
        auto list = dyn_cast<DenseI64ArrayAttr>(c);
        constantsOk = bool(list);
        if (list)
          for (int64_t i : list.asArrayRef()) {
            constantsOk &= i >= 0 && i + 1 < int64_t(type.getNumInputs()) &&
                           isa<MemRefType>(type.getInput(i)) &&
                           cast<MemRefType>(type.getInput(i))
                               .hasStaticShape() &&
                           cast<MemRefType>(type.getInput(i))
                               .getLayout()
                               .isIdentity();
            constants.push_back(i);
          }
      }
      if (failed(main) || (quantizeAttr && failed(quantize)) ||
          !constantsOk || type.getNumInputs() < 2 ||
          !llvm::all_of(type.getInputs(), llvm::IsaPred<MemRefType>) ||
          (quantizeAttr &&
           cast<MemRefType>(type.getInput(0)).getRank() != 2)) {
        host.emitError("qc-nvvm-host-functions: malformed ")
            << kLaunchAttrName << " " << attr;
        return signalPassFailure();
      }
      writeBody(host, *main, succeeded(quantize) ? &*quantize : nullptr,
                constants);
    });
  }

  /// The device copy of the constant host buffer `host` (a static memref
  /// with the identity layout): qcCudaConstant(pointer, bytes) uploads it
  /// the first time it sees that address and returns the same device
  /// pointer ever after; the device buffer is a memref descriptor over it.
  static Value deviceConstant(OpBuilder &b, Location loc, ModuleOp module,
                              Value host) {
    MLIRContext *ctx = b.getContext();
    auto type = cast<MemRefType>(host.getType());
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    Type i64 = b.getI64Type();
    StringRef name = "qcCudaConstant";
    if (!module.lookupSymbol(name)) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(module.getBody());
      func::FuncOp::create(b, loc, name, b.getFunctionType({ptr, i64}, {ptr}))
          .setPrivate();
    }
    Value address = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, host);
    Value hostPtr = LLVM::IntToPtrOp::create(
        b, loc, ptr, Value(arith::IndexCastOp::create(b, loc, i64, address)));
    int64_t bytes = type.getNumElements() *
                    int64_t(type.getElementTypeBitWidth() / 8);
    Value size = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(bytes));
    Value device = func::CallOp::create(b, loc, name, TypeRange{ptr},
                                        ValueRange{hostPtr, size})
                       .getResult(0);
    // {allocated, aligned, offset, sizes, strides}, as the LLVM lowering
    // lays out a memref.
    int64_t rank = type.getRank();
    SmallVector<Type> fields = {ptr, ptr, i64};
    if (rank > 0)
      fields.append(2, LLVM::LLVMArrayType::get(i64, rank));
    auto descType = LLVM::LLVMStructType::getLiteral(ctx, fields);
    Value desc = LLVM::PoisonOp::create(b, loc, descType);
    auto insert = [&](Value v, ArrayRef<int64_t> pos) {
      desc = LLVM::InsertValueOp::create(b, loc, desc, v, pos);
    };
    auto constant = [&](int64_t v) -> Value {
      return LLVM::ConstantOp::create(b, loc, i64, v);
    };
    insert(device, {0});
    insert(device, {1});
    insert(constant(0), {2});
    SmallVector<int64_t> strides = computeSuffixProduct(type.getShape());
    for (int64_t d = 0; d < rank; ++d) {
      insert(constant(type.getDimSize(d)), {3, d});
      insert(constant(strides[d]), {4, d});
    }
    return UnrealizedConversionCastOp::create(b, loc, type, desc).getResult(0);
  }

  void writeBody(func::FuncOp host, const Launch &main,
                 const Launch *quantize, ArrayRef<int64_t> constants) {
    Location loc = host.getLoc();
    Block *body = host.addEntryBlock();
    host.setPrivate();
    host->removeAttr(kLaunchAttrName);
    OpBuilder b = OpBuilder::atBlockBegin(body);
    auto idx = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, loc, v);
    };
    Value rows = memref::DimOp::create(b, loc, body->getArgument(0), 0);
    // With no rows there is nothing to launch, copy or allocate (a grid
    // with a zero dimension is a driver error).
    Value nonEmpty = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                           rows, idx(0));
    auto ifRows = scf::IfOp::create(b, loc, nonEmpty, /*withElse=*/false);
    func::ReturnOp::create(b, loc);
    b.setInsertionPoint(ifRows.thenBlock()->getTerminator());
    auto module = host->getParentOfType<ModuleOp>();
    auto alloc = [&](MemRefType type, ValueRange dynamicSizes) -> Value {
      return gpu::AllocOp::create(b, loc, type, Type(), ValueRange(),
                                  dynamicSizes, ValueRange())
          .getMemref();
    };
    SmallVector<Value> device;
    SmallVector<Value> resident;
    for (BlockArgument arg : body->getArguments()) {
      auto type = cast<MemRefType>(arg.getType());
      if (llvm::is_contained(constants, int64_t(arg.getArgNumber()))) {
        device.push_back(deviceConstant(b, loc, module, arg));
        resident.push_back(device.back());
        continue;
      }
      SmallVector<Value> sizes;
      for (int64_t d = 0; d < type.getRank(); ++d)
        if (type.isDynamicDim(d))
          sizes.push_back(memref::DimOp::create(b, loc, arg, d));
      device.push_back(alloc(type, sizes));
      if (arg.getArgNumber() + 1 < body->getNumArguments())
        gpu::MemcpyOp::create(b, loc, Type(), ValueRange(), device.back(),
                              arg);
    }
    auto yType = cast<MemRefType>(device.back().getType());
    gpu::MemsetOp::create(
        b, loc, Type(), ValueRange(), device.back(),
        arith::ConstantOp::create(
            b, loc, b.getFloatAttr(yType.getElementType(), 0)));
    auto launch = [&](const Launch &l, ArrayRef<Value> args) {
      Value rowBlocks =
          arith::CeilDivUIOp::create(b, loc, rows, idx(l.rowsPerBlock));
      gpu::LaunchFuncOp::create(
          b, loc, l.kernel,
          gpu::KernelDim3{idx(l.grid[0]), idx(l.grid[1]), rowBlocks},
          gpu::KernelDim3{idx(l.threads), idx(1), idx(1)}, Value(), args,
          Type());
    };
    // Kernel arguments: byte buffers are read as 32-bit words.
    SmallVector<Value> kernelArgs;
    for (Value buffer : device) {
      auto type = cast<MemRefType>(buffer.getType());
      if (type.getElementType().isInteger(8) && type.getRank() == 1)
        buffer = memref::ViewOp::create(
            b, loc,
            MemRefType::get({type.getDimSize(0) / 4}, b.getI32Type()),
            buffer, idx(0), ValueRange());
      kernelArgs.push_back(buffer);
    }
    SmallVector<Value> scratch;
    if (quantize) {
      auto xType = cast<MemRefType>(device.front().getType());
      int64_t dyn = ShapedType::kDynamic;
      Value codes = alloc(
          MemRefType::get({dyn, xType.getDimSize(1)}, b.getI8Type()), rows);
      Value scales = alloc(MemRefType::get({dyn}, b.getF32Type()), rows);
      launch(*quantize, {device.front(), codes, scales});
      kernelArgs.erase(kernelArgs.begin());
      kernelArgs.insert(kernelArgs.begin(), {codes, scales});
      scratch = {codes, scales};
    }
    launch(main, kernelArgs);
    gpu::MemcpyOp::create(b, loc, Type(), ValueRange(),
                          body->getArguments().back(), device.back());
    for (Value buffer : llvm::concat<Value>(device, scratch))
      if (!llvm::is_contained(resident, buffer))
        gpu::DeallocOp::create(b, loc, Type(), ValueRange(), buffer);
  }
};

} // namespace

void mlir::qc::populateQCToNVVMPatterns(RewritePatternSet &patterns,
                                        NVVMKernelContext &context) {
  patterns.add<MatmulToNVVMKernel>(patterns.getContext(), context);
}

NVVMKernelContextPtr mlir::qc::createNVVMKernelContext(ModuleOp module,
                                                       StringRef chip,
                                                       std::string &error) {
  int ptx = ptxVersionFor(chip);
  if (ptx == 0) {
    error = ("unknown chip '" + chip +
             "'; the kernels need one of sm_80, sm_86, sm_87, sm_89, sm_90, "
             "sm_90a")
                .str();
    return nullptr;
  }
  return NVVMKernelContextPtr(new NVVMKernelContext(module, chip, ptx));
}

void mlir::qc::NVVMKernelContextDeleter::operator()(
    NVVMKernelContext *c) const {
  delete c;
}

void mlir::qc::registerNVVMKernelTargetInterface(DialectRegistry &registry) {
  registry.insert<nvvm::QCNVVMDialect>();
  registry.addExtension(+[](MLIRContext *ctx, NVVM::NVVMDialect *) {
    NVVM::NVVMTargetAttr::attachInterface<NVVMKernelTargetModel>(*ctx);
    // The model creates #qc_nvvm.mma_fragments (as a transform dialect
    // extension declares the dialects it generates).
    ctx->getOrLoadDialect<nvvm::QCNVVMDialect>();
  });
}
