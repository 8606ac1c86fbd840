//===- Weights.cpp - C API: quantized weights and linear layers -----------===//
//
// What the Python package builds quantized layers with: the numerics
// library's quantizer on a float array, a `qc.constant` from codes and
// scales, and a linear layer function around a weight.
//
//===----------------------------------------------------------------------===//

#include "qc-c/QC.h"

#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/QC/IR/QCTypes.h"
#include "qc/Dialect/QC/Transforms/QuantizedConstant.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::qc;
namespace num = ::mlir::qc::numerics;

/// The numerics scheme of `type`, or an error at `loc` saying why there is
/// none.
static std::optional<num::QuantScheme>
schemeFor(Location loc, QuantizedTensorType type, ScaleMethod method) {
  auto fail = [&](const Twine &why) -> std::optional<num::QuantScheme> {
    emitError(loc) << "cannot build the weights of " << type << ": " << why;
    return std::nullopt;
  };
  if (!type.hasStaticShape())
    return fail("the shape must be static");
  if (type.getRotation() || type.getLayout() ||
      type.hasOuterScales() || type.hasMins())
    return fail("rotated, laid-out (bit planes, tiles, fragments), two-level "
                "and min types are made by qc.quantize, qc-quantize-constants "
                "or qc-import, not from parts");
  std::optional<num::QuantScheme> scheme = getNumericsScheme(type, method);
  if (!scheme)
    return fail("its scale or zero-point type has no numerics equivalent");
  std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
  std::string why = scheme->check(shape);
  if (!why.empty())
    return fail(why);
  return scheme;
}

static int64_t numScales(QuantizedTensorType type) {
  return type.getScalesTensorType().getNumElements();
}

MlirLogicalResult mlirQCQuantizeFloats(MlirLocation cLoc, MlirType cType,
                                       MlirStringRef cMethod,
                                       const float *data, uint8_t *codes,
                                       float *scales, float *zeroPoints) {
  Location loc = unwrap(cLoc);
  auto type = dyn_cast<QuantizedTensorType>(unwrap(cType));
  if (!type) {
    emitError(loc) << "expected a !qc.qtensor type, got " << unwrap(cType);
    return mlirLogicalResultFailure();
  }
  StringRef methodName = unwrap(cMethod);
  ScaleMethod method =
      type.hasZeroPoints() ? ScaleMethod::minmax : ScaleMethod::absmax;
  if (!methodName.empty()) {
    std::optional<ScaleMethod> parsed = symbolizeScaleMethod(methodName);
    if (!parsed) {
      emitError(loc) << "unknown scale method '" << methodName
                     << "' (absmax, minmax, mse, absmean, mx)";
      return mlirLogicalResultFailure();
    }
    method = *parsed;
  }
  std::optional<num::QuantScheme> scheme = schemeFor(loc, type, method);
  if (!scheme)
    return mlirLogicalResultFailure();
  std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
  num::QuantizedTensor q = num::quantize(data, shape, *scheme);
  std::copy(q.codes.begin(), q.codes.end(), codes);
  std::copy(q.scales.begin(), q.scales.end(), scales);
  if (type.hasZeroPoints())
    std::copy(q.zeroPoints.begin(), q.zeroPoints.end(), zeroPoints);
  return mlirLogicalResultSuccess();
}

MlirOperation mlirQCConstantOpCreate(MlirLocation cLoc, MlirType cType,
                                     const uint8_t *codes,
                                     const float *scales,
                                     const float *zeroPoints) {
  Location loc = unwrap(cLoc);
  auto type = dyn_cast<QuantizedTensorType>(unwrap(cType));
  if (!type) {
    emitError(loc) << "expected a !qc.qtensor type, got " << unwrap(cType);
    return MlirOperation{nullptr};
  }
  if (!schemeFor(loc, type, ScaleMethod::absmax))
    return MlirOperation{nullptr};
  if (type.hasZeroPoints() && !zeroPoints) {
    emitError(loc) << type << " has zero points: they must be given";
    return MlirOperation{nullptr};
  }
  num::QuantizedTensor q;
  q.shape.assign(type.getShape().begin(), type.getShape().end());
  int64_t n = num::numElements(q.shape);
  unsigned bits = type.getGrid().getCodeBits();
  for (int64_t i = 0; i < n; ++i)
    if (bits < 8 && codes[i] >> bits) {
      emitError(loc) << "code " << int(codes[i]) << " at element " << i
                     << " does not fit the " << bits << "-bit codes of "
                     << type.getGrid();
      return MlirOperation{nullptr};
    }
  q.codes.assign(codes, codes + n);
  q.scales.assign(scales, scales + numScales(type));
  if (type.hasZeroPoints())
    q.zeroPoints.assign(zeroPoints, zeroPoints + numScales(type));
  OpBuilder b(type.getContext());
  return wrap(createQuantizedConstant(b, loc, type, q).getOperation());
}

/// Shape N x K of a linear layer's weight type, or failure.
static FailureOr<std::pair<int64_t, int64_t>> weightShape(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (auto q = dyn_cast<QuantizedTensorType>(type))
    shaped = RankedTensorType::get(q.getShape(), Float32Type::get(
                                                     type.getContext()));
  if (!shaped || !shaped.hasRank() || shaped.getRank() != 2 ||
      !shaped.hasStaticShape())
    return failure();
  return std::make_pair(shaped.getDimSize(0), shaped.getDimSize(1));
}

MlirOperation mlirQCLinearFuncCreate(MlirModule cModule, MlirStringRef cName,
                                     MlirOperation cWeight,
                                     MlirType cActivationType,
                                     const float *bias) {
  ModuleOp module = unwrap(cModule);
  Operation *weight = unwrap(cWeight);
  Location loc = weight->getLoc();
  StringRef name = unwrap(cName);
  auto fail = [&](const Twine &why) {
    emitError(loc) << "cannot build linear layer @" << name << ": " << why;
    weight->destroy();
    return MlirOperation{nullptr};
  };
  if (weight->getNumResults() != 1)
    return fail("the weight op must have one result");
  Type weightType = weight->getResult(0).getType();
  FailureOr<std::pair<int64_t, int64_t>> nk = weightShape(weightType);
  if (failed(nk))
    return fail("the weight must be a static N x K tensor or !qc.qtensor");
  auto [n, k] = *nk;
  if (SymbolTable::lookupSymbolIn(module, name))
    return fail("the module already has a symbol of that name");

  MLIRContext *ctx = module.getContext();
  Type f32 = Float32Type::get(ctx);
  auto xType = RankedTensorType::get({ShapedType::kDynamic, k}, f32);
  auto yType = RankedTensorType::get({ShapedType::kDynamic, n}, f32);
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto func =
      func::FuncOp::create(b, loc, name, b.getFunctionType({xType}, {yType}));
  func->setAttr("llvm.emit_c_interface", UnitAttr::get(ctx));
  Block *body = func.addEntryBlock();
  b.setInsertionPointToStart(body);
  b.insert(weight);
  Value x = body->getArgument(0);
  Type lhsType = xType;
  if (!mlirTypeIsNull(cActivationType)) {
    lhsType = unwrap(cActivationType);
    x = QuantizeOp::create(b, loc, lhsType, x, Value(), Value(), Value(),
                           ScaleMethodAttr(), RoundingAttr())
            .getResult();
  }
  Value biasValue;
  if (bias) {
    auto biasType = RankedTensorType::get({n}, f32);
    biasValue = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(biasType, ArrayRef<float>(bias, size_t(n))));
  }
  Value y = MatmulOp::create(b, loc, yType, x, weight->getResult(0), biasValue,
                             /*accumulate=*/Value())
                .getResult();
  func::ReturnOp::create(b, loc, y);
  if (failed(verify(func))) {
    func->erase(); // the weight with it
    emitError(loc) << "cannot build linear layer @" << name
                   << ": it does not verify (see the error above)";
    return MlirOperation{nullptr};
  }
  return wrap(func.getOperation());
}

void mlirQCRegisterLLVMTranslations(MlirContext cCtx) {
  MLIRContext *ctx = unwrap(cCtx);
  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
  ctx->appendDialectRegistry(registry);
}
