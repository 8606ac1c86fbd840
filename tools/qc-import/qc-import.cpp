//===- qc-import.cpp - Model weights into a qc module ---------------------===//
//
// Reads safetensors files and .npy arrays and writes a module whose
// constants are dense_resource blobs, as MLIR bytecode by default:
//
//   qc-import model.safetensors -o model.mlirbc
//       one function per tensor, @name() -> tensor<...>
//   qc-import model.safetensors --linears='^encoder\.' -o model.mlirbc
//       a 2-D "P.weight" (N x K, PyTorch's Linear layout) matching the
//       regex, with "P.bias" when there is one, becomes
//       @P(%x: tensor<?xKxf32>) -> tensor<?xNxf32> (one float qc.matmul),
//       ready for qc-quantize-model
//   qc-import model.safetensors --into=ffn.mlir --linears=... -o out.mlirbc
//       fills the blobs `ffn.mlir` names by tensor (dense_resource<name>,
//       checking shape and element type) and appends the linear layers
//   qc-import model.gguf --linears='ffn_' --metadata=model.json -o m.mlirbc
//       llama.cpp's GGUF (v2, v3): every block format it reads (Q4_0,
//       Q4_1, Q5_0, Q5_1, Q8_0, Q2_K-Q6_K) as the qc type that holds it
//       exactly (K-quants with integer sub-block scales and mins), or with
//       --gguf-float decoded to f32 (gguf-py's values, bit for bit); the
//       metadata in the module's `gguf.metadata` attribute and in full as
//       JSON
//
// See docs/Import.md for the formats.
//
//===----------------------------------------------------------------------===//

#include "GGUF.h"
#include "WeightFiles.h"

#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/InitAll.h"
#include "qc/Numerics/Packing.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace ::qc::import;
namespace cl = llvm::cl;

static cl::OptionCategory importCategory("qc-import options");
static cl::list<std::string> inputs(cl::Positional, cl::OneOrMore,
                                    cl::desc("<model.safetensors | model.gguf | x.npy>..."),
                                    cl::cat(importCategory));
static cl::opt<std::string> output("o", cl::desc("Output file ('-': stdout)"),
                                   cl::value_desc("file"), cl::init("-"),
    cl::cat(importCategory));
enum class Emit { Bytecode, Text };
static cl::opt<Emit> emit(
    "emit", cl::desc("Output form"), cl::init(Emit::Bytecode),
    cl::values(clEnumValN(Emit::Bytecode, "bytecode",
                          "MLIR bytecode, blobs stored raw (default)"),
               clEnumValN(Emit::Text, "text",
                          "MLIR text, blobs as hex (twice the size)")),
    cl::cat(importCategory));
static cl::opt<std::string>
    selectRegex("select", cl::desc("Import only tensors whose name matches"),
           cl::value_desc("regex"),
    cl::cat(importCategory));
static cl::opt<std::string> linears(
    "linears",
    cl::desc("2-D 'P.weight' tensors (N x K) whose name matches become "
             "linear layers @P(%x: tensor<?xKxf32>) -> tensor<?xNxf32>, with "
             "'P.bias' as their bias"),
    cl::value_desc("regex"),
    cl::cat(importCategory));
static cl::opt<std::string> into(
    "into",
    cl::desc("Fill the dense_resource blobs this module names by tensor "
             "(and add the linear layers to it) instead of one function per "
             "tensor"),
    cl::value_desc("module.mlir"),
    cl::cat(importCategory));

static cl::opt<std::string> metadataPath(
    "metadata",
    cl::desc("Write a GGUF file's metadata (every key: architecture, sizes, "
             "RoPE and norm parameters, tokenizer) to this JSON file"),
    cl::value_desc("file.json"), cl::cat(importCategory));
static cl::opt<bool> ggufFloat(
    "gguf-float",
    cl::desc("Decode every GGUF block format to f32 (default: each becomes "
             "the qc type that holds it exactly)"),
    cl::init(false), cl::cat(importCategory));

namespace {

/// A tensor's type in MLIR.
RankedTensorType tensorType(MLIRContext *ctx, const WeightTensor &t) {
  Type element = llvm::StringSwitch<Type>(mlirName(t.dtype))
                     .Case("f64", Float64Type::get(ctx))
                     .Case("f32", Float32Type::get(ctx))
                     .Case("f16", Float16Type::get(ctx))
                     .Case("bf16", BFloat16Type::get(ctx))
                     .Case("ui8", IntegerType::get(ctx, 8, IntegerType::Unsigned))
                     .Default(Type());
  if (!element)
    element = IntegerType::get(ctx, byteSize(t.dtype) * 8);
  return RankedTensorType::get(t.shape, element);
}

AsmResourceBlob blobOf(ArrayRef<char> data, size_t align) {
  return HeapAsmResourceBlob::allocateAndCopyWithAlign(data, align);
}

/// The tensor's values as f32 bytes (for linear layers), or an error for
/// integer tensors.
llvm::Expected<std::vector<char>> asF32(const WeightTensor &t) {
  int64_t n = t.numElements();
  std::vector<float> values(static_cast<size_t>(n));
  const char *p = t.data.data();
  for (int64_t i = 0; i < n; ++i) {
    switch (t.dtype) {
    case DType::F32:
      std::memcpy(&values[i], p + 4 * i, 4);
      break;
    case DType::F64: {
      double d;
      std::memcpy(&d, p + 8 * i, 8);
      values[i] = float(d);
      break;
    }
    case DType::F16:
    case DType::BF16: {
      uint16_t bits;
      std::memcpy(&bits, p + 2 * i, 2);
      llvm::APFloat f(t.dtype == DType::F16 ? llvm::APFloat::IEEEhalf()
                                            : llvm::APFloat::BFloat(),
                      llvm::APInt(16, bits));
      values[i] = f.convertToFloat();
      break;
    }
    default:
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "tensor '" + t.name + "' is " + mlirName(t.dtype).str() +
              ": a linear layer's weight and bias must be floats");
    }
  }
  std::vector<char> bytes(values.size() * 4);
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

/// `blocks`' codes packed as a qc.constant holds them (codeBits each, in
/// bytes).
std::vector<uint8_t> packedCodes(const BlockParts &blocks) {
  std::vector<uint8_t> codes(blocks.codes.size());
  uint8_t mask = uint8_t((1u << blocks.codeBits) - 1);
  for (size_t i = 0; i < codes.size(); ++i)
    codes[i] = uint8_t(blocks.codes[i]) & mask;
  return mlir::qc::numerics::packCodes(codes, blocks.codeBits);
}

/// The bytes of the blob `part` (".codes", ".scales" or ".mins") of a
/// block tensor whose parts are all blobs (f16 scales, and f16 mins or
/// none: Q4_0, Q4_1, Q5_0, Q5_1, Q8_0), as createBlockConstant writes them;
/// with their element byte size. Fails with `why` for a part the tensor
/// does not have as a blob (the K-quants' integer sub-block scales are
/// dense attributes, not blobs).
FailureOr<std::pair<std::vector<char>, unsigned>>
blockBlobBytes(const BlockParts &blocks, StringRef part, std::string &why) {
  using Kind = BlockParts::Kind;
  auto f16Bits = [](const std::vector<int32_t> &bits) {
    std::vector<char> out(bits.size() * 2);
    for (size_t i = 0; i < bits.size(); ++i) {
      uint16_t b = uint16_t(bits[i]);
      std::memcpy(out.data() + 2 * i, &b, 2);
    }
    return std::make_pair(out, 2u);
  };
  if (part == ".codes") {
    std::vector<uint8_t> packed = packedCodes(blocks);
    return std::make_pair(std::vector<char>(packed.begin(), packed.end()), 1u);
  }
  if (part == ".scales" && blocks.scaleKind == Kind::F16)
    return f16Bits(blocks.scales);
  if (part == ".mins" && blocks.minKind == Kind::F16)
    return f16Bits(blocks.mins);
  why = "it has no " + part.str() +
        " blob (a K-quant's integer sub-block scales and mins are dense "
        "attributes: import it without --into, or with --gguf-float)";
  return failure();
}

/// The qc.constant holding `t`'s blocks exactly (BlockParts): packed codes
/// and f16 parts as blobs, integer sub-block scales and mins as dense
/// integers of their width.
Value createBlockConstant(OpBuilder &b, Location loc, const WeightTensor &t) {
  using Kind = BlockParts::Kind;
  MLIRContext *ctx = b.getContext();
  const BlockParts &blocks = *t.blocks;
  auto granularity = [&](int64_t size) {
    SmallVector<int64_t> sizes(t.shape.size(), 1);
    sizes.back() = size;
    return mlir::qc::PerBlockAttr::get(ctx, sizes);
  };
  Type f16 = b.getF16Type();
  auto intType = [&](unsigned bits, bool isSigned) {
    return IntegerType::get(ctx, bits,
                            isSigned ? IntegerType::Signed
                                     : IntegerType::Unsigned);
  };
  bool twoLevel = blocks.scaleKind == Kind::Int;
  Type scaleType =
      twoLevel ? intType(blocks.scaleBits, blocks.signedScales) : f16;
  Type minType, outerMinType;
  if (blocks.minKind == Kind::F16)
    minType = f16;
  if (blocks.minKind == Kind::Int) {
    minType = intType(blocks.minBits, /*isSigned=*/false);
    outerMinType = f16;
  }
  auto type = mlir::qc::QuantizedTensorType::get(
      ctx, t.shape,
      mlir::qc::IntGridAttr::get(ctx, blocks.codeBits, blocks.signedCodes,
                                 /*narrow=*/false),
      granularity(blocks.block), scaleType, /*zeroPointType=*/{},
      twoLevel ? granularity(blocks.superBlock)
               : mlir::qc::GranularityAttrInterface(),
      twoLevel ? f16 : Type(), /*layout=*/{}, /*rotation=*/{}, std::nullopt,
      minType, outerMinType);
  std::vector<uint8_t> packed = packedCodes(blocks);
  auto codesType = RankedTensorType::get({int64_t(packed.size())},
                                         b.getIntegerType(8));
  auto codesAttr = DenseResourceElementsAttr::get(
      codesType, t.name + ".codes",
      blobOf(ArrayRef<char>(reinterpret_cast<const char *>(packed.data()),
                            packed.size()),
             8));
  // f16 bits as a blob; integers as dense values of the part's width.
  auto part = [&](RankedTensorType partType, StringRef suffix,
                  ArrayRef<int32_t> values, bool isF16) -> ElementsAttr {
    if (isF16) {
      std::vector<uint16_t> bits(values.begin(), values.end());
      return DenseResourceElementsAttr::get(
          partType, t.name + suffix.str(),
          blobOf(ArrayRef<char>(reinterpret_cast<const char *>(bits.data()),
                                bits.size() * 2),
                 2));
    }
    unsigned width = partType.getElementTypeBitWidth();
    SmallVector<APInt> ints;
    ints.reserve(values.size());
    for (int32_t v : values)
      ints.push_back(APInt(width, uint64_t(int64_t(v)), /*isSigned=*/true,
                           /*implicitTrunc=*/true));
    return DenseElementsAttr::get(partType, ints);
  };
  auto halves = [](const std::vector<uint16_t> &bits) {
    return std::vector<int32_t>(bits.begin(), bits.end());
  };
  ElementsAttr scales = part(type.getScalesTensorType(), ".scales",
                             blocks.scales, !twoLevel);
  ElementsAttr outerScales, mins, outerMins;
  if (twoLevel)
    outerScales = part(type.getOuterScalesTensorType(), ".outer_scales",
                       halves(blocks.outerScales), true);
  if (minType)
    mins = part(type.getMinsTensorType(), ".mins", blocks.mins,
                blocks.minKind == Kind::F16);
  if (outerMinType)
    outerMins = part(type.getOuterMinsTensorType(), ".outer_mins",
                     halves(blocks.outerMins), true);
  return mlir::qc::ConstantOp::create(b, loc, type, codesAttr, scales,
                                      ElementsAttr(), outerScales, mins,
                                      outerMins);
}

/// A GGUF metadata value as an attribute (arrays longer than 64 elements,
/// a tokenizer's vocabulary, are left to the JSON file).
Attribute metadataAttr(Builder &b, const llvm::json::Value &v, bool isFloat) {
  if (isFloat)
    if (auto d = v.getAsNumber())
      return b.getF64FloatAttr(*d);
  if (auto i = v.getAsInteger())
    return b.getI64IntegerAttr(*i);
  if (auto u = v.getAsUINT64())
    return b.getIntegerAttr(b.getIntegerType(64, /*isSigned=*/false),
                            llvm::APInt(64, *u));
  if (auto d = v.getAsNumber())
    return b.getF64FloatAttr(*d);
  if (auto flag = v.getAsBoolean())
    return b.getBoolAttr(*flag);
  if (auto str = v.getAsString())
    return b.getStringAttr(*str);
  if (const llvm::json::Array *a = v.getAsArray()) {
    if (a->size() > 64)
      return Attribute();
    SmallVector<Attribute> items;
    for (const llvm::json::Value &item : *a)
      if (Attribute attr = metadataAttr(b, item, isFloat))
        items.push_back(attr);
      else
        return Attribute();
    return b.getArrayAttr(items);
  }
  return Attribute();
}

/// The tensors of a GGUF file as WeightTensors: float and integer tensors
/// as they are, block formats as BlockParts (with --gguf-float, decoded to
/// f32 into `owned`). Fails on a type qc-import does not read, naming the
/// tensor.
llvm::Expected<std::vector<WeightTensor>>
importGGUF(const GGUFFile &file, const std::optional<llvm::Regex> &select,
           std::vector<std::vector<char>> &owned) {
  std::vector<WeightTensor> result;
  for (const GGUFTensor &t : file.tensors) {
    if (select && !select->match(t.name))
      continue;
    GGMLTypeInfo info = *ggmlTypeInfo(t.type);
    if (!info.readable)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "tensor '" + t.name + "' is " + info.name +
              ", a format qc-import does not read (it reads F32, F16, "
              "BF16, F64, I8-I64, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, "
              "Q4_K, Q5_K, Q6_K); --select can leave it out");
    WeightTensor w{t.name, DType::F32, t.shape, t.data, nullptr};
    switch (t.ggmlType()) {
    case GGMLType::F32:
      break;
    case GGMLType::F16:
      w.dtype = DType::F16;
      break;
    case GGMLType::BF16:
      w.dtype = DType::BF16;
      break;
    case GGMLType::F64:
      w.dtype = DType::F64;
      break;
    case GGMLType::I8:
      w.dtype = DType::I8;
      break;
    case GGMLType::I16:
      w.dtype = DType::I16;
      break;
    case GGMLType::I32:
      w.dtype = DType::I32;
      break;
    case GGMLType::I64:
      w.dtype = DType::I64;
      break;
    default:
      if (!ggufFloat)
        if (std::optional<BlockParts> blocks = blockParts(t)) {
          w.blocks = std::make_shared<BlockParts>(std::move(*blocks));
          break;
        }
      llvm::Expected<std::vector<float>> values = dequantizeGGUF(t);
      if (!values)
        return values.takeError();
      std::vector<char> &bytes = owned.emplace_back(values->size() * 4);
      std::memcpy(bytes.data(), values->data(), bytes.size());
      w.data = bytes;
      break;
    }
    result.push_back(std::move(w));
  }
  return result;
}

struct Importer {
  MLIRContext &ctx;
  ModuleOp module;
  std::vector<WeightTensor> tensors;
  llvm::StringMap<size_t> byName;

  LogicalResult error(const llvm::Twine &msg) {
    llvm::errs() << "qc-import: " << msg << "\n";
    return failure();
  }

  /// Appends @sym() -> tensor returning the tensor as a blob constant.
  void addGetter(const WeightTensor &t) {
    Location loc = NameLoc::get(StringAttr::get(&ctx, t.name));
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    RankedTensorType type = tensorType(&ctx, t);
    if (t.blocks) {
      auto fn = func::FuncOp::create(b, loc, t.name,
                                     b.getFunctionType({}, type));
      b.setInsertionPointToStart(fn.addEntryBlock());
      Value c = createBlockConstant(b, loc, t);
      fn.setFunctionType(b.getFunctionType({}, c.getType()));
      func::ReturnOp::create(b, loc, c);
      return;
    }
    auto fn = func::FuncOp::create(b, loc, t.name, b.getFunctionType({}, type));
    b.setInsertionPointToStart(fn.addEntryBlock());
    auto attr = DenseResourceElementsAttr::get(
        type, t.name, blobOf(t.data, byteSize(t.dtype)));
    Value c = arith::ConstantOp::create(b, loc, attr);
    func::ReturnOp::create(b, loc, c);
  }

  /// Appends the linear layer @prefix of weight `w` (N x K) and `bias`.
  LogicalResult addLinear(StringRef prefix, const WeightTensor &w,
                          const WeightTensor *bias) {
    int64_t n = w.shape[0], k = w.shape[1];
    if (bias && (bias->shape.size() != 1 || bias->shape[0] != n))
      return error("'" + bias->name + "' has " +
                   llvm::Twine(bias->shape.size()) +
                   " dimensions or a size other than " + llvm::Twine(n) +
                   ", the output size of '" + w.name + "'");
    if (SymbolTable::lookupSymbolIn(module, prefix))
      return error("the module already has a symbol @" + prefix);
    Location loc = NameLoc::get(StringAttr::get(&ctx, w.name));
    Type f32 = Float32Type::get(&ctx);
    auto xType = RankedTensorType::get({ShapedType::kDynamic, k}, f32);
    auto yType = RankedTensorType::get({ShapedType::kDynamic, n}, f32);
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    auto fn =
        func::FuncOp::create(b, loc, prefix, b.getFunctionType(xType, yType));
    Block *body = fn.addEntryBlock();
    b.setInsertionPointToStart(body);
    Value weight;
    if (w.blocks) {
      weight = createBlockConstant(b, loc, w);
    } else {
      llvm::Expected<std::vector<char>> wBytes = asF32(w);
      if (!wBytes)
        return error(llvm::toString(wBytes.takeError()));
      weight = arith::ConstantOp::create(
          b, loc,
          DenseResourceElementsAttr::get(RankedTensorType::get({n, k}, f32),
                                         w.name, blobOf(*wBytes, 4)));
    }
    Value biasValue;
    if (bias) {
      llvm::Expected<std::vector<char>> bBytes = asF32(*bias);
      if (!bBytes)
        return error(llvm::toString(bBytes.takeError()));
      biasValue = arith::ConstantOp::create(
          b, loc,
          DenseResourceElementsAttr::get(RankedTensorType::get({n}, f32),
                                         bias->name, blobOf(*bBytes, 4)));
    }
    Value y = mlir::qc::MatmulOp::create(b, loc, yType, body->getArgument(0),
                                         weight, biasValue, Value())
                  .getResult();
    func::ReturnOp::create(b, loc, y);
    return success();
  }

  /// Fills the template's blob `handle` (of `attr`'s type) with part
  /// `part` of block tensor `t`: the byte count must be the type's.
  LogicalResult fillBlockPart(DenseResourceElementsHandle handle,
                              DenseResourceElementsAttr attr,
                              const WeightTensor &t, StringRef part) {
    std::string why;
    FailureOr<std::pair<std::vector<char>, unsigned>> bytes =
        blockBlobBytes(*t.blocks, part, why);
    if (failed(bytes))
      return error("dense_resource<" + handle.getKey() + ">: '" + t.name +
                   "' " + why);
    auto type = cast<ShapedType>(attr.getType());
    int64_t want = type.getNumElements() *
                   ((type.getElementTypeBitWidth() + 7) / 8);
    if (int64_t(bytes->first.size()) != want ||
        (type.getElementTypeBitWidth() + 7) / 8 != bytes->second) {
      std::string h;
      llvm::raw_string_ostream(h) << type;
      return error("shape mismatch for '" + handle.getKey() +
                   "': the module has " + h + " (" + std::to_string(want) +
                   " bytes), '" + t.name + "' gives " +
                   std::to_string(bytes->first.size()) + " bytes of " +
                   std::to_string(bytes->second) + "-byte elements");
    }
    handle.getResource()->setBlob(blobOf(bytes->first, bytes->second));
    return success();
  }

  /// The dense_resource blobs of the template: each key must name a tensor
  /// of the same shape and element type; the blob gets its bytes.
  LogicalResult fillTemplate() {
    LogicalResult result = success();
    llvm::StringSet<> filled;
    module.walk([&](Operation *op) {
      op->getAttrDictionary().walk([&](DenseResourceElementsAttr attr) {
        DenseResourceElementsHandle handle = attr.getRawHandle();
        StringRef key = handle.getKey();
        if (!filled.insert(key).second)
          return;
        auto it = byName.find(key);
        if (it == byName.end()) {
          // A part of a block-quantized tensor: NAME.codes, NAME.scales,
          // NAME.mins, as the qc.constant qc-import writes names them.
          auto [name, part] = key.rsplit('.');
          auto blockIt = byName.find(name);
          if (!part.empty() && blockIt != byName.end() &&
              tensors[blockIt->second].blocks) {
            result = fillBlockPart(handle, attr, tensors[blockIt->second],
                                   "." + part.str());
            return;
          }
          if (!handle.getBlob())
            result = error("the module names dense_resource<" + key +
                           ">, which no input holds and the module does not "
                           "define");
          return;
        }
        const WeightTensor &t = tensors[it->second];
        if (t.blocks) {
          result = error("dense_resource<" + key + "> names '" + t.name +
                         "', a block-quantized tensor; name its parts (" +
                         key + ".codes, .scales, .mins in a qc.constant), or "
                         "decode it with --gguf-float");
          return;
        }
        RankedTensorType want = tensorType(&ctx, t);
        auto have = cast<ShapedType>(attr.getType());
        if (have.getShape() != want.getShape() ||
            have.getElementType() != want.getElementType()) {
          std::string h, w;
          llvm::raw_string_ostream(h) << have;
          llvm::raw_string_ostream(w) << want;
          result = error("shape mismatch for '" + key + "': the module has " +
                         h + ", the input has " + w);
          return;
        }
        handle.getResource()->setBlob(blobOf(t.data, byteSize(t.dtype)));
      });
    });
    return result;
  }
};

} // namespace

static LogicalResult run(MLIRContext &ctx,
                         std::vector<std::unique_ptr<llvm::MemoryBuffer>> &files,
                         std::vector<std::vector<char>> &owned) {
  Importer im{ctx, ModuleOp(), {}, {}};
  llvm::json::Object ggufMetadata;
  llvm::StringSet<> ggufFloatKeys;
  auto error = [&](const llvm::Twine &msg) { return im.error(msg); };
  std::optional<llvm::Regex> selectRe, linearsRe;
  std::string why;
  if (!selectRegex.empty()) {
    selectRe.emplace(selectRegex);
    if (!selectRe->isValid(why))
      return error("--select='" + selectRegex + "' is not a regex: " + why);
  }
  if (!linears.empty()) {
    linearsRe.emplace(linears);
    if (!linearsRe->isValid(why))
      return error("--linears='" + linears + "' is not a regex: " + why);
  }
  for (const std::string &path : inputs) {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
        llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                    /*RequiresNullTerminator=*/false);
    if (!buffer)
      return error("cannot read " + path + ": " + buffer.getError().message());
    StringRef bytes = (*buffer)->getBuffer();
    files.push_back(std::move(*buffer));
    if (isGGUF(bytes) || StringRef(path).ends_with(".gguf")) {
      llvm::Expected<GGUFFile> file = readGGUF(bytes, path);
      if (!file)
        return error(llvm::toString(file.takeError()));
      llvm::Expected<std::vector<WeightTensor>> ts =
          importGGUF(*file, selectRe, owned);
      if (!ts)
        return error(path + ": " + llvm::toString(ts.takeError()));
      for (WeightTensor &t : *ts)
        im.tensors.push_back(std::move(t));
      for (auto &[key, value] : file->metadata)
        ggufMetadata[key] = value;
      for (const std::string &key : file->floatKeys)
        ggufFloatKeys.insert(key);
      continue;
    }
    if (StringRef(path).ends_with(".npy")) {
      llvm::Expected<WeightTensor> t =
          readNpy(bytes, path, llvm::sys::path::stem(path));
      if (!t)
        return error(llvm::toString(t.takeError()));
      im.tensors.push_back(std::move(*t));
      continue;
    }
    llvm::Expected<std::vector<WeightTensor>> ts = readSafetensors(bytes, path);
    if (!ts)
      return error(llvm::toString(ts.takeError()));
    for (WeightTensor &t : *ts)
      im.tensors.push_back(std::move(t));
  }
  std::vector<WeightTensor> kept;
  for (WeightTensor &t : im.tensors) {
    if (selectRe && !selectRe->match(t.name))
      continue;
    if (im.byName.count(t.name))
      return error("two inputs hold a tensor named '" + t.name + "'");
    im.byName[t.name] = kept.size();
    kept.push_back(std::move(t));
  }
  im.tensors = std::move(kept);

  OwningOpRef<ModuleOp> module;
  if (!into.empty()) {
    module = parseSourceFile<ModuleOp>(into, &ctx);
    if (!module)
      return failure(); // the parser reported it
  } else {
    module = ModuleOp::create(UnknownLoc::get(&ctx));
  }
  im.module = *module;
  if (!into.empty() && failed(im.fillTemplate()))
    return failure();

  llvm::StringSet<> usedAsBias;
  size_t numLinears = 0;
  if (linearsRe)
    for (const WeightTensor &t : im.tensors) {
      StringRef name = t.name;
      if (!linearsRe->match(name) || !name.ends_with(".weight") ||
          t.shape.size() != 2)
        continue;
      StringRef prefix = name.drop_back(strlen(".weight"));
      std::string biasName = (prefix + ".bias").str();
      auto it = im.byName.find(biasName);
      const WeightTensor *bias =
          it == im.byName.end() ? nullptr : &im.tensors[it->second];
      if (failed(im.addLinear(prefix, t, bias)))
        return failure();
      usedAsBias.insert(biasName);
      usedAsBias.insert(name);
      ++numLinears;
    }
  if (linearsRe && numLinears == 0)
    return error("--linears='" + linears +
                 "' matches no 2-D tensor named '<prefix>.weight'");
  if (into.empty())
    for (const WeightTensor &t : im.tensors)
      if (!usedAsBias.contains(t.name)) {
        if (SymbolTable::lookupSymbolIn(*module, t.name))
          return error("the module already has a symbol @" + t.name);
        im.addGetter(t);
      }
  if (!ggufMetadata.empty()) {
    Builder b(&ctx);
    SmallVector<NamedAttribute> entries;
    for (auto &[key, value] : ggufMetadata)
      if (Attribute attr =
              metadataAttr(b, value, ggufFloatKeys.contains(key.str())))
        entries.push_back(b.getNamedAttr(key.str(), attr));
    (*module)->setAttr("gguf.metadata", b.getDictionaryAttr(entries));
  }
  if (!metadataPath.empty()) {
    if (ggufMetadata.empty())
      return error("--metadata: no GGUF input has metadata");
    std::string errorMessage;
    std::unique_ptr<llvm::ToolOutputFile> json =
        openOutputFile(metadataPath, &errorMessage);
    if (!json)
      return error(errorMessage);
    json->os() << llvm::formatv(
        "{0:2}", llvm::json::Value(llvm::json::Object(ggufMetadata)));
    json->os() << "\n";
    json->keep();
  }
  if (failed(verify(*module)))
    return failure();

  std::string errorMessage;
  std::unique_ptr<llvm::ToolOutputFile> out =
      openOutputFile(output, &errorMessage);
  if (!out)
    return error(errorMessage);
  if (emit == Emit::Text) {
    module->print(out->os());
  } else if (failed(writeBytecodeToFile(*module, out->os()))) {
    return error("cannot write bytecode");
  }
  out->keep();
  return success();
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // --help lists qc-import's own options, not LLVM's.
  cl::HideUnrelatedOptions(importCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "qc-import: safetensors, GGUF and .npy weights into a qc module of "
      "dense_resource blobs (MLIR bytecode by default)\n");
  DialectRegistry registry;
  mlir::qc::registerAllDialects(registry);
  MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  // Buffers the tensors point into live until the module is written.
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> files;
  std::vector<std::vector<char>> owned;
  return failed(run(ctx, files, owned)) ? 1 : 0;
}
