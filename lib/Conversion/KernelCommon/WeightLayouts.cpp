//===- WeightLayouts.cpp - weights in the storage kernels read ------------===//
//
// qc-materialize-layouts and materializeWeightLayouts: one loop for every
// target; the target says which type its kernel reads a weight in, the
// layout attribute says how to pack codes into it.
//
//===----------------------------------------------------------------------===//

#include "qc/Conversion/KernelCommon/WeightLayouts.h"

#include "qc/Conversion/KernelCommon/KernelCall.h"
#include "qc/Conversion/Passes.h"
#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Numerics/Packing.h"
#include "qc/Utils/ConstantUtils.h"

namespace mlir::qc {
#define GEN_PASS_DEF_MATERIALIZELAYOUTS
#include "qc/Conversion/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;

/// Whether `to` is `from` with only the layout and the scale type changed
/// (what a repacking can do without requantizing).
static bool isStorageChangeOf(QuantizedTensorType from,
                              QuantizedTensorType to) {
  return from.getShape() == to.getShape() && from.getGrid() == to.getGrid() &&
         from.getGranularity() == to.getGranularity() &&
         from.getZeroPointType() == to.getZeroPointType() &&
         from.getOuterGranularity() == to.getOuterGranularity() &&
         from.getOuterScaleType() == to.getOuterScaleType() &&
         from.getRotation() == to.getRotation() &&
         (from.getScaleType() == to.getScaleType() ||
          to.getScaleType().isF32());
}

LogicalResult mlir::qc::materializeWeightLayouts(
    Operation *root, KernelTargetAttrInterface target, RewriterBase &rewriter,
    bool remarks, StringRef pass) {
  // A dense_resource blob whose size is not its type's is an error here,
  // before anything reads it.
  FailureOr<SmallVector<MatmulOp>> matmuls =
      matmulsWithRowMajorConstants(root);
  if (failed(matmuls))
    return failure();
  for (MatmulOp op : *matmuls) {
    auto constant = op.getRhs().getDefiningOp<ConstantOp>();
    QuantizedTensorType type = constant.getType();
    std::string why;
    FailureOr<Type> wanted = target.getKernelWeightType(op, why);
    if (failed(wanted)) {
      if (remarks)
        op.emitRemark(pass) << ": weight left as it is: " << why;
      continue;
    }
    auto want = dyn_cast<QuantizedTensorType>(*wanted);
    if (!want || !isStorageChangeOf(type, want))
      return op.emitError(pass) << ": target "
             << target << " asks for the weight as " << *wanted
             << ", which is not a storage change of " << type;
    if (want == type)
      continue;
    ElementsAttr codes = constant.getCodes(), scales = constant.getScales();
    if (want.getLayout() != type.getLayout()) {
      FailureOr<std::vector<uint8_t>> bytes = readBytes(codes);
      if (failed(bytes)) {
        op.emitWarning(pass)
            << ": cannot read the weight's packed codes, left as is: "
            << whyUnreadable(codes);
        continue;
      }
      std::vector<uint8_t> repacked = want.getLayout().packCodes(
          numerics::unpackCodes(bytes->data(),
                                ShapedType::getNumElements(type.getShape()),
                                type.getGrid().getCodeBits()),
          type.getShape(), type.getGrid());
      codes = createBlobAttr(
          cast<ShapedType>(codes.getType()), "qc_codes",
          ArrayRef<char>(reinterpret_cast<const char *>(repacked.data()),
                         repacked.size()),
          16);
    }
    if (want.getScaleType() != type.getScaleType()) {
      FailureOr<std::vector<float>> values = readFloatValues(scales);
      if (failed(values)) {
        op.emitWarning(pass)
            << ": cannot read the weight's scales, left as is: "
            << whyUnreadable(scales);
        continue;
      }
      scales = createBlobAttr(
          RankedTensorType::get(cast<ShapedType>(scales.getType()).getShape(),
                                want.getScaleType()),
          "qc_scales",
          ArrayRef<char>(reinterpret_cast<const char *>(values->data()),
                         values->size() * sizeof(float)),
          8);
    }
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(constant);
    auto replacement = ConstantOp::create(
        rewriter, constant.getLoc(), want, codes, scales,
        constant.getZeroPointsAttr(), constant.getOuterScalesAttr());
    rewriter.modifyOpInPlace(op,
                             [&] { op.getRhsMutable().assign(replacement); });
    if (constant->use_empty())
      rewriter.eraseOp(constant);
  }
  return success();
}

LogicalResult mlir::qc::materializeWeightLayouts(Operation *root,
                                                Attribute target, bool remarks,
                                                StringRef pass) {
  auto kernels = dyn_cast<KernelTargetAttrInterface>(target);
  if (!kernels)
    return root->emitError(pass)
           << ": " << target
           << " is no target qc has kernels for here (its back end's "
              "KernelTargetAttrInterface model is not registered: "
              "registerCPUKernelTargetInterface, "
              "registerNVVMKernelTargetInterface)";
  IRRewriter rewriter(root->getContext());
  return materializeWeightLayouts(root, kernels, rewriter, remarks, pass);
}

namespace {

struct MaterializeLayoutsPass
    : mlir::qc::impl::MaterializeLayoutsBase<MaterializeLayoutsPass> {
  using MaterializeLayoutsBase::MaterializeLayoutsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    Attribute attr = module->getAttr(kTargetAttrName);
    if (!attr) {
      module.emitError("qc-materialize-layouts: the module has no ")
          << kTargetAttrName
          << " attribute naming its target (#llvm.target<...> for a CPU, "
             "#nvvm.target<...> for an NVIDIA GPU)";
      return signalPassFailure();
    }
    if (failed(materializeWeightLayouts(module, attr, remarks,
                                        "qc-materialize-layouts")))
      signalPassFailure();
  }
};

} // namespace
