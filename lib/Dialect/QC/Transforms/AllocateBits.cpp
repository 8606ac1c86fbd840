//===- AllocateBits.cpp - Choose each layer's format under a budget -------===//
//
// qc-allocate-bits: for every float Linear layer and candidate format, the
// loss (sensitivity times the weight's quantization error, computed with
// the numerics library) and the costs (storage bits, bytes, a user table);
// then the multiple-choice knapsack solved exactly
// (numerics::solveAllocation); then every layer quantized in its choice.
// Everything is computed and checked before the first rewrite.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/Transforms/Passes.h"

#include "LinearLayers.h"

#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Numerics/BitAllocation.h"
#include "qc/Numerics/Gptq.h"
#include "qc/Numerics/Quantizer.h"
#include "qc/Utils/ConstantUtils.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/Threading.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

namespace mlir::qc {
#define GEN_PASS_DEF_ALLOCATEBITS
#include "qc/Dialect/QC/Transforms/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;
namespace num = ::mlir::qc::numerics;

namespace {

/// The numbers of a float or integer attribute: a dense elements attribute,
/// an array of numbers, or one number. std::nullopt for anything else.
std::optional<std::vector<double>> readNumbers(Attribute attr) {
  std::vector<double> v;
  if (auto f = dyn_cast_or_null<FloatAttr>(attr))
    return std::vector<double>{f.getValueAsDouble()};
  if (auto i = dyn_cast_or_null<IntegerAttr>(attr))
    return std::vector<double>{double(i.getInt())};
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(attr)) {
    if (isa<FloatType>(dense.getElementType())) {
      for (APFloat x : dense.getValues<APFloat>())
        v.push_back(x.convertToDouble());
      return v;
    }
    if (isa<IntegerType>(dense.getElementType())) {
      for (APInt x : dense.getValues<APInt>())
        v.push_back(double(x.getSExtValue()));
      return v;
    }
    return std::nullopt;
  }
  if (auto elements = dyn_cast_or_null<ElementsAttr>(attr)) {
    // dense_resource (what the Python package's annotate_layers writes).
    FailureOr<std::vector<double>> values = readDoubleValues(elements);
    if (failed(values))
      return std::nullopt;
    return *values;
  }
  if (auto array = dyn_cast_or_null<ArrayAttr>(attr)) {
    for (Attribute a : array) {
      std::optional<std::vector<double>> one = readNumbers(a);
      if (!one || one->size() != 1 || isa<ArrayAttr>(a))
        return std::nullopt;
      v.push_back(one->front());
    }
    return v;
  }
  return std::nullopt;
}

/// `v` with 6 significant digits ("4.125", "0.0109291").
std::string number(double v) {
  return llvm::formatv("{0}", llvm::format("%.6g", v)).str();
}

/// What the pass knows of one layer before it solves.
struct UnitData {
  linear::Layer layer;
  std::vector<float> weight;
  std::vector<double> importance; // empty: 1
  std::vector<double> gram;       // qc.act_gram with gptq, else empty
  double sensitivity = 1;
  std::optional<double> alpha;
  std::vector<double> givenLoss; // empty: computed
  std::vector<double> givenCost; // cost-attr, empty without
  std::vector<QuantizedTensorType> types; // per candidate, null: unavailable
  std::vector<std::string> unavailable;   // why, per candidate
  std::vector<double> error;              // per candidate
};

/// Whether each row of a weight of `type` is quantized on its own (every
/// block of scales, inner and outer, is one row high), so that a subset of
/// rows quantizes exactly as it does within the whole tensor.
bool rowsIndependent(QuantizedTensorType type) {
  for (GranularityAttrInterface g :
       {type.getGranularity(), type.getOuterGranularity()})
    if (g && g.getBlockShape(type.getShape())[0] != 1)
      return false;
  return true;
}

/// sum_(n,k) importance(k) (W - Q(W))^2 of a weight quantized as `type`.
/// With `sampleRows` > 0 and rows quantized independently, it is measured
/// on `sampleRows` evenly spaced rows and scaled to all of them (an
/// unbiased estimate; exact when the layer has no more rows).
double quantizationError(const UnitData &u, QuantizedTensorType type,
                         ScaleMethod method, int64_t sampleRows,
                         double gptqDamp) {
  int64_t rows = u.layer.rows, cols = u.layer.cols;
  std::vector<int64_t> picked;
  if (sampleRows > 0 && rows > sampleRows && rowsIndependent(type))
    for (int64_t i = 0; i < sampleRows; ++i)
      picked.push_back(i * rows / sampleRows);
  std::vector<float> sub;
  const std::vector<float> *w = &u.weight;
  if (!picked.empty()) {
    sub.reserve(size_t(picked.size()) * size_t(cols));
    for (int64_t r : picked)
      sub.insert(sub.end(), u.weight.begin() + r * cols,
                 u.weight.begin() + (r + 1) * cols);
    w = &sub;
    type = type.cloneWithShape({int64_t(picked.size()), cols});
  }
  int64_t n = int64_t(w->size()) / cols;
  std::optional<num::QuantScheme> scheme = getNumericsScheme(type, method);
  if (!u.gram.empty()) {
    // GPTQ: the output error on the calibration inputs. Rows are
    // quantized independently given H, so sampling stays unbiased.
    std::string why;
    num::QuantizedTensor q = num::quantizeGptq(w->data(), {n, cols},
                                               u.gram.data(), *scheme,
                                               gptqDamp, why);
    if (!why.empty())
      return std::numeric_limits<double>::quiet_NaN();
    std::vector<float> d = num::dequantize(q, *scheme);
    return num::gramWeightedError(w->data(), d.data(), n, cols,
                                  u.gram.data()) *
           double(rows) / double(n);
  }
  num::QuantizedTensor q = num::quantize(w->data(), {n, cols}, *scheme);
  std::vector<float> d = num::dequantize(q, *scheme);
  double sum = 0;
  for (int64_t r = 0; r < n; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      size_t e = size_t(r * cols + c);
      double diff = double(d[e]) - double((*w)[e]);
      sum += (u.importance.empty() ? 1.0 : u.importance[size_t(c)]) * diff *
             diff;
    }
  return sum * double(rows) / double(n);
}

struct AllocateBitsPass : mlir::qc::impl::AllocateBitsBase<AllocateBitsPass> {
  using AllocateBitsBase::AllocateBitsBase;

  /// Reads a per-layer attribute of one number per candidate.
  LogicalResult readPerCandidate(const linear::Layer &layer, StringRef name,
                                 size_t count, std::vector<double> &out,
                                 bool required) {
    Attribute attr = layer.matmul->getAttr(name);
    if (!attr) {
      if (!required)
        return success();
      return layer.matmul.emitError("qc-allocate-bits: layer '")
             << layer.name << "' has no '" << name << "' attribute (one "
             << "number per candidate format, " << count << " in all)";
    }
    std::optional<std::vector<double>> v = readNumbers(attr);
    if (!v || v->size() != count ||
        llvm::any_of(*v, [](double x) { return !std::isfinite(x) || x < 0; }))
      return layer.matmul.emitError("qc-allocate-bits: layer '")
             << layer.name << "': '" << name << "' must hold " << count
             << " finite numbers >= 0 (one per candidate format), got "
             << attr;
    out = *v;
    return success();
  }

  /// Weight values, importance, sensitivity and given tables of a layer.
  LogicalResult readUnit(UnitData &u, size_t numFormats) {
    const linear::Layer &layer = u.layer;
    ElementsAttr attr;
    (void)matchPattern(layer.matmul.getRhs(), m_Constant(&attr));
    FailureOr<std::vector<float>> w = readFloatValues(attr);
    if (failed(w))
      return layer.matmul.emitError("qc-allocate-bits: the weight of layer '")
             << layer.name << "' cannot be read: " << whyUnreadable(attr);
    u.weight = std::move(*w);
    if (llvm::any_of(u.weight, [](float x) { return !std::isfinite(x); }))
      return layer.matmul.emitError("qc-allocate-bits: the weight of layer '")
             << layer.name << "' has a non-finite value";
    if (importance) {
      Attribute attr = layer.matmul->getAttr("qc.act_sq_sum");
      std::optional<std::vector<double>> v = readNumbers(attr);
      if (!attr || !v || int64_t(v->size()) != layer.cols ||
          llvm::any_of(*v,
                       [](double x) { return !std::isfinite(x) || x < 0; }))
        return layer.matmul.emitError("qc-allocate-bits{importance}: layer '")
               << layer.name << "' needs a 'qc.act_sq_sum' attribute of "
               << layer.cols
               << " finite values >= 0 (diag(X^T X) of its activation)";
      u.importance = *v;
    }
    switch (sensitivity) {
    case SensitivitySource::None:
      break;
    case SensitivitySource::Attr: {
      Attribute attr = layer.matmul->getAttr(sensitivityAttr);
      std::optional<std::vector<double>> v = readNumbers(attr);
      if (!attr || !v || v->size() != 1 || !std::isfinite(v->front()) ||
          v->front() < 0)
        return layer.matmul.emitError("qc-allocate-bits{sensitivity=attr}: "
                                      "layer '")
               << layer.name << "' needs a '" << sensitivityAttr
               << "' attribute: one finite number >= 0 (a Hessian trace per "
                  "parameter, say)";
      u.sensitivity = v->front();
      break;
    }
    case SensitivitySource::AlphaQ:
      u.alpha = num::hillAlpha(num::gramEigenvalues(
          std::vector<double>(u.weight.begin(), u.weight.end()).data(),
          layer.rows, layer.cols));
      if (!u.alpha)
        return layer.matmul.emitError("qc-allocate-bits{sensitivity=alphaq}: "
                                      "the spectrum of layer '")
               << layer.name << "' has no power-law tail (fewer than 3 "
               << "positive eigenvalues, or all equal)";
      u.sensitivity = 1.0 / *u.alpha;
      break;
    }
    if (gptq) {
      if (importance)
        return layer.matmul.emitError("qc-allocate-bits: gptq measures the "
                                      "output error with the full qc.act_gram; "
                                      "importance (its diagonal) adds nothing");
      FailureOr<std::vector<double>> gram =
          linear::readActGram(layer, "qc-allocate-bits{gptq}");
      if (failed(gram))
        return failure();
      u.gram = std::move(*gram);
    }
    if (failed(readPerCandidate(layer, lossAttr, numFormats, u.givenLoss,
                                false)))
      return failure();
    if (!costAttr.empty() &&
        failed(readPerCandidate(layer, costAttr, numFormats, u.givenCost,
                                true)))
      return failure();
    return success();
  }

  /// The method that quantizes `format`'s weights: `method`, except that
  /// absmax, which computes no zero points (it would score a format with
  /// zero points as if they were 0, and never pick it), is minmax there.
  ScaleMethod methodFor(const linear::Format &format) const {
    if (format.weight.zeroPointType && method == ScaleMethod::absmax)
      return ScaleMethod::minmax;
    return method;
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (failed(verifyConstantBlobs(module)))
      return signalPassFailure();
    FailureOr<SmallVector<linear::Format>> formats =
        linear::parseFormats(module, "formats", this->formats, actFormat);
    if (failed(formats))
      return signalPassFailure();
    if (formats->empty()) {
      mlir::emitError(module.getLoc(), "qc-allocate-bits: no candidate formats: give "
                       "formats=\"#qc.int<s4>, f16 #qc.per_block<[1, 128]>; "
                       "...\"");
      return signalPassFailure();
    }
    // NaN compares false with everything: it would be no limit at all.
    for (auto [name, value] : {std::pair<const char *, double>{"avg-bits", avgBits},
                               {"max-cost", maxCost},
                               {"gptq-damp", gptqDamp}})
      if (!std::isfinite(value) || value < 0) {
        mlir::emitError(module.getLoc(), "qc-allocate-bits: ")
            << name << " must be a finite number >= 0, got "
            << shownNumber(value);
        return signalPassFailure();
      }
    if (sampleRows < 0) {
      mlir::emitError(module.getLoc(),
                      "qc-allocate-bits: sample-rows must be >= 0, got ")
          << sampleRows;
      return signalPassFailure();
    }
    if (avgBits < 0 || maxBytes < 0 || maxCost < 0 ||
        (costAttr.empty() != (maxCost == 0)) ||
        (avgBits == 0 && maxBytes == 0 && costAttr.empty())) {
      mlir::emitError(module.getLoc(), "qc-allocate-bits: give a budget: avg-bits > 0, "
                       "max-bytes > 0, or cost-attr with max-cost > 0 (any "
                       "of them together)");
      return signalPassFailure();
    }
    FailureOr<SmallVector<linear::Layer>> layers =
        linear::collectLayers(module, skip);
    if (failed(layers))
      return signalPassFailure();
    linear::warnUnraisedProducts(module, "qc-allocate-bits");
    if (layers->empty()) {
      if (remarks)
        mlir::emitRemark(module.getLoc(), "qc-allocate-bits: no float Linear layer to "
                          "quantize");
      return;
    }
    const size_t numFormats = formats->size();
    std::vector<UnitData> units(layers->size());
    for (size_t i = 0; i < units.size(); ++i) {
      units[i].layer = (*layers)[i];
      if (failed(readUnit(units[i], numFormats)))
        return signalPassFailure();
      UnitData &u = units[i];
      u.types.resize(numFormats);
      u.unavailable.resize(numFormats);
      u.error.assign(numFormats, 0.0);
      for (size_t f = 0; f < numFormats; ++f) {
        std::string why;
        QuantizedTensorType t = linear::instantiate(
            (*formats)[f].weight, {u.layer.rows, u.layer.cols}, why);
        std::optional<num::QuantScheme> scheme;
        if (t)
          scheme = getNumericsScheme(t, methodFor((*formats)[f]));
        if (t && !scheme)
          why = "its scale or zero-point type has no numerics equivalent";
        else if (t && gptq)
          why = num::checkGptq({u.layer.rows, u.layer.cols}, *scheme);
        u.types[f] = why.empty() ? t : QuantizedTensorType();
        u.unavailable[f] = why;
      }
    }
    // The quantization errors, in parallel over (layer, candidate).
    std::vector<std::pair<size_t, size_t>> work;
    for (size_t i = 0; i < units.size(); ++i)
      if (units[i].givenLoss.empty())
        for (size_t f = 0; f < numFormats; ++f)
          if (units[i].types[f])
            work.push_back({i, f});
    parallelFor(&getContext(), 0, work.size(), [&](size_t j) {
      auto [i, f] = work[j];
      units[i].error[f] =
          quantizationError(units[i], units[i].types[f],
                            methodFor((*formats)[f]), sampleRows, gptqDamp);
    });
    for (UnitData &u : units)
      for (size_t f = 0; f < numFormats; ++f)
        if (u.types[f] && std::isnan(u.error[f])) {
          u.types[f] = QuantizedTensorType();
          u.unavailable[f] = "GPTQ cannot take its qc.act_gram (the damped "
                             "matrix is not positive definite)";
        }
    // The problem.
    num::AllocationProblem problem;
    double totalWeights = 0;
    for (const UnitData &u : units)
      totalWeights += double(u.layer.rows) * double(u.layer.cols);
    if (avgBits > 0)
      problem.constraints.push_back({"avg-bits", avgBits});
    if (maxBytes > 0)
      problem.constraints.push_back({"bytes", double(int64_t(maxBytes))});
    if (!costAttr.empty())
      problem.constraints.push_back({costAttr, maxCost});
    llvm::StringMap<std::vector<size_t>> ties;
    for (size_t i = 0; i < units.size(); ++i) {
      const UnitData &u = units[i];
      num::AllocationUnit unit;
      unit.name = u.layer.name;
      for (size_t f = 0; f < numFormats; ++f) {
        num::AllocationCandidate c;
        c.available = bool(u.types[f]);
        double bits = c.available ? linear::storageBits(u.types[f]) : 0;
        c.loss = u.givenLoss.empty() ? u.sensitivity * u.error[f]
                                     : u.givenLoss[f];
        if (avgBits > 0)
          c.cost.push_back(bits / totalWeights);
        if (maxBytes > 0)
          c.cost.push_back(bits / 8);
        if (!costAttr.empty())
          c.cost.push_back(u.givenCost[f]);
        unit.candidates.push_back(c);
      }
      problem.units.push_back(unit);
      if (auto tie = u.layer.matmul->getAttrOfType<StringAttr>("qc.tie"))
        ties[tie.getValue()].push_back(i);
    }
    for (auto &entry : ties)
      problem.ties.push_back(entry.second);
    std::string error;
    std::optional<num::Allocation> allocation =
        num::solveAllocation(problem, error);
    if (!allocation) {
      InFlightDiagnostic d = mlir::emitError(module.getLoc(), "qc-allocate-bits: ") << error;
      for (const UnitData &u : units)
        if (llvm::none_of(u.types, [](QuantizedTensorType t) { return bool(t); }))
          d.attachNote(u.layer.matmul.getLoc())
              << "layer '" << u.layer.name << "' takes no candidate: "
              << u.unavailable.front();
      return signalPassFailure();
    }
    // Check every layer's quantizers (statically), then rewrite.
    for (size_t i = 0; i < units.size(); ++i) {
      const linear::Format &chosen = (*formats)[allocation->choice[i]];
      std::string why =
          linear::whyUnfit(units[i].layer, chosen, methodFor(chosen));
      if (!why.empty()) {
        units[i].layer.matmul.emitError(why);
        return signalPassFailure();
      }
    }
    // With gptq, every chosen weight is computed before any rewrite.
    std::vector<num::QuantizedTensor> gptqWeights(units.size());
    if (gptq) {
      std::vector<std::string> whys(units.size());
      parallelFor(&getContext(), 0, units.size(), [&](size_t i) {
        const linear::Format &chosen = (*formats)[allocation->choice[i]];
        std::optional<num::QuantizedTensor> q =
            linear::gptqWeight(units[i].layer, chosen, methodFor(chosen),
                               units[i].gram, gptqDamp, whys[i]);
        if (q)
          gptqWeights[i] = std::move(*q);
      });
      for (size_t i = 0; i < units.size(); ++i)
        if (gptqWeights[i].codes.empty()) {
          units[i].layer.matmul.emitError("qc-allocate-bits{gptq}: layer '")
              << units[i].layer.name << "': " << whys[i];
          return signalPassFailure();
        }
    }
    IRRewriter rewriter(&getContext());
    for (size_t i = 0; i < units.size(); ++i)
      linear::quantizeLayer(rewriter, units[i].layer,
                            (*formats)[allocation->choice[i]],
                            methodFor((*formats)[allocation->choice[i]]),
                            gptq ? &gptqWeights[i] : nullptr);
    report(module, units, *formats, problem, *allocation, totalWeights);
  }

  void report(ModuleOp module, const std::vector<UnitData> &units,
              ArrayRef<linear::Format> formats,
              const num::AllocationProblem &problem,
              const num::Allocation &allocation, double totalWeights) {
    if (remarks) {
      for (size_t i = 0; i < units.size(); ++i) {
        const UnitData &u = units[i];
        size_t f = allocation.choice[i];
        double bits = linear::storageBits(u.types[f]);
        double numel = double(u.layer.rows) * double(u.layer.cols);
        emitRemark(u.layer.matmul.getLoc(), "qc-allocate-bits: '")
            << u.layer.name << "' gets " << formats[f].text << " (loss "
            << number(problem.units[i].candidates[f].loss) << ", "
            << number(bits / numel) << " bits/weight, " << int64_t(bits / 8)
            << " bytes)";
      }
      InFlightDiagnostic d = mlir::emitRemark(module.getLoc(), "qc-allocate-bits: ");
      d << units.size() << " layer(s), objective "
        << number(allocation.objective);
      for (size_t k = 0; k < problem.constraints.size(); ++k)
        d << ", " << problem.constraints[k].name << " "
          << number(allocation.used[k]) << " of "
          << number(problem.constraints[k].limit);
      if (allocation.optimal) {
        d << "; optimal (exact dynamic program over Pareto-optimal partial "
             "assignments, at most "
          << allocation.peakStates << " states)";
      } else {
        // The state bound merged states: say how far from exact it may be.
        d << "; not proven optimal (more than " << allocation.peakStates
          << " Pareto states, merged): the optimum is at least "
          << number(allocation.lowerBound)
          << " (a Lagrangian bound), and the objective is at most the "
             "optimum under limits tightened by";
        for (size_t k = 0; k < problem.constraints.size(); ++k)
          d << (k ? ", " : " ") << number(allocation.limitTightening[k])
            << " " << problem.constraints[k].name;
      }
    }
    if (summary.empty())
      return;
    std::error_code ec;
    llvm::raw_fd_ostream os(summary, ec, llvm::sys::fs::OF_Text);
    if (ec) {
      mlir::emitError(module.getLoc(), "qc-allocate-bits: cannot write the summary to '")
          << summary << "': " << ec.message();
      return signalPassFailure();
    }
    llvm::json::OStream j(os, 2);
    j.object([&] {
      j.attributeObject("budget", [&] {
        for (const num::AllocationConstraint &c : problem.constraints)
          j.attribute(c.name, c.limit);
      });
      j.attributeObject("used", [&] {
        for (size_t k = 0; k < problem.constraints.size(); ++k)
          j.attribute(problem.constraints[k].name, allocation.used[k]);
      });
      j.attribute("objective", allocation.objective);
      j.attribute("optimal", allocation.optimal);
      j.attribute("lower_bound", allocation.lowerBound);
      j.attributeObject("limit_tightening", [&] {
        for (size_t k = 0; k < problem.constraints.size(); ++k)
          j.attribute(problem.constraints[k].name,
                      allocation.limitTightening.empty()
                          ? 0.0
                          : allocation.limitTightening[k]);
      });
      j.attribute("weights", totalWeights);
      j.attributeArray("units", [&] {
        for (size_t i = 0; i < units.size(); ++i) {
          const UnitData &u = units[i];
          j.object([&] {
            j.attribute("name", u.layer.name);
            j.attribute("shape", llvm::json::Array{u.layer.rows, u.layer.cols});
            j.attribute("choice", int64_t(allocation.choice[i]));
            j.attribute("format", formats[allocation.choice[i]].text);
            j.attribute("sensitivity", u.sensitivity);
            if (u.alpha)
              j.attribute("alpha", *u.alpha);
            j.attributeArray("candidates", [&] {
              for (size_t f = 0; f < formats.size(); ++f)
                j.object([&] {
                  const num::AllocationCandidate &c =
                      problem.units[i].candidates[f];
                  j.attribute("format", formats[f].text);
                  j.attribute("available", c.available);
                  if (!c.available) {
                    j.attribute("why", u.unavailable[f]);
                    return;
                  }
                  j.attribute("loss", c.loss);
                  j.attribute("bits", linear::storageBits(u.types[f]));
                  if (!u.givenCost.empty())
                    j.attribute("cost", u.givenCost[f]);
                });
            });
          });
        }
      });
    });
    os << "\n";
  }
};

} // namespace
