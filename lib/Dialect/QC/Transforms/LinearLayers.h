//===- LinearLayers.h - Float Linear layers and quantization formats ------===//
//
// What qc-quantize-linears and qc-allocate-bits share: finding the float
// Linear layers of a program (qc.matmul with a constant float weight and a
// float activation, not skipped), naming them, reading candidate formats
// from an option, and rewriting a layer to quantize its weight (and its
// activation) in a format.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_DIALECT_QC_TRANSFORMS_LINEARLAYERS_H
#define QC_LIB_DIALECT_QC_TRANSFORMS_LINEARLAYERS_H

#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/QC/Transforms/Passes.h"

#include "qc/Numerics/Quantizer.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"

#include <string>

namespace mlir::qc::linear {

/// A quantized tensor type without its shape: what `!qc.qtensor<SHAPE, ...>`
/// says after the shape, `GRID, SCALE_TYPE GRANULARITY [, zero_point T]
/// [, outer T GRANULARITY]`. Each layer instantiates it for its own shape.
struct TypeTemplate {
  GridAttrInterface grid;
  GranularityAttrInterface granularity;
  Type scaleType, zeroPointType, outerScaleType;
  GranularityAttrInterface outerGranularity;
  explicit operator bool() const { return bool(grid); }
};

/// A candidate format: the weight's type and, optionally, the
/// activation's.
struct Format {
  TypeTemplate weight;
  TypeTemplate activation; // empty: the activation stays float
  /// How it was written, for remarks and the summary.
  std::string text;
};

/// The format of a named policy, built from typed attributes.
Format policyFormat(MLIRContext *ctx, QuantizePolicy policy);

/// Parses `list`: formats separated by ';', each
/// `WEIGHT_PARAMS [act ACTIVATION_PARAMS]`, where PARAMS is the part of a
/// `!qc.qtensor` type after its shape (`#qc.int<s4>, f16
/// #qc.per_block<[1, 128]>`), read with MLIR's attribute and type parsers.
/// A format without `act` takes `defaultActivation` (which may be empty).
/// Emits an error on `module` naming `option` and fails on bad input.
FailureOr<SmallVector<Format>> parseFormats(ModuleOp module, StringRef option,
                                            StringRef list,
                                            StringRef defaultActivation);

/// A float Linear layer: `matmul` has a float constant weight (N x K) and
/// a float activation (M x K).
struct Layer {
  /// (A handle: mutable, since op methods are not const.)
  mutable MatmulOp matmul;
  std::string name;
  int64_t rows = 0, cols = 0; // N, K
};

/// The layer's name: its `qc.name` string attribute, else the name of its
/// location (`loc("blocks.0.mlp.up")`), else "matmul<i>" with `i` its
/// position among the module's matmuls.
std::string layerName(MatmulOp matmul, size_t index);

/// A matmul with a float weight that is not quantized, and why.
struct LeftFloat {
  mutable MatmulOp matmul;
  std::string name, why;
};

/// The module's float Linear layers in order, without those that have a
/// `qc.skip` attribute or whose name `skip` matches (a regular
/// expression, empty: none). Every other matmul with a float weight goes to
/// `leftFloat` (when given) with the reason. Fails after an error on a bad
/// expression.
FailureOr<SmallVector<Layer>>
collectLayers(ModuleOp module, StringRef skip,
              SmallVectorImpl<LeftFloat> *leftFloat = nullptr);

/// The type `format` gives a tensor of `shape`, or null with `why` when the
/// format does not fit it (a block size that does not divide K, ...), in
/// the verifier's words.
QuantizedTensorType instantiate(const TypeTemplate &format,
                                ArrayRef<int64_t> shape, std::string &why);

/// The storage of a weight of `type` in bits: codes, scales, zero points
/// and outer scales, each part's bits rounded up to whole bytes.
double storageBits(QuantizedTensorType type);

/// Why `layer` cannot take `format` with scale `method` (the type does not
/// fit its shape, or the method cannot compute its scales), in the
/// verifier's words after the layer's name; empty when it can. Checks
/// statically: creates no op.
std::string whyUnfit(const Layer &layer, const Format &format,
                     ScaleMethod method);

/// Quantizes `layer`'s weight (and activation) in `format` with scale
/// `method` through `rewriter`: new qc.quantize ops before the matmul,
/// which then reads them. `whyUnfit` must be empty. With `weight` (codes
/// and scales computed already, by GPTQ), the weight is that `qc.constant`
/// instead of a qc.quantize.
void quantizeLayer(RewriterBase &rewriter, const Layer &layer,
                   const Format &format, ScaleMethod method,
                   const numerics::QuantizedTensor *weight = nullptr);

/// The layer's calibration Gram matrix X^T X of its activation (the
/// `qc.act_gram` attribute: K x K finite numbers, a dense or dense_resource
/// float tensor, symmetric); an error on the matmul, prefixed by `pass`,
/// when it is missing or wrong.
FailureOr<std::vector<double>> readActGram(const Layer &layer, StringRef pass);

/// The layer's weight in `format` (which fits it) quantized by GPTQ with
/// `gram` (numerics/Gptq.h), or std::nullopt with `why` (a format GPTQ
/// cannot take, a Gram matrix that is not positive definite).
std::optional<numerics::QuantizedTensor>
gptqWeight(const Layer &layer, const Format &format, ScaleMethod method,
           ArrayRef<double> gram, double damp, std::string &why);

/// A product with a constant matrix that is not a float Linear layer qc
/// knows (a linalg contraction or tosa.matmul left by a front end), and why.
struct UnraisedProduct {
  Operation *op;
  std::string why;
};

/// The module's contractions (linalg, tosa.matmul) that multiply by a float
/// matrix computed from constants, each with why it is not a qc.matmul:
/// what qc-raise-linears does not match, or that it would raise it. (In
/// RaiseLinears.cpp, beside the matcher.)
SmallVector<UnraisedProduct> findUnraisedProducts(ModuleOp module);

/// Warns on each of findUnraisedProducts(module), prefixed by `pass`;
/// returns how many.
size_t warnUnraisedProducts(ModuleOp module, StringRef pass);

} // namespace mlir::qc::linear

#endif // QC_LIB_DIALECT_QC_TRANSFORMS_LINEARLAYERS_H
