//===- QuantizeLinears.cpp - Quantize every float Linear layer ------------===//
//
// qc-quantize-linears: one format for every float Linear layer that is not
// skipped. Every layer is checked before any is rewritten.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/Transforms/Passes.h"

#include "LinearLayers.h"

#include "qc/Dialect/QC/IR/QCDialect.h"

#include "mlir/IR/Diagnostics.h"


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
    SmallVector<linear::Format> formats;
    if (policy != QuantizePolicy::Custom) {
      if (!StringRef(weightFormat).trim().empty() ||
          !StringRef(actFormat).trim().empty()) {
        mlir::emitError(module.getLoc(), "qc-quantize-linears: give a policy or "
                         "weight-format/act-format, not both");
        return signalPassFailure();
      }
      formats.push_back(linear::policyFormat(&getContext(), policy));
    } else {
      if (StringRef(weightFormat).trim().empty()) {
        mlir::emitError(module.getLoc(), "qc-quantize-linears: give the weights' format, "
                         "weight-format=\"#qc.int<s4>, f16 "
                         "#qc.per_block<[1, 128]>\", or a policy");
        return signalPassFailure();
      }
      FailureOr<SmallVector<linear::Format>> parsed = linear::parseFormats(
          module, "weight-format", weightFormat, actFormat);
      if (failed(parsed))
        return signalPassFailure();
      formats = std::move(*parsed);
    }
    if (formats.size() != 1) {
      mlir::emitError(module.getLoc(), "qc-quantize-linears: weight-format names ")
          << formats.size()
          << " formats; one format for every layer is all this pass does "
             "(qc-allocate-bits chooses among several under a budget)";
      return signalPassFailure();
    }
    SmallVector<linear::LeftFloat> leftFloat;
    FailureOr<SmallVector<linear::Layer>> layers =
        linear::collectLayers(module, skip, &leftFloat);
    if (failed(layers))
      return signalPassFailure();
    size_t unraised =
        linear::warnUnraisedProducts(module, "qc-quantize-linears");
    // Check every layer (statically), then rewrite; with leave-unfit, a
    // layer the format does not fit stays float instead of failing the pass.
    SmallVector<linear::Layer> fitting;
    for (const linear::Layer &layer : *layers) {
      std::string why = linear::whyUnfit(layer, formats.front(), method);
      if (why.empty())
        fitting.push_back(layer);
      else if (leaveUnfit)
        leftFloat.push_back({layer.matmul, layer.name, why});
      else {
        layer.matmul.emitError(why);
        return signalPassFailure();
      }
    }
    IRRewriter rewriter(&getContext());
    for (const linear::Layer &layer : fitting)
      linear::quantizeLayer(rewriter, layer, formats.front(), method);
    if (!remarks)
      return;
    for (const linear::Layer &layer : fitting)
      layer.matmul.emitRemark("qc-quantize-linears: '")
          << layer.name << "' quantized as " << formats.front().text;
    for (const linear::LeftFloat &left : leftFloat)
      left.matmul.emitRemark("qc-quantize-linears: '")
          << left.name << "' left float: " << left.why;
    InFlightDiagnostic summary = mlir::emitRemark(module.getLoc(), "qc-quantize-linears: ");
    summary << fitting.size() << " layer(s) quantized as "
            << formats.front().text << ", " << leftFloat.size()
            << " left float";
    if (unraised)
      summary << "; " << unraised
              << " product(s) with a constant matrix not recognized as "
                 "Linear layers (see the warnings)";
  }
};

} // namespace
