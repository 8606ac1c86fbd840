//===- _qc.cpp - Python bindings of qc over its C API ---------------------===//
//
// The `qc._qc` extension: a context with qc's dialects, modules (parse,
// print, pass pipelines, bytecode), types (!qc.qtensor inspection), the
// weight builders and MLIR's ExecutionEngine, all through libQCCAPI.so's C
// API (include/qc-c/QC.h and MLIR's mlir-c headers). Errors the C API
// reports as diagnostics become qc.MLIRError with the diagnostics' text.
//
//===----------------------------------------------------------------------===//

#include "qc-c/QC.h"

#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "mlir-c/Diagnostics.h"
#include "mlir-c/ExecutionEngine.h"
#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "mlir-c/Support.h"
#include "mlir-c/Transforms.h"

#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/map.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/unique_ptr.h>
#include <nanobind/stl/vector.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <malloc.h>
#include <mutex>
#include <unordered_map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nb = nanobind;

namespace {

std::string toString(MlirStringRef s) { return std::string(s.data, s.length); }
MlirStringRef sref(const std::string &s) {
  return mlirStringRefCreate(s.data(), s.size());
}

/// Appends printed IR to a std::string.
void appendTo(MlirStringRef chunk, void *userData) {
  static_cast<std::string *>(userData)->append(chunk.data, chunk.length);
}

struct MLIRError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// An MLIR context with qc's dialects and every dialect its pipelines need,
/// qc's passes registered, and the LLVM IR translations for the JIT. It
/// collects diagnostics so that a failing C API call becomes an exception
/// carrying them.
class Context {
public:
  Context() {
    static bool passesRegistered = [] {
      mlirQCRegisterAllPasses();
      // Upstream's transforms (canonicalize, cse, inline, ...).
      mlirRegisterTransformsPasses();
      return true;
    }();
    (void)passesRegistered;
    MlirDialectRegistry registry = mlirDialectRegistryCreate();
    mlirQCRegisterAllDialects(registry);
    ctx = mlirContextCreateWithRegistry(registry, /*threadingEnabled=*/false);
    mlirDialectRegistryDestroy(registry);
    mlirContextLoadAllAvailableDialects(ctx);
    mlirQCRegisterLLVMTranslations(ctx);
    handler = mlirContextAttachDiagnosticHandler(ctx, &Context::collect, this,
                                                 nullptr);
  }
  ~Context() {
    mlirContextDetachDiagnosticHandler(ctx, handler);
    mlirContextDestroy(ctx);
  }
  Context(const Context &) = delete;
  Context &operator=(const Context &) = delete;

  MlirContext get() const { return ctx; }
  MlirLocation unknownLoc() const { return mlirLocationUnknownGet(ctx); }

  /// Throws MLIRError with `what` and the diagnostics collected since the
  /// last call (which it clears).
  [[noreturn]] void fail(const std::string &what) {
    std::string msg = what;
    for (const std::string &d : diagnostics)
      msg += "\n" + d;
    diagnostics.clear();
    throw MLIRError(msg);
  }
  void clear() { diagnostics.clear(); }
  /// The diagnostics (warnings, remarks) of the last successful call.
  std::vector<std::string> take() {
    std::vector<std::string> taken;
    taken.swap(diagnostics);
    return taken;
  }

private:
  static MlirLogicalResult collect(MlirDiagnostic diag, void *userData) {
    auto *self = static_cast<Context *>(userData);
    std::string text;
    mlirLocationPrint(mlirDiagnosticGetLocation(diag), appendTo, &text);
    text += ": ";
    mlirDiagnosticPrint(diag, appendTo, &text);
    for (intptr_t i = 0, e = mlirDiagnosticGetNumNotes(diag); i < e; ++i) {
      text += "\n  note: ";
      mlirDiagnosticPrint(mlirDiagnosticGetNote(diag, i), appendTo, &text);
    }
    self->diagnostics.push_back(std::move(text));
    return mlirLogicalResultSuccess();
  }

  MlirContext ctx;
  MlirDiagnosticHandlerID handler;
  std::vector<std::string> diagnostics;
};

/// A type of a context (kept alive by the Python object).
struct Type {
  std::shared_ptr<Context> ctx;
  MlirType type;

  std::string str() const {
    std::string s;
    mlirTypePrint(type, appendTo, &s);
    return s;
  }
  bool isQTensor() const { return mlirTypeIsAQCQuantizedTensor(type); }
  bool isRankedTensor() const { return mlirTypeIsARankedTensor(type); }
  void requireQTensor() const {
    if (!isQTensor())
      throw nb::type_error(("not a !qc.qtensor: " + str()).c_str());
  }
  /// Dimensions, -1 for a dynamic one.
  std::vector<int64_t> shape() const {
    std::vector<int64_t> dims;
    if (isQTensor()) {
      for (intptr_t i = 0, e = mlirQCQuantizedTensorTypeGetRank(type); i < e;
           ++i) {
        int64_t d = mlirQCQuantizedTensorTypeGetDimSize(type, i);
        dims.push_back(mlirShapedTypeIsDynamicSize(d) ? -1 : d);
      }
      return dims;
    }
    if (!mlirTypeIsAShaped(type) || !mlirShapedTypeHasRank(type))
      throw nb::type_error(("not a ranked shaped type: " + str()).c_str());
    for (intptr_t i = 0, e = mlirShapedTypeGetRank(type); i < e; ++i) {
      int64_t d = mlirShapedTypeGetDimSize(type, i);
      dims.push_back(mlirShapedTypeIsDynamicSize(d) ? -1 : d);
    }
    return dims;
  }
  Type wrap(MlirType t) const { return Type{ctx, t}; }
};

std::string attrString(MlirAttribute attr) {
  std::string s;
  mlirAttributePrint(attr, appendTo, &s);
  return s;
}

/// A module owned by Python (or by nobody once consumed by a JIT).
using FloatArray = nb::ndarray<const float, nb::c_contig, nb::device::cpu>;

class Module {
public:
  Module(std::shared_ptr<Context> ctx, MlirModule module)
      : ctx(std::move(ctx)), module(module) {}
  ~Module() {
    if (!mlirModuleIsNull(module))
      mlirModuleDestroy(module);
  }
  Module(const Module &) = delete;
  Module &operator=(const Module &) = delete;

  static std::unique_ptr<Module> parse(std::shared_ptr<Context> ctx,
                                       const std::string &text) {
    ctx->clear();
    MlirModule m = mlirModuleCreateParse(ctx->get(), sref(text));
    if (mlirModuleIsNull(m))
      ctx->fail("cannot parse the module");
    return std::make_unique<Module>(ctx, m);
  }
  static std::unique_ptr<Module> load(std::shared_ptr<Context> ctx,
                                      const std::string &path) {
    ctx->clear();
    MlirModule m = mlirModuleCreateParseFromFile(ctx->get(), sref(path));
    if (mlirModuleIsNull(m))
      ctx->fail("cannot read a module from " + path);
    return std::make_unique<Module>(ctx, m);
  }
  static std::unique_ptr<Module> create(std::shared_ptr<Context> ctx) {
    return std::make_unique<Module>(ctx,
                                    mlirModuleCreateEmpty(ctx->unknownLoc()));
  }

  MlirOperation op() const {
    if (mlirModuleIsNull(module))
      throw MLIRError("the module was handed to a JIT and is gone");
    return mlirModuleGetOperation(module);
  }
  std::string str() const {
    std::string s;
    mlirOperationPrint(op(), appendTo, &s);
    return s;
  }
  nb::bytes bytecode() const {
    std::string s;
    mlirOperationWriteBytecode(op(), appendTo, &s);
    return nb::bytes(s.data(), s.size());
  }
  void verify() {
    ctx->clear();
    if (!mlirOperationVerify(op()))
      ctx->fail("the module does not verify");
  }
  /// Runs a textual pass pipeline (as qc-opt's --pass-pipeline, without
  /// the builtin.module anchor: "qc-cpu-pipeline", "canonicalize,cse").
  void run(const std::string &pipeline) {
    ctx->clear();
    MlirPassManager pm = mlirPassManagerCreate(ctx->get());
    std::string parseError;
    MlirLogicalResult parsed = mlirParsePassPipeline(
        mlirPassManagerGetAsOpPassManager(pm),
        sref("builtin.module(" + pipeline + ")"), appendTo, &parseError);
    if (mlirLogicalResultIsFailure(parsed)) {
      mlirPassManagerDestroy(pm);
      ctx->fail("cannot parse the pass pipeline '" + pipeline +
                "': " + parseError);
    }
    MlirLogicalResult result = mlirPassManagerRunOnOp(pm, op());
    mlirPassManagerDestroy(pm);
    if (mlirLogicalResultIsFailure(result))
      ctx->fail("the pass pipeline '" + pipeline + "' failed");
  }
  /// The function `name` (a func.func at the top level).
  MlirOperation function(const std::string &name) const {
    MlirSymbolTable table = mlirSymbolTableCreate(op());
    MlirOperation f = mlirSymbolTableLookup(table, sref(name));
    mlirSymbolTableDestroy(table);
    if (mlirOperationIsNull(f))
      throw nb::key_error(("no function @" + name + " in the module").c_str());
    return f;
  }
  std::vector<std::string> functions() const {
    std::vector<std::string> names;
    MlirBlock body = mlirModuleGetBody(module);
    for (MlirOperation o = mlirBlockGetFirstOperation(body);
         !mlirOperationIsNull(o); o = mlirOperationGetNextInBlock(o)) {
      MlirAttribute sym = mlirOperationGetAttributeByName(
          o, mlirSymbolTableGetSymbolAttributeName());
      if (!mlirAttributeIsNull(sym) && mlirAttributeIsAString(sym))
        names.push_back(toString(mlirStringAttrGetValue(sym)));
    }
    return names;
  }
  /// (inputs, results) of function `name`'s type.
  std::pair<std::vector<Type>, std::vector<Type>>
  signature(const std::string &name) const {
    MlirAttribute typeAttr =
        mlirOperationGetAttributeByName(function(name), sref("function_type"));
    if (mlirAttributeIsNull(typeAttr))
      throw nb::key_error(("@" + name + " is not a function").c_str());
    MlirType fnType = mlirTypeAttrGetValue(typeAttr);
    Type wrapper{ctx, fnType};
    std::vector<Type> ins, outs;
    for (intptr_t i = 0, e = mlirFunctionTypeGetNumInputs(fnType); i < e; ++i)
      ins.push_back(wrapper.wrap(mlirFunctionTypeGetInput(fnType, i)));
    for (intptr_t i = 0, e = mlirFunctionTypeGetNumResults(fnType); i < e; ++i)
      outs.push_back(wrapper.wrap(mlirFunctionTypeGetResult(fnType, i)));
    return {ins, outs};
  }
  void emitCInterface(const std::string &name) {
    mlirOperationSetDiscardableAttributeByName(
        function(name), sref("llvm.emit_c_interface"),
        mlirUnitAttrGet(ctx->get()));
  }
  /// Sets attribute `attr` of every qc.matmul whose qc.name is a key of
  /// `values` to a dense_resource f32 tensor of that array (shape and values
  /// copied): calibration statistics for the quantization passes
  /// (qc.act_gram, qc.act_sq_sum, ...). Names no matmul carries are an error.
  void annotateLayers(const std::string &attr,
                      const std::map<std::string, FloatArray> &values) {
    struct Walk {
      const std::map<std::string, FloatArray> *values;
      std::vector<std::pair<MlirOperation, std::string>> found;
    } walk{&values, {}};
    mlirOperationWalk(
        op(),
        [](MlirOperation o, void *user) {
          auto *w = static_cast<Walk *>(user);
          MlirStringRef opName = mlirIdentifierStr(mlirOperationGetName(o));
          if (std::string(opName.data, opName.length) != "qc.matmul")
            return MlirWalkResultAdvance;
          MlirAttribute name =
              mlirOperationGetAttributeByName(o, sref("qc.name"));
          if (mlirAttributeIsNull(name) || !mlirAttributeIsAString(name))
            return MlirWalkResultAdvance;
          MlirStringRef n = mlirStringAttrGetValue(name);
          std::string key(n.data, n.length);
          if (w->values->count(key))
            w->found.push_back({o, key});
          return MlirWalkResultAdvance;
        },
        &walk, MlirWalkPreOrder);
    for (const auto &[name, array] : values)
      if (std::none_of(walk.found.begin(), walk.found.end(),
                       [&](const auto &f) { return f.second == name; }))
        throw nb::value_error(("annotate_layers: no qc.matmul has qc.name = '" +
                               name + "'").c_str());
    MlirType f32 = mlirF32TypeGet(ctx->get());
    for (const auto &[o, name] : walk.found) {
      const FloatArray &a = values.at(name);
      std::vector<int64_t> shape;
      size_t count = 1;
      for (size_t d = 0; d < a.ndim(); ++d) {
        shape.push_back(int64_t(a.shape(d)));
        count *= a.shape(d);
      }
      auto *copy = static_cast<float *>(std::malloc(count * sizeof(float) + 1));
      std::memcpy(copy, a.data(), count * sizeof(float));
      MlirType type = mlirRankedTensorTypeGet(intptr_t(shape.size()), shape.data(), f32,
                                              mlirAttributeGetNull());
      std::string blob = name + "." + attr;
      MlirAttribute value = mlirUnmanagedDenseResourceElementsAttrGet(
          type, sref(blob), copy, count * sizeof(float), alignof(float),
          /*dataIsMutable=*/false,
          [](void *, const void *data, size_t, size_t) {
            std::free(const_cast<void *>(data));
          },
          nullptr);
      mlirOperationSetDiscardableAttributeByName(o, sref(attr), value);
    }
  }

  /// Gives the module to a JIT; this object is empty afterwards.
  MlirModule release() {
    MlirModule m = module;
    module = MlirModule{nullptr};
    return m;
  }

  std::shared_ptr<Context> ctx;

private:
  MlirModule module;
};

using CodeArray = nb::ndarray<const uint8_t, nb::c_contig, nb::device::cpu>;

int64_t numel(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// Element count of part type `t` (a static ranked tensor).
int64_t partSize(const Type &t) { return numel(t.shape()); }

void checkSize(const char *what, size_t got, int64_t want) {
  if (int64_t(got) != want)
    throw nb::value_error((std::string(what) + " has " + std::to_string(got) +
                           " elements, the type needs " + std::to_string(want))
                              .c_str());
}

nb::ndarray<nb::numpy, float> newFloats(const std::vector<int64_t> &shape,
                                        std::vector<float> values) {
  auto *data = new std::vector<float>(std::move(values));
  nb::capsule owner(data, [](void *p) noexcept {
    delete static_cast<std::vector<float> *>(p);
  });
  std::vector<size_t> dims(shape.begin(), shape.end());
  return nb::ndarray<nb::numpy, float>(data->data(), dims.size(), dims.data(),
                                       owner);
}

nb::ndarray<nb::numpy, uint8_t> newCodes(const std::vector<int64_t> &shape,
                                         std::vector<uint8_t> values) {
  auto *data = new std::vector<uint8_t>(std::move(values));
  nb::capsule owner(data, [](void *p) noexcept {
    delete static_cast<std::vector<uint8_t> *>(p);
  });
  std::vector<size_t> dims(shape.begin(), shape.end());
  return nb::ndarray<nb::numpy, uint8_t>(data->data(), dims.size(),
                                         dims.data(), owner);
}

/// numerics::quantize through the C API: (codes, scales, zero points).
nb::tuple quantize(const Type &type, FloatArray data,
                   const std::string &method) {
  type.requireQTensor();
  std::vector<int64_t> shape = type.shape();
  checkSize("the weight array", data.size(), numel(shape));
  Type scalesType = type.wrap(mlirQCQuantizedTensorTypeGetScalesType(type.type));
  std::vector<int64_t> scaleShape = scalesType.shape();
  bool hasZp = !mlirTypeIsNull(mlirQCQuantizedTensorTypeGetZeroPointType(type.type));
  std::vector<uint8_t> codes(size_t(numel(shape)));
  std::vector<float> scales(size_t(numel(scaleShape)));
  std::vector<float> zps(hasZp ? scales.size() : 0);
  type.ctx->clear();
  if (mlirLogicalResultIsFailure(mlirQCQuantizeFloats(
          type.ctx->unknownLoc(), type.type, sref(method), data.data(),
          codes.data(), scales.data(), hasZp ? zps.data() : nullptr)))
    type.ctx->fail("cannot quantize");
  nb::object zpObj = nb::none();
  if (hasZp)
    zpObj = nb::cast(newFloats(scaleShape, std::move(zps)));
  return nb::make_tuple(newCodes(shape, std::move(codes)),
                        newFloats(scaleShape, std::move(scales)), zpObj);
}

/// A detached weight op for add_linear: a qc.constant from parts, or an
/// arith.constant of float weights.
MlirOperation weightOp(const Type &type, std::optional<CodeArray> codes,
                       std::optional<FloatArray> scales,
                       std::optional<FloatArray> zeroPoints,
                       std::optional<FloatArray> weights,
                       const std::string &method, MlirLocation loc) {
  Context &ctx = *type.ctx;
  if (!type.isQTensor()) {
    // A float layer: tensor<N x K x f32> from `weights`.
    if (!weights)
      throw nb::value_error("a float weight type needs weights=");
    if (!mlirTypeIsARankedTensor(type.type) ||
        !mlirTypeIsAF32(mlirShapedTypeGetElementType(type.type)))
      throw nb::value_error(
          ("float weights must be a tensor of f32, got " + type.str()).c_str());
    checkSize("weights", weights->size(), numel(type.shape()));
    MlirAttribute value = mlirDenseElementsAttrFloatGet(
        type.type, intptr_t(weights->size()), weights->data());
    MlirOperationState state =
        mlirOperationStateGet(mlirStringRefCreateFromCString("arith.constant"),
                              loc);
    MlirNamedAttribute named = mlirNamedAttributeGet(
        mlirIdentifierGet(ctx.get(), mlirStringRefCreateFromCString("value")),
        value);
    mlirOperationStateAddAttributes(&state, 1, &named);
    mlirOperationStateAddResults(&state, 1, &type.type);
    return mlirOperationCreate(&state);
  }
  std::vector<int64_t> shape = type.shape();
  Type scalesType = type.wrap(mlirQCQuantizedTensorTypeGetScalesType(type.type));
  bool hasZp =
      !mlirTypeIsNull(mlirQCQuantizedTensorTypeGetZeroPointType(type.type));
  std::vector<uint8_t> codeStore;
  std::vector<float> scaleStore, zpStore;
  const uint8_t *codePtr;
  const float *scalePtr, *zpPtr = nullptr;
  if (weights) {
    if (codes || scales || zeroPoints)
      throw nb::value_error("give either weights= or codes= and scales=");
    nb::tuple parts = quantize(type, *weights, method);
    auto c = nb::cast<nb::ndarray<const uint8_t, nb::c_contig>>(parts[0]);
    auto s = nb::cast<nb::ndarray<const float, nb::c_contig>>(parts[1]);
    codeStore.assign(c.data(), c.data() + c.size());
    scaleStore.assign(s.data(), s.data() + s.size());
    if (hasZp) {
      auto z = nb::cast<nb::ndarray<const float, nb::c_contig>>(parts[2]);
      zpStore.assign(z.data(), z.data() + z.size());
    }
    codePtr = codeStore.data();
    scalePtr = scaleStore.data();
    zpPtr = hasZp ? zpStore.data() : nullptr;
  } else {
    if (!codes || !scales)
      throw nb::value_error("a !qc.qtensor weight needs weights= (floats to "
                            "quantize) or codes= and scales=");
    checkSize("codes", codes->size(), numel(shape));
    checkSize("scales", scales->size(), partSize(scalesType));
    if (hasZp && !zeroPoints)
      throw nb::value_error(
          ("the type has zero points: give zero_points= (" + type.str() + ")")
              .c_str());
    if (!hasZp && zeroPoints)
      throw nb::value_error(
          ("the type has no zero points: " + type.str()).c_str());
    if (zeroPoints)
      checkSize("zero_points", zeroPoints->size(), partSize(scalesType));
    codePtr = codes->data();
    scalePtr = scales->data();
    zpPtr = zeroPoints ? zeroPoints->data() : nullptr;
  }
  ctx.clear();
  MlirOperation op =
      mlirQCConstantOpCreate(loc, type.type, codePtr, scalePtr, zpPtr);
  if (mlirOperationIsNull(op))
    ctx.fail("cannot build the weight constant");
  return op;
}

/// The buffers compiled code allocates and frees, kept for reuse: a
/// decode step of SmolLM2 allocates 678 buffers (kernel scratch, every
/// intermediate tensor), and glibc's malloc spent ~1.7 us on each (bin
/// sorting and coalescing: 8% of the step). Compiled code's `malloc` and
/// `free` resolve to these (Engine registers them), nothing else's.
/// Every block is a glibc block of a size class (4 per power of two), so
/// the host may free a result the compiled code allocated with free(),
/// and a block the host allocated may be cached when compiled code frees
/// it: a freed block goes to the largest class its malloc_usable_size
/// covers. At most kCacheBytes are kept, blocks up to kMaxBlock.
class BufferCache {
public:
  /// Whether compiled code allocates from the cache (QC_MALLOC_TUNING=0
  /// leaves its buffers to glibc).
  static bool enabled() {
    static const bool on = [] {
      const char *tuning = std::getenv("QC_MALLOC_TUNING");
      return !tuning || std::string(tuning) != "0";
    }();
    return on;
  }
  static void *allocate(size_t size) {
    size_t c = ceilClass(size);
    if (c <= kMaxBlock) {
      std::lock_guard<std::mutex> lock(mutex());
      std::vector<void *> &list = lists()[c];
      if (!list.empty()) {
        void *p = list.back();
        list.pop_back();
        cached() -= c;
        return p;
      }
    }
    return std::malloc(c);
  }
  static void release(void *p) {
    if (!p)
      return;
    if (!enabled()) {
      std::free(p);
      return;
    }
    size_t c = floorClass(malloc_usable_size(p));
    if (c != 0 && c <= kMaxBlock) {
      std::lock_guard<std::mutex> lock(mutex());
      if (cached() + c <= kCacheBytes) {
        lists()[c].push_back(p);
        cached() += c;
        return;
      }
    }
    std::free(p);
  }

private:
  static constexpr size_t kCacheBytes = size_t(512) << 20;
  static constexpr size_t kMaxBlock = size_t(128) << 20;
  /// The smallest class >= size: 64, else 2^p + j 2^(p-2) (j = 1..4) for
  /// 2^p < size <= 2^(p+1).
  static size_t ceilClass(size_t size) {
    if (size <= 64)
      return 64;
    int p = 63 - __builtin_clzll(uint64_t(size - 1));
    size_t step = size_t(1) << (p - 2);
    return (size + step - 1) / step * step;
  }
  /// The largest class <= usable (0 below 64).
  static size_t floorClass(size_t usable) {
    if (usable < 64)
      return 0;
    int p = 63 - __builtin_clzll(uint64_t(usable));
    size_t step = size_t(1) << (p - 2);
    return usable / step * step;
  }
  static std::mutex &mutex() {
    static std::mutex m;
    return m;
  }
  static std::unordered_map<size_t, std::vector<void *>> &lists() {
    static auto *l = new std::unordered_map<size_t, std::vector<void *>>();
    return *l;
  }
  static size_t &cached() {
    static size_t bytes = 0;
    return bytes;
  }
};

extern "C" void *qcCachedMalloc(size_t size) {
  return BufferCache::allocate(size);
}
extern "C" void qcCachedFree(void *p) { BufferCache::release(p); }

/// An ExecutionEngine over a lowered module (which it takes).
class Engine {
public:
  Engine(Module &module, int optLevel,
         const std::vector<std::string> &sharedLibs)
      : ctx(module.ctx) {
    std::vector<MlirStringRef> libs;
    for (const std::string &l : sharedLibs)
      libs.push_back(sref(l));
    ctx->clear();
    owned = module.release();
    jit = mlirExecutionEngineCreate(owned, optLevel, int(libs.size()),
                                    libs.data(), /*enableObjectDump=*/false,
                                    /*enablePIC=*/false);
    if (mlirExecutionEngineIsNull(jit))
      ctx->fail("cannot JIT-compile the module (is it lowered to the LLVM "
                "dialect?)");
    // The compiled code's buffers come from BufferCache (QC_MALLOC_TUNING=0
    // leaves them to glibc).
    if (BufferCache::enabled()) {
      mlirExecutionEngineRegisterSymbol(
          jit, sref("malloc"), reinterpret_cast<void *>(&qcCachedMalloc));
      mlirExecutionEngineRegisterSymbol(
          jit, sref("free"), reinterpret_cast<void *>(&qcCachedFree));
    }
  }
  ~Engine() {
    if (!mlirExecutionEngineIsNull(jit))
      mlirExecutionEngineDestroy(jit);
    if (!mlirModuleIsNull(owned))
      mlirModuleDestroy(owned);
  }
  /// Calls the packed wrapper of `name` (a function with
  /// llvm.emit_c_interface) on `args`, the addresses of its argument slots.
  void invokePacked(const std::string &name, std::vector<uintptr_t> args) {
    std::vector<void *> ptrs;
    for (uintptr_t a : args)
      ptrs.push_back(reinterpret_cast<void *>(a));
    if (!mlirExecutionEngineLookupPacked(jit, sref(name)))
      throw nb::key_error(
          ("no function '" + name +
           "' with llvm.emit_c_interface in the compiled module")
              .c_str());
    if (mlirLogicalResultIsFailure(
            mlirExecutionEngineInvokePacked(jit, sref(name), ptrs.data())))
      ctx->fail("calling '" + name + "' failed");
  }

private:
  std::shared_ptr<Context> ctx;
  MlirModule owned{nullptr};
  MlirExecutionEngine jit{nullptr};
};

} // namespace

NB_MODULE(_qc, m) {
  m.doc() = "qc's Python bindings over its C API (libQCCAPI.so).";
  nb::exception<MLIRError>(m, "MLIRError");

  nb::class_<Context>(m, "Context",
                      "An MLIR context with qc's dialects, passes and the "
                      "LLVM IR translations for the JIT.")
      .def(nb::new_([] { return std::make_shared<Context>(); }))
      .def("take_diagnostics", &Context::take,
           "The warnings and remarks the last call (a pass pipeline, a "
           "parse) emitted without failing, as text; clears them.");

  nb::class_<Type>(m, "Type")
      .def_static(
          "parse",
          [](std::shared_ptr<Context> ctx, const std::string &text) {
            ctx->clear();
            MlirType t = mlirTypeParseGet(ctx->get(), sref(text));
            if (mlirTypeIsNull(t))
              ctx->fail("cannot parse the type '" + text + "'");
            return Type{ctx, t};
          },
          nb::arg("context"), nb::arg("text"))
      .def("__str__", &Type::str)
      .def("__repr__", [](const Type &t) { return "Type(" + t.str() + ")"; })
      .def("__eq__", [](const Type &a, const Type &b) {
        return mlirTypeEqual(a.type, b.type);
      })
      .def_prop_ro("is_qtensor", &Type::isQTensor)
      .def_prop_ro("is_ranked_tensor", &Type::isRankedTensor)
      .def_prop_ro("shape", &Type::shape, "Dimensions, -1 where dynamic.")
      .def_prop_ro("element_type",
                   [](const Type &t) -> Type {
                     if (!mlirTypeIsAShaped(t.type))
                       throw nb::type_error("not a shaped type");
                     return t.wrap(mlirShapedTypeGetElementType(t.type));
                   })
      .def_prop_ro("grid",
                   [](const Type &t) {
                     t.requireQTensor();
                     return attrString(mlirQCQuantizedTensorTypeGetGrid(t.type));
                   })
      .def_prop_ro("code_bits",
                   [](const Type &t) {
                     t.requireQTensor();
                     return mlirQCGridAttrGetCodeBits(
                         mlirQCQuantizedTensorTypeGetGrid(t.type));
                   })
      .def_prop_ro("granularity",
                   [](const Type &t) {
                     t.requireQTensor();
                     return attrString(
                         mlirQCQuantizedTensorTypeGetGranularity(t.type));
                   })
      .def_prop_ro("scale_type",
                   [](const Type &t) {
                     t.requireQTensor();
                     return t.wrap(mlirQCQuantizedTensorTypeGetScaleType(t.type));
                   })
      .def_prop_ro("zero_point_type",
                   [](const Type &t) -> std::optional<Type> {
                     t.requireQTensor();
                     MlirType z =
                         mlirQCQuantizedTensorTypeGetZeroPointType(t.type);
                     if (mlirTypeIsNull(z))
                       return std::nullopt;
                     return t.wrap(z);
                   })
      .def_prop_ro("min_type",
                   [](const Type &t) -> std::optional<Type> {
                     t.requireQTensor();
                     MlirType m = mlirQCQuantizedTensorTypeGetMinType(t.type);
                     if (mlirTypeIsNull(m))
                       return std::nullopt;
                     return t.wrap(m);
                   },
                   "The type of the subtracted per-block mins (x = (s * o) "
                   "* q - m * mo), or None.")
      .def_prop_ro("codes_type",
                   [](const Type &t) {
                     t.requireQTensor();
                     return t.wrap(mlirQCQuantizedTensorTypeGetCodesType(t.type));
                   })
      .def_prop_ro("scales_type", [](const Type &t) {
        t.requireQTensor();
        return t.wrap(mlirQCQuantizedTensorTypeGetScalesType(t.type));
      });

  nb::class_<Module>(m, "Module")
      .def_static("parse", &Module::parse, nb::arg("context"), nb::arg("text"),
                  "Parses a module from its text (or bytecode).")
      .def_static(
          "parse",
          [](std::shared_ptr<Context> ctx, nb::bytes data) {
            return Module::parse(ctx, std::string(data.c_str(), data.size()));
          },
          nb::arg("context"), nb::arg("data"))
      .def_static("load", &Module::load, nb::arg("context"), nb::arg("path"),
                  "Reads a module from a file, text or bytecode.")
      .def_static("create", &Module::create, nb::arg("context"),
                  "An empty module.")
      .def("__str__", &Module::str)
      .def("bytecode", &Module::bytecode, "The module as MLIR bytecode.")
      .def("verify", &Module::verify)
      .def("run", &Module::run, nb::arg("pipeline"),
           "Runs a pass pipeline given as text, e.g. 'qc-cpu-pipeline'.")
      .def_prop_ro("functions", &Module::functions,
                   "Symbol names at the module's top level.")
      .def("signature", &Module::signature, nb::arg("name"),
           "(inputs, results) of function `name`, as lists of Type.")
      .def("annotate_layers", &Module::annotateLayers, nb::arg("attr"),
           nb::arg("values"),
           "Sets attribute `attr` of each qc.matmul named (qc.name) by a key "
           "of `values` to that float32 array, as a dense_resource tensor: "
           "calibration statistics such as qc.act_gram (X^T X).")
      .def("emit_c_interface", &Module::emitCInterface, nb::arg("name"),
           "Marks function `name` llvm.emit_c_interface, for the JIT.")
      .def(
          "add_linear",
          [](Module &mod, const std::string &name, const Type &weightType,
             std::optional<FloatArray> weights, std::optional<CodeArray> codes,
             std::optional<FloatArray> scales,
             std::optional<FloatArray> zeroPoints,
             std::optional<FloatArray> bias,
             std::optional<Type> activationType, const std::string &method) {
            Context &ctx = *mod.ctx;
            MlirLocation loc = mlirLocationNameGet(
                ctx.get(), mlirStringRefCreateFromCString(name.c_str()),
                ctx.unknownLoc());
            std::vector<int64_t> shape = weightType.shape();
            if (shape.size() != 2)
              throw nb::value_error("the weight type must be N x K");
            if (bias)
              checkSize("bias", bias->size(), shape[0]);
            MlirOperation weight = weightOp(weightType, codes, scales,
                                            zeroPoints, weights, method, loc);
            ctx.clear();
            MlirOperation f = mlirQCLinearFuncCreate(
                mlirModuleFromOperation(mod.op()), sref(name), weight,
                activationType ? activationType->type : MlirType{nullptr},
                bias ? bias->data() : nullptr);
            if (mlirOperationIsNull(f))
              ctx.fail("cannot add the linear layer");
          },
          nb::arg("name"), nb::arg("weight_type"), nb::kw_only(),
          nb::arg("weights") = nb::none(), nb::arg("codes") = nb::none(),
          nb::arg("scales") = nb::none(), nb::arg("zero_points") = nb::none(),
          nb::arg("bias") = nb::none(),
          nb::arg("activation_type") = nb::none(), nb::arg("method") = "",
          "Appends func.func @name(x: tensor<?xKxf32>) -> tensor<?xNxf32>, "
          "y = x W^T (+ bias), W of weight_type: a !qc.qtensor from codes= "
          "and scales= (zero_points=) or from float weights= quantized by "
          "qc's numerics library (method=), or a float tensor<NxKxf32> of "
          "weights=. activation_type quantizes x first.");

  m.def(
      "free_buffer",
      [](uintptr_t address) {
        BufferCache::release(reinterpret_cast<void *>(address));
      },
      nb::arg("address"),
      "Frees a buffer compiled code allocated (a result's): back to the "
      "cache compiled code allocates from, or to glibc with "
      "QC_MALLOC_TUNING=0.");
  m.def("quantize", &quantize, nb::arg("type"), nb::arg("weights"),
        nb::arg("method") = "",
        "Quantizes a float32 array to the !qc.qtensor type with qc's "
        "numerics library: (codes uint8, scales float32, zero points or "
        "None), as qc-quantize-constants would.");

  nb::class_<Engine>(m, "ExecutionEngine")
      .def(nb::init<Module &, int, const std::vector<std::string> &>(),
           nb::arg("module"), nb::arg("opt_level") = 2,
           nb::arg("shared_libs") = std::vector<std::string>{},
           "JIT-compiles a module lowered to the LLVM dialect; the module "
           "object is consumed.")
      .def("invoke_packed", &Engine::invokePacked, nb::arg("name"),
           nb::arg("args"),
           "Calls the packed interface of `name`; args are the addresses of "
           "its argument slots (results first).");
}
