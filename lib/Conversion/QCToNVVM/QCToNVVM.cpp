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

#include "W4A16Kernel.h"
#include "../QCToCPU/KernelCall.h"
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
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

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
  if (!a.getElementType().isF16()) {
    os << "activations are " << a.getElementType()
       << "; the W4A16 kernel reads f16";
    return failure();
  }
  if (!op.getType().getElementType().isF32()) {
    os << "the result is " << op.getType().getElementType()
       << "; the kernel accumulates and writes f32";
    return failure();
  }
  auto grid = dyn_cast<IntGridAttr>(w.getGrid());
  if (!grid || grid.getWidth() != 4 || !grid.getIsSigned() ||
      grid.getNarrow()) {
    os << "weight grid " << w.getGrid() << " is not #qc.int<s4>";
    return failure();
  }
  auto blocks = dyn_cast<PerBlockAttr>(w.getGranularity());
  if (!blocks || blocks.getBlockSizes() != ArrayRef<int64_t>{1, 128} ||
      !w.getScaleType().isF16()) {
    os << "weight scales are " << w.getScaleType() << " "
       << w.getGranularity() << "; the kernel reads f16 per 1 x 128 block";
    return failure();
  }
  if (w.hasZeroPoints() || w.hasOuterScales() || w.getRotation()) {
    os << "weights with zero points, outer scales or a rotation have no "
          "NVIDIA kernel yet";
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
  if (w.getLayout() && !isa<MMAFragmentsLayoutAttr>(w.getLayout())) {
    os << "weight layout " << w.getLayout()
       << " is not the kernel's #qc.mma_fragments";
    return failure();
  }
  return nvvm::makeW4A16Spec(n, k);
}

struct NVVMLayoutPass : qc::impl::NVVMLayoutBase<NVVMLayoutPass> {
  void runOnOperation() override {
    if (failed(verifyConstantBlobs(getOperation())))
      return signalPassFailure();
    SmallVector<MatmulOp> matmuls;
    getOperation().walk([&](MatmulOp op) { matmuls.push_back(op); });
    OpBuilder b(&getContext());
    for (MatmulOp op : matmuls) {
      auto constant = op.getRhs().getDefiningOp<ConstantOp>();
      if (!constant || !constant.hasPackedCodes() ||
          constant.getType().getLayout())
        continue;
      std::string why;
      if (failed(classifyW4A16(op, why)))
        continue;
      QuantizedTensorType type = constant.getType();
      FailureOr<std::vector<uint8_t>> bytes = readBytes(constant.getCodes());
      if (failed(bytes)) {
        op.emitWarning("qc-nvvm-layout: cannot read the weight's packed "
                       "codes, left as is: ")
            << whyUnreadable(constant.getCodes());
        continue;
      }
      int64_t n = type.getShape()[0], k = type.getShape()[1];
      std::vector<uint8_t> repacked = numerics::packMMAFragments(
          numerics::unpackCodes(bytes->data(), n * k, 4), n, k,
          /*offsetBinary=*/true);
      ElementsAttr codes = createBlobAttr(
          cast<ShapedType>(constant.getCodes().getType()), "qc_codes",
          ArrayRef<char>(reinterpret_cast<const char *>(repacked.data()),
                         repacked.size()),
          16);
      auto newType = QuantizedTensorType::get(
          &getContext(), type.getShape(), type.getGrid(),
          type.getGranularity(), type.getScaleType(), type.getZeroPointType(),
          type.getOuterGranularity(), type.getOuterScaleType(),
          MMAFragmentsLayoutAttr::get(&getContext()), type.getRotation(),
          type.getRotationAxis());
      b.setInsertionPoint(constant);
      auto replacement = ConstantOp::create(
          b, constant.getLoc(), newType, codes, constant.getScales(),
          constant.getZeroPointsAttr(), constant.getOuterScalesAttr());
      op.getRhsMutable().assign(replacement);
      if (constant->use_empty())
        constant.erase();
    }
  }
};

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

struct ConvertQCToNVVMPass
    : qc::impl::ConvertQCToNVVMBase<ConvertQCToNVVMPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    int ptx = ptxVersionFor(chip);
    if (ptx == 0) {
      module.emitError("convert-qc-to-nvvm: unknown chip '")
          << chip << "'; the kernels need one of sm_80, sm_86, sm_87, "
          << "sm_89, sm_90, sm_90a";
      return signalPassFailure();
    }
    if (failed(verifyConstantBlobs(module)))
      return signalPassFailure();
    SmallVector<MatmulOp> matmuls;
    module.walk([&](MatmulOp op) { matmuls.push_back(op); });
    SymbolTable symbols(module);
    gpu::GPUModuleOp kernels;
    SmallVector<std::string> emitted;
    int64_t left = 0;
    IRRewriter rewriter(&getContext());
    for (MatmulOp op : matmuls) {
      std::string why;
      FailureOr<W4A16KernelSpec> spec = classifyW4A16(op, why);
      if (succeeded(spec) &&
          !isa_and_present<MMAFragmentsLayoutAttr>(
              cast<QuantizedTensorType>(op.getRhs().getType()).getLayout())) {
        why = "the weight is not in #qc.mma_fragments order "
              "(qc-nvvm-layout puts constant weights in it)";
        spec = failure();
      }
      if (succeeded(spec) && !op.getRhs().getDefiningOp<ConstantOp>()) {
        why = "the weight is not a qc.constant";
        spec = failure();
      }
      if (failed(spec)) {
        ++left;
        if (remarks)
          op->emitRemark("no NVIDIA kernel, left to the reference lowering: ")
              << why;
        continue;
      }
      if (!kernels) {
        kernels = getOrCreateKernelModule(module, symbols, ptx);
        if (!kernels)
          return signalPassFailure();
      }
      func::FuncOp host = getOrCreateHostFunction(module, symbols, kernels,
                                                  *spec, emitted);
      replaceMatmul(rewriter, op, host);
    }
    if (remarks) {
      InFlightDiagnostic summary = module.emitRemark("convert-qc-to-nvvm: ");
      summary << emitted.size() << " kernel(s) emitted for " << chip;
      if (!emitted.empty()) {
        summary << " (";
        llvm::interleaveComma(emitted, summary);
        summary << ")";
      }
      summary << "; " << left << " matmul(s) left to the reference lowering";
    }
  }

  /// The module's gpu.module @qc_nvvm_kernels with the chip's target.
  gpu::GPUModuleOp getOrCreateKernelModule(ModuleOp module,
                                           SymbolTable &symbols, int ptx) {
    StringRef name = "qc_nvvm_kernels";
    if (Operation *existing = symbols.lookup(name)) {
      auto gm = dyn_cast<gpu::GPUModuleOp>(existing);
      if (!gm)
        module.emitError("convert-qc-to-nvvm: symbol @")
            << name << " is taken by a " << existing->getName();
      return gm;
    }
    MLIRContext *ctx = module.getContext();
    module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                    UnitAttr::get(ctx));
    OpBuilder b(ctx);
    b.setInsertionPointToEnd(module.getBody());
    auto target = NVVM::NVVMTargetAttr::get(
        ctx, /*optLevel=*/3, "nvptx64-nvidia-cuda", chip,
        "+ptx" + std::to_string(ptx));
    auto gm = gpu::GPUModuleOp::create(b, module.getLoc(), name,
                                       b.getArrayAttr({target}));
    symbols.insert(gm);
    return gm;
  }

  /// The host function that runs kernel `spec`: a declaration here (its
  /// body, with gpu.launch_func, comes after buffer deallocation, which
  /// rejects ops with unknown memory effects: qc-nvvm-host-functions),
  /// saying which kernel it launches and on what grid.
  func::FuncOp getOrCreateHostFunction(ModuleOp module, SymbolTable &symbols,
                                       gpu::GPUModuleOp kernels,
                                       const W4A16KernelSpec &spec,
                                       SmallVectorImpl<std::string> &emitted) {
    std::string hostName = spec.name + "_host";
    if (auto existing = symbols.lookup<func::FuncOp>(hostName))
      return existing;
    Location loc = module.getLoc();
    OpBuilder b(module.getContext());
    gpu::GPUFuncOp kernel =
        nvvm::buildW4A16Kernel(b, loc, *kernels.getBody(), spec);
    emitted.push_back(spec.name);

    Type f16 = b.getF16Type(), f32 = b.getF32Type();
    int64_t dyn = ShapedType::kDynamic;
    auto aType = MemRefType::get({dyn, spec.k}, f16);
    auto wType = MemRefType::get({spec.n * spec.k / 2}, b.getI8Type());
    auto sType = MemRefType::get({spec.n, spec.numGroups()}, f16);
    auto yType = MemRefType::get({dyn, spec.n}, f32);
    b.setInsertionPoint(kernels);
    auto host = func::FuncOp::create(
        b, loc, hostName, b.getFunctionType({aType, wType, sType, yType}, {}));
    host.setPrivate();
    host->setAttr(kLaunchAttrName,
                  b.getDictionaryAttr({
                      b.getNamedAttr("kernel",
                                     SymbolRefAttr::get(
                                         kernels.getNameAttr(),
                                         {FlatSymbolRefAttr::get(kernel)})),
                      b.getNamedAttr("grid",
                                     b.getDenseI64ArrayAttr(
                                         {spec.n / W4A16KernelSpec::blockCols,
                                          spec.splitK})),
                      b.getNamedAttr("rows_per_block",
                                     b.getI64IntegerAttr(
                                         W4A16KernelSpec::blockRows)),
                      b.getNamedAttr("threads",
                                     b.getI64IntegerAttr(
                                         W4A16KernelSpec::threads)),
                  }));
    symbols.insert(host);
    return host;
  }

  /// op -> the host function's call on its buffers, then bias and
  /// accumulator on the host.
  void replaceMatmul(IRRewriter &rewriter, MatmulOp op, func::FuncOp host) {
    Location loc = op.getLoc();
    cpu::PackedWeight weight = cpu::getPackedWeight(rewriter, op.getRhs());
    rewriter.setInsertionPoint(op);
    FunctionType fnType = host.getFunctionType();
    Value a = cpu::kernelArgument(rewriter, loc, op.getLhs(),
                                  fnType.getInput(0));
    Value w = cpu::kernelArgument(rewriter, loc, weight.bytes,
                                  fnType.getInput(1));
    Value s = cpu::kernelArgument(rewriter, loc, weight.scales,
                                  fnType.getInput(2));
    Value rows = tensor::DimOp::create(rewriter, loc, op.getLhs(), 0);
    Value y = memref::AllocOp::create(
        rewriter, loc, cast<MemRefType>(fnType.getInput(3)), ValueRange{rows});
    func::CallOp::create(rewriter, loc, host, ValueRange{a, w, s, y});
    int64_t n = cast<MemRefType>(fnType.getInput(3)).getDimSize(1);
    Value result = cpu::kernelResult(
        rewriter, loc, y,
        RankedTensorType::get({ShapedType::kDynamic, n}, rewriter.getF32Type()));
    if (op.getBias() || op.getAccumulate())
      result = cpu::addEpilogue(rewriter, loc, result, op.getBias(),
                                op.getAccumulate(), rows);
    if (result.getType() != op.getType())
      result = tensor::CastOp::create(rewriter, loc, op.getType(), result);
    rewriter.replaceOp(op, result);
  }
};

/// The body of each host function convert-qc-to-nvvm declared: device
/// buffers for every argument, the inputs copied in, the output (the last
/// argument) zeroed, the launch on a grid of (x, y, ceil(M / rows_per_block))
/// with M the first argument's rows, the output copied back, the buffers
/// freed. The synchronous gpu ops become one stream (gpu-async-region).
struct NVVMHostFunctionsPass
    : qc::impl::NVVMHostFunctionsBase<NVVMHostFunctionsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    module.walk([&](func::FuncOp host) {
      auto launch = host->getAttrOfType<DictionaryAttr>(kLaunchAttrName);
      if (!launch || !host.isExternal())
        return;
      auto kernel = launch.getAs<SymbolRefAttr>("kernel");
      auto grid = launch.getAs<DenseI64ArrayAttr>("grid");
      auto rowsPerBlock = launch.getAs<IntegerAttr>("rows_per_block");
      auto threads = launch.getAs<IntegerAttr>("threads");
      if (!kernel || !grid || grid.size() != 2 || !rowsPerBlock || !threads ||
          host.getNumArguments() < 2) {
        host.emitError("qc-nvvm-host-functions: malformed ")
            << kLaunchAttrName << " " << launch;
        return signalPassFailure();
      }
      Location loc = host.getLoc();
      Block *body = host.addEntryBlock();
      host.setPrivate();
      host->removeAttr(kLaunchAttrName);
      OpBuilder b = OpBuilder::atBlockBegin(body);
      auto idx = [&](int64_t v) -> Value {
        return arith::ConstantIndexOp::create(b, loc, v);
      };
      Value rows = memref::DimOp::create(b, loc, body->getArgument(0), 0);
      SmallVector<Value> device;
      for (BlockArgument arg : body->getArguments()) {
        auto type = cast<MemRefType>(arg.getType());
        SmallVector<Value> sizes;
        for (int64_t d = 0; d < type.getRank(); ++d)
          if (type.isDynamicDim(d))
            sizes.push_back(memref::DimOp::create(b, loc, arg, d));
        device.push_back(gpu::AllocOp::create(b, loc, type, Type(),
                                              ValueRange(), sizes,
                                              ValueRange())
                             .getMemref());
        if (arg.getArgNumber() + 1 < body->getNumArguments())
          gpu::MemcpyOp::create(b, loc, Type(), ValueRange(), device.back(),
                                arg);
      }
      auto yType = cast<MemRefType>(device.back().getType());
      gpu::MemsetOp::create(
          b, loc, Type(), ValueRange(), device.back(),
          arith::ConstantOp::create(
              b, loc, b.getFloatAttr(yType.getElementType(), 0)));
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
      Value rowBlocks =
          arith::CeilDivUIOp::create(b, loc, rows, idx(rowsPerBlock.getInt()));
      gpu::LaunchFuncOp::create(
          b, loc, kernel,
          gpu::KernelDim3{idx(grid[0]), idx(grid[1]), rowBlocks},
          gpu::KernelDim3{idx(threads.getInt()), idx(1), idx(1)}, Value(),
          kernelArgs, Type());
      gpu::MemcpyOp::create(b, loc, Type(), ValueRange(),
                            body->getArguments().back(), device.back());
      for (Value buffer : device)
        gpu::DeallocOp::create(b, loc, Type(), ValueRange(), buffer);
      func::ReturnOp::create(b, loc);
    });
  }
};

} // namespace
