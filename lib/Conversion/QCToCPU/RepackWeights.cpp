//===- RepackWeights.cpp - constant weights in their kernel's layout ------===//
//
// qc-cpu-repack-weights: asks KernelSelection which kernel each matmul with
// a constant packed weight gets and rewrites the weight into the layout
// that kernel reads best (#qc.tiled, #qc.bit_planes) and with f32 scales.
//
//===----------------------------------------------------------------------===//

#include "qc/Conversion/Passes.h"

#include "qc/Conversion/KernelCommon/KernelCall.h"
#include "KernelSelection.h"
#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Numerics/Packing.h"
#include "qc/Utils/ConstantUtils.h"

#include "mlir/IR/BuiltinOps.h"

namespace mlir::qc {
#define GEN_PASS_DEF_REPACKCPUWEIGHTS
#include "qc/Conversion/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;

namespace {

struct RepackCPUWeightsPass
    : mlir::qc::impl::RepackCPUWeightsBase<RepackCPUWeightsPass> {
  void runOnOperation() override {
    // A dense_resource blob whose size is not its type's is an error here,
    // before anything reads it.
    FailureOr<SmallVector<MatmulOp>> matmuls =
        matmulsWithRowMajorConstants(getOperation());
    if (failed(matmuls))
      return signalPassFailure();
    OpBuilder b(&getContext());
    for (MatmulOp op : *matmuls) {
      auto constant = op.getRhs().getDefiningOp<ConstantOp>();
      std::string why;
      FailureOr<cpu::KernelSpec> spec = cpu::classifyMatmul(op, why);
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
                         "packed codes, left as is: ")
              << whyUnreadable(codes);
          continue;
        }
        std::vector<uint8_t> repacked;
        if (auto tiled = dyn_cast<TiledLayoutAttr>(layout)) {
          repacked = ::mlir::qc::numerics::tileRows(
              bytes->data(), type.getShape()[0], type.getPackedRowBytes(),
              tiled.getRows(), tiled.getChunkBytes());
        } else {
          auto planes = cast<BitPlanesAttr>(layout);
          int64_t count = ShapedType::getNumElements(type.getShape());
          repacked = ::mlir::qc::numerics::packBitPlanes(
              ::mlir::qc::numerics::unpackCodes(bytes->data(), count,
                                          type.getGrid().getCodeBits()),
              planes.getWidthVector());
        }
        codes = createBlobAttr(
            cast<ShapedType>(codes.getType()), "qc_codes",
            ArrayRef<char>(reinterpret_cast<const char *>(repacked.data()),
                           repacked.size()),
            8);
      }
      Type scaleType = type.getScaleType();
      if (widen) {
        FailureOr<std::vector<float>> values = readFloatValues(scales);
        if (failed(values)) {
          op.emitWarning("qc-cpu-repack-weights: cannot read the weight's "
                         "scales, left as is: ")
              << whyUnreadable(scales);
          continue;
        }
        scaleType = b.getF32Type();
        scales = createBlobAttr(
            RankedTensorType::get(cast<ShapedType>(scales.getType()).getShape(),
                                  scaleType),
            "qc_scales",
            ArrayRef<char>(reinterpret_cast<const char *>(values->data()),
                           values->size() * sizeof(float)),
            8);
      }
      b.setInsertionPoint(constant);
      auto newType = QuantizedTensorType::get(
          &getContext(), type.getShape(), type.getGrid(),
          type.getGranularity(), scaleType, type.getZeroPointType(),
          type.getOuterGranularity(), type.getOuterScaleType(),
          layout ? cast<LayoutAttrInterface>(layout) : type.getLayout(),
          type.getRotation(),
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
