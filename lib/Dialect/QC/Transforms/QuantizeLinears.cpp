//===- QuantizeLinears.cpp - Quantize every float Linear layer ------------===//
//
// qc-quantize-linears: one format for every float Linear layer that is not
// skipped. Every layer is checked before any is rewritten.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/Transforms/Passes.h"

#include "LinearLayers.h"

#include "qc/Dialect/QC/IR/QCDialect.h"

namespace mlir::qc {
#define GEN_PASS_DEF_QUANTIZELINEARS
#include "qc/Dialect/QC/Transforms/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;

namespace {

struct QuantizeLinearsPass
    : mlir::qc::impl::QuantizeLinearsBase<QuantizeLinearsPass> {
  using QuantizeLinearsBase::QuantizeLinearsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (StringRef(weightFormat).trim().empty()) {
      module.emitError("qc-quantize-linears: give the weights' format, "
                       "weight-format=\"#qc.int<s4>, f16 "
                       "#qc.per_block<[1, 128]>\"");
      return signalPassFailure();
    }
    FailureOr<SmallVector<linear::Format>> formats = linear::parseFormats(
        module, "weight-format", weightFormat, actFormat);
    if (failed(formats))
      return signalPassFailure();
    if (formats->size() != 1) {
      module.emitError("qc-quantize-linears: weight-format names ")
          << formats->size()
          << " formats; one format for every layer is all this pass does "
             "(qc-allocate-bits chooses among several under a budget)";
      return signalPassFailure();
    }
    FailureOr<SmallVector<linear::Layer>> layers =
        linear::collectLayers(module, skip);
    if (failed(layers))
      return signalPassFailure();
    for (bool apply : {false, true})
      for (const linear::Layer &layer : *layers)
        if (failed(linear::quantizeLayer(layer, formats->front(), method,
                                         apply)))
          return signalPassFailure();
    if (remarks)
      for (const linear::Layer &layer : *layers)
        layer.matmul.emitRemark("qc-quantize-linears: '")
            << layer.name << "' quantized as " << formats->front().text;
  }
};

} // namespace
