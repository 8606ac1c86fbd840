//===- KernelCall.cpp - calling generated kernels from tensor code --------===//

#include "qc/Conversion/KernelCommon/KernelCall.h"

#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Utils/ConstantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::qc;

FailureOr<SmallVector<MatmulOp>>
mlir::qc::matmulsWithRowMajorConstants(Operation *root) {
  if (failed(verifyConstantBlobs(root)))
    return failure();
  SmallVector<MatmulOp> matmuls;
  root->walk([&](MatmulOp op) {
    auto constant = op.getRhs().getDefiningOp<ConstantOp>();
    if (constant && constant.hasPackedCodes() &&
        !constant.getType().getLayout())
      matmuls.push_back(op);
  });
  return matmuls;
}

/// Whether `weight` has packed bytes a kernel can read: a qc.constant or a
/// qc.assemble with packed codes.
bool mlir::qc::hasPackedWeight(Value weight) {
  if (auto assemble = weight.getDefiningOp<AssembleOp>())
    return assemble.hasPackedCodes();
  if (auto constant = weight.getDefiningOp<ConstantOp>())
    return constant.hasPackedCodes();
  return false;
}

/// The parts of a weight for which hasPackedWeight holds.
PackedWeight mlir::qc::getPackedWeight(RewriterBase &b, Value weight) {
  if (auto assemble = weight.getDefiningOp<AssembleOp>())
    return PackedWeight{assemble.getCodes(), assemble.getScales(),
                        assemble.getZeroPoints(), assemble.getMins()};
  auto constant = weight.getDefiningOp<ConstantOp>();
  Location loc = constant.getLoc();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(constant);
  Value bytes = arith::ConstantOp::create(
      b, loc, cast<TypedAttr>(Attribute(constant.getCodes())));
  Value scales = arith::ConstantOp::create(
      b, loc, cast<TypedAttr>(Attribute(constant.getScales())));
  Value zeroPoints;
  if (auto zp = constant.getZeroPointsAttr())
    zeroPoints = arith::ConstantOp::create(b, loc, cast<TypedAttr>(zp));
  Value mins;
  if (auto m = constant.getMinsAttr())
    mins = arith::ConstantOp::create(b, loc, cast<TypedAttr>(m));
  return PackedWeight{bytes, scales, zeroPoints, mins};
}

KernelSpecBuilder::KernelSpecBuilder(MLIRContext *ctx, StringRef family)
    : builder(ctx) {
  addString("family", family);
}

KernelSpecBuilder &KernelSpecBuilder::addInt(StringRef name, int64_t value) {
  entries.push_back(builder.getNamedAttr(name, builder.getI64IntegerAttr(value)));
  return *this;
}

KernelSpecBuilder &KernelSpecBuilder::addBool(StringRef name, bool value) {
  entries.push_back(builder.getNamedAttr(name, builder.getBoolAttr(value)));
  return *this;
}

KernelSpecBuilder &KernelSpecBuilder::addFloat(StringRef name, double value) {
  entries.push_back(builder.getNamedAttr(name, builder.getF64FloatAttr(value)));
  return *this;
}

KernelSpecBuilder &KernelSpecBuilder::addString(StringRef name, StringRef value) {
  entries.push_back(builder.getNamedAttr(name, builder.getStringAttr(value)));
  return *this;
}

KernelSpecBuilder &KernelSpecBuilder::addType(StringRef name, Type value) {
  entries.push_back(builder.getNamedAttr(
      name, value ? Attribute(TypeAttr::get(value)) : builder.getUnitAttr()));
  return *this;
}

KernelSpecBuilder &KernelSpecBuilder::addInts(StringRef name,
                                          ArrayRef<int> values) {
  SmallVector<int32_t> v(values.begin(), values.end());
  entries.push_back(
      builder.getNamedAttr(name, builder.getDenseI32ArrayAttr(v)));
  return *this;
}

KernelSpecBuilder &KernelSpecBuilder::addFloats(StringRef name,
                                          ArrayRef<float> values) {
  entries.push_back(
      builder.getNamedAttr(name, builder.getDenseF32ArrayAttr(values)));
  return *this;
}

KernelSpecBuilder &KernelSpecBuilder::addAttr(StringRef name, Attribute value) {
  entries.push_back(builder.getNamedAttr(
      name, value ? value : Attribute(builder.getUnitAttr())));
  return *this;
}

DictionaryAttr KernelSpecBuilder::get() const {
  return builder.getDictionaryAttr(entries);
}

StringRef KernelSpecReader::family() const {
  auto family = spec ? spec.getAs<StringAttr>("family") : StringAttr();
  return family ? family.getValue() : "";
}

int64_t KernelSpecReader::getInt(StringRef name) {
  auto a = spec.getAs<IntegerAttr>(name);
  valid &= bool(a);
  return a ? a.getInt() : 0;
}

bool KernelSpecReader::getBool(StringRef name) {
  auto a = spec.getAs<BoolAttr>(name);
  valid &= bool(a);
  return a && a.getValue();
}

double KernelSpecReader::getFloat(StringRef name) {
  auto a = spec.getAs<FloatAttr>(name);
  valid &= bool(a);
  return a ? a.getValueAsDouble() : 0.0;
}

Type KernelSpecReader::getType(StringRef name) {
  Attribute a = spec.get(name);
  if (auto t = dyn_cast_or_null<TypeAttr>(a))
    return t.getValue();
  valid &= isa_and_present<UnitAttr>(a);
  return Type();
}

std::vector<int> KernelSpecReader::getInts(StringRef name) {
  auto a = spec.getAs<DenseI32ArrayAttr>(name);
  valid &= bool(a);
  return a ? std::vector<int>(a.asArrayRef().begin(), a.asArrayRef().end())
           : std::vector<int>();
}

std::vector<float> KernelSpecReader::getFloats(StringRef name) {
  auto a = spec.getAs<DenseF32ArrayAttr>(name);
  valid &= bool(a);
  return a ? std::vector<float>(a.asArrayRef().begin(), a.asArrayRef().end())
           : std::vector<float>();
}

KernelTable::KernelTable(Operation *symbolTableOp)
    : root(symbolTableOp), symbols(symbolTableOp) {
  // Only functions are kernels: a spec attribute on anything else (written
  // by hand) is not taken for one.
  for (Operation &op : symbolTableOp->getRegion(0).front())
    if (Attribute spec = op.getAttr(kKernelSpecAttrName);
        spec && isa<FunctionOpInterface>(op))
      bySpec.try_emplace(spec, &op);
}

void KernelTable::insert(RewriterBase &rewriter, Operation *kernel,
                         Attribute spec) {
  kernel->setAttr(kKernelSpecAttrName, spec);
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointToEnd(&root->getRegion(0).front());
  rewriter.insert(kernel);
  // Renames the kernel when its name is taken: names are for people.
  symbols.insert(kernel);
  bySpec[spec] = kernel;
}

SmallVector<Value> mlir::qc::createKernelCall(OpBuilder &b, Location loc,
                                    FunctionOpInterface kernel,
                                    ValueRange inputs, Value rows) {
  ArrayRef<Type> argTypes = kernel.getArgumentTypes();
  SmallVector<Value> outputs;
  for (Type t : argTypes.drop_front(inputs.size())) {
    auto memref = cast<MemRefType>(t);
    SmallVector<Value> dynamicSizes(memref.getNumDynamicDims(), rows);
    outputs.push_back(tensor::EmptyOp::create(b, loc, memref.getShape(),
                                              memref.getElementType(),
                                              dynamicSizes));
  }
  auto call = KernelCallOp::create(
      b, loc, FlatSymbolRefAttr::get(kernel.getNameAttr()), inputs, outputs);
  return SmallVector<Value>(call.getResults());
}

Value mlir::qc::addEpilogue(OpBuilder &b, Location loc, Value y, Value bias,
                         Value acc, Value rows) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(y.getType());
  AffineMap id = AffineMap::getMultiDimIdentityMap(2, ctx);
  AffineMap col = AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx);
  SmallVector<Value> inputs = {y};
  SmallVector<AffineMap> maps = {id};
  if (bias) {
    inputs.push_back(bias);
    maps.push_back(col);
  }
  if (acc) {
    if (acc.getType() != type)
      acc = tensor::CastOp::create(b, loc, type, acc);
    inputs.push_back(acc);
    maps.push_back(id);
  }
  maps.push_back(id);
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(),
                                       type.getElementType(),
                                       ValueRange{rows});
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, inputs, ValueRange{init}, maps,
             ArrayRef<utils::IteratorType>{utils::IteratorType::parallel,
                                           utils::IteratorType::parallel},
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value sum = args[0];
               for (Value v : args.drop_front().drop_back())
                 sum = arith::AddFOp::create(nb, nloc, sum, v);
               linalg::YieldOp::create(nb, nloc, sum);
             })
      .getResult(0);
}

void KernelReport::emitRemarks(Operation *root, StringRef pass,
                               StringRef target, StringRef where,
                               ArrayRef<StringRef> counterNames,
                               function_ref<int(Operation *)> counts) const {
  SmallVector<int64_t> left(counterNames.size(), 0);
  root->walk([&](Operation *op) {
    int counter = counts(op);
    if (counter < 0)
      return;
    ++left[size_t(counter)];
    auto it = fallbacks.find(op);
    if (it != fallbacks.end())
      op->emitRemark("no ")
          << target << " kernel, left to the reference lowering: "
          << it->second;
  });
  InFlightDiagnostic summary = mlir::emitRemark(root->getLoc(), pass);
  summary << ": " << emitted.size() << " kernel(s) emitted" << where;
  if (!emitted.empty()) {
    summary << " (";
    llvm::interleaveComma(emitted, summary);
    summary << ")";
  }
  summary << "; ";
  for (size_t i = 0; i < left.size(); ++i)
    summary << (i == 0 ? "" : i + 1 == left.size() ? " and " : ", ")
            << left[i] << " " << counterNames[i];
  summary << " left to the reference lowering";
}
