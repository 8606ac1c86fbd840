//===- QuantizeLinears.cpp - Quantize every float Linear layer ------------===//
//
// qc-quantize-linears: one format for every float Linear layer that is not
// skipped. Every layer is checked before any is rewritten.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/Transforms/Passes.h"

#include "LinearLayers.h"

#include "qc/Dialect/QC/IR/QCDialect.h"

#include "qc/Numerics/Gptq.h"
#include "qc/Utils/ConstantUtils.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/Threading.h"

#include <cmath>


namespace mlir::qc {
#define GEN_PASS_DEF_QUANTIZELINEARS
#include "qc/Dialect/QC/Transforms/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;
namespace num = ::mlir::qc::numerics;

namespace {

struct QuantizeLinearsPass
    : mlir::qc::impl::QuantizeLinearsBase<QuantizeLinearsPass> {
  using QuantizeLinearsBase::QuantizeLinearsBase;

  /// ||X (W - Q)^T||^2 of rounding to nearest and of GPTQ's `q`, for the
  /// remark.
  std::pair<double, double> gptqRemarkErrors(const linear::Layer &layer,
                                             const linear::Format &format,
                                             const num::QuantizedTensor &q,
                                             ArrayRef<double> gram) {
    std::string why;
    QuantizedTensorType type = linear::instantiate(
        format.weight, {layer.rows, layer.cols}, why);
    num::QuantScheme scheme = *getNumericsScheme(type, method);
    ElementsAttr attr;
    (void)matchPattern(layer.matmul.getRhs(), m_Constant(&attr));
    std::vector<float> w = *readFloatValues(attr);
    std::vector<float> rtn = num::dequantize(
        num::quantize(w.data(), {layer.rows, layer.cols}, scheme), scheme);
    std::vector<float> g = num::dequantize(q, scheme);
    return {num::gramWeightedError(w.data(), rtn.data(), layer.rows,
                                   layer.cols, gram.data()),
            num::gramWeightedError(w.data(), g.data(), layer.rows, layer.cols,
                                   gram.data())};
  }

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
    // GPTQ computes every weight before anything is rewritten.
    std::vector<num::QuantizedTensor> gptqWeights;
    std::vector<std::pair<double, double>> gptqErrors; // (RTN, GPTQ)
    if (gptq) {
      if (!std::isfinite(gptqDamp) || gptqDamp < 0) {
        mlir::emitError(module.getLoc(), "qc-quantize-linears: gptq-damp must "
                                         "be a finite number >= 0");
        return signalPassFailure();
      }
      // Read every Gram matrix first (errors on the IR), then quantize the
      // layers in parallel (N K^2 each).
      std::vector<std::vector<double>> grams;
      for (const linear::Layer &layer : fitting) {
        FailureOr<std::vector<double>> gram =
            linear::readActGram(layer, "qc-quantize-linears{gptq}");
        if (failed(gram))
          return signalPassFailure();
        grams.push_back(std::move(*gram));
      }
      std::vector<std::optional<num::QuantizedTensor>> results(fitting.size());
      std::vector<std::string> whys(fitting.size());
      gptqErrors.resize(fitting.size());
      parallelFor(&getContext(), 0, fitting.size(), [&](size_t i) {
        results[i] = linear::gptqWeight(fitting[i], formats.front(), method,
                                        grams[i], gptqDamp, whys[i]);
        if (results[i] && remarks)
          gptqErrors[i] = gptqRemarkErrors(fitting[i], formats.front(),
                                           *results[i], grams[i]);
      });
      for (size_t i = 0; i < fitting.size(); ++i) {
        if (!results[i]) {
          fitting[i].matmul.emitError("qc-quantize-linears{gptq}: layer '")
              << fitting[i].name << "': " << whys[i];
          return signalPassFailure();
        }
        gptqWeights.push_back(std::move(*results[i]));
      }
    }
    IRRewriter rewriter(&getContext());
    for (auto [i, layer] : llvm::enumerate(fitting))
      linear::quantizeLayer(rewriter, layer, formats.front(), method,
                            gptq ? &gptqWeights[i] : nullptr);
    if (!remarks)
      return;
    for (auto [i, layer] : llvm::enumerate(fitting)) {
      InFlightDiagnostic remark =
          layer.matmul.emitRemark("qc-quantize-linears: '");
      remark << layer.name << "' quantized as " << formats.front().text;
      if (gptq)
        remark << " by GPTQ: output error on the calibration inputs "
               << shownNumber(gptqErrors[i].second) << " (rounding to nearest: "
               << shownNumber(gptqErrors[i].first) << ")";
    }
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
