//===- WeightFiles.cpp - Readers of safetensors and .npy files ------------===//

#include "WeightFiles.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/JSON.h"

#include <optional>

using namespace qc::import;
using llvm::StringRef;

unsigned qc::import::byteSize(DType t) {
  switch (t) {
  case DType::F64:
  case DType::I64:
    return 8;
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::F16:
  case DType::BF16:
  case DType::I16:
    return 2;
  case DType::I8:
  case DType::U8:
    return 1;
  }
  return 0;
}

StringRef qc::import::mlirName(DType t) {
  switch (t) {
  case DType::F64: return "f64";
  case DType::F32: return "f32";
  case DType::F16: return "f16";
  case DType::BF16: return "bf16";
  case DType::I64: return "i64";
  case DType::I32: return "i32";
  case DType::I16: return "i16";
  case DType::I8: return "i8";
  case DType::U8: return "ui8";
  }
  return "";
}

int64_t WeightTensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

static llvm::Error fail(StringRef path, const llvm::Twine &why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 (path + ": " + why).str());
}

/// Multiplies the dimensions, failing on a negative one or overflow past
/// 2^62 elements.
static std::optional<int64_t> checkedNumel(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0 || (d && n > (int64_t(1) << 62) / d))
      return std::nullopt;
    n *= d;
  }
  return n;
}

static std::optional<DType> safetensorsDType(StringRef s) {
  return llvm::StringSwitch<std::optional<DType>>(s)
      .Case("F64", DType::F64)
      .Case("F32", DType::F32)
      .Case("F16", DType::F16)
      .Case("BF16", DType::BF16)
      .Case("I64", DType::I64)
      .Case("I32", DType::I32)
      .Case("I16", DType::I16)
      .Case("I8", DType::I8)
      .Case("U8", DType::U8)
      .Default(std::nullopt);
}

llvm::Expected<std::vector<WeightTensor>>
qc::import::readSafetensors(StringRef bytes, StringRef path) {
  if (bytes.size() < 8)
    return fail(path, "not a safetensors file: " + llvm::Twine(bytes.size()) +
                          " bytes, shorter than the 8-byte header length");
  uint64_t headerLen =
      llvm::support::endian::read64le(bytes.data());
  if (headerLen > bytes.size() - 8)
    return fail(path, "the header length " + llvm::Twine(headerLen) +
                          " runs past the end of the file (" +
                          llvm::Twine(bytes.size()) +
                          " bytes): truncated, or not a safetensors file");
  StringRef headerText = bytes.substr(8, headerLen);
  llvm::Expected<llvm::json::Value> header = llvm::json::parse(headerText);
  if (!header)
    return fail(path, "the header is not JSON: " +
                          llvm::toString(header.takeError()));
  const llvm::json::Object *entries = header->getAsObject();
  if (!entries)
    return fail(path, "the header is not a JSON object");
  StringRef data = bytes.substr(8 + headerLen);
  std::vector<WeightTensor> tensors;
  // llvm::json::Object is unordered: read the entries sorted by offset,
  // which is the file's order.
  for (const auto &[key, value] : *entries) {
    StringRef name = key;
    if (name == "__metadata__")
      continue;
    auto bad = [&](const llvm::Twine &why) {
      return fail(path, "tensor '" + name + "': " + why);
    };
    const llvm::json::Object *entry = value.getAsObject();
    if (!entry)
      return bad("its entry is not an object");
    std::optional<StringRef> dtypeName = entry->getString("dtype");
    const llvm::json::Array *shapeJson = entry->getArray("shape");
    const llvm::json::Array *offsets = entry->getArray("data_offsets");
    if (!dtypeName || !shapeJson || !offsets)
      return bad("needs dtype, shape and data_offsets");
    std::optional<DType> dtype = safetensorsDType(*dtypeName);
    if (!dtype)
      return bad("dtype " + *dtypeName +
                 " is not supported (F64, F32, F16, BF16, I64, I32, I16, I8, "
                 "U8)");
    WeightTensor t;
    t.name = name.str();
    t.dtype = *dtype;
    for (const llvm::json::Value &d : *shapeJson) {
      std::optional<int64_t> dim = d.getAsInteger();
      if (!dim || *dim < 0)
        return bad("the shape holds something other than a non-negative "
                   "integer");
      t.shape.push_back(*dim);
    }
    std::optional<int64_t> numel = checkedNumel(t.shape);
    if (!numel)
      return bad("the shape has too many elements");
    std::optional<int64_t> begin, end;
    if (offsets->size() == 2) {
      begin = (*offsets)[0].getAsInteger();
      end = (*offsets)[1].getAsInteger();
    }
    if (!begin || !end || *begin < 0 || *end < *begin)
      return bad("data_offsets must be two integers [begin, end], begin <= "
                 "end");
    if (uint64_t(*end) > data.size())
      return bad("its data [" + llvm::Twine(*begin) + ", " +
                 llvm::Twine(*end) + ") runs past the end of the data (" +
                 llvm::Twine(data.size()) + " bytes): the file is truncated");
    int64_t want = *numel * int64_t(byteSize(*dtype));
    if (*end - *begin != want)
      return bad("shape [" +
                 llvm::join(llvm::map_range(t.shape,
                                            [](int64_t d) {
                                              return std::to_string(d);
                                            }),
                            ", ") +
                 "] of " + *dtypeName + " needs " + llvm::Twine(want) +
                 " bytes, its data_offsets give " +
                 llvm::Twine(*end - *begin));
    t.data = llvm::ArrayRef<char>(data.data() + *begin, size_t(want));
    tensors.push_back(std::move(t));
  }
  llvm::sort(tensors, [](const WeightTensor &a, const WeightTensor &b) {
    return a.data.data() != b.data.data() ? a.data.data() < b.data.data()
                                          : a.name < b.name;
  });
  return tensors;
}

/// The value of `key` in a .npy header dict ("{'descr': '<f4', ...}"): the
/// text after "'key':" up to the next top-level comma or the closing brace.
static std::optional<StringRef> npyField(StringRef dict, StringRef key) {
  std::string quoted = ("'" + key + "'").str();
  size_t at = dict.find(quoted);
  if (at == StringRef::npos)
    return std::nullopt;
  StringRef rest = dict.substr(at + quoted.size()).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  rest = rest.ltrim();
  int depth = 0;
  for (size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    if (c == '(' || c == '[')
      ++depth;
    else if (c == ')' || c == ']')
      --depth;
    else if ((c == ',' || c == '}') && depth == 0)
      return rest.take_front(i).trim();
  }
  return std::nullopt;
}

static std::optional<DType> npyDType(StringRef descr) {
  return llvm::StringSwitch<std::optional<DType>>(descr)
      .Cases("'<f8'", "'float64'", DType::F64)
      .Case("'<f4'", DType::F32)
      .Case("'<f2'", DType::F16)
      .Case("'<i8'", DType::I64)
      .Case("'<i4'", DType::I32)
      .Case("'<i2'", DType::I16)
      .Case("'|i1'", DType::I8)
      .Case("'|u1'", DType::U8)
      .Default(std::nullopt);
}

llvm::Expected<WeightTensor> qc::import::readNpy(StringRef bytes,
                                                 StringRef path,
                                                 StringRef name) {
  if (!bytes.starts_with("\x93NUMPY") || bytes.size() < 10)
    return fail(path, "not a .npy file (no \\x93NUMPY magic)");
  unsigned major = uint8_t(bytes[6]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = llvm::support::endian::read16le(bytes.data() + 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return fail(path, "truncated .npy header");
    headerLen = llvm::support::endian::read32le(bytes.data() + 8);
    headerStart = 12;
  } else {
    return fail(path, ".npy format version " + llvm::Twine(major) +
                          " is not supported (1, 2, 3)");
  }
  if (headerLen > bytes.size() - headerStart)
    return fail(path, "the .npy header runs past the end of the file: "
                      "truncated");
  StringRef dict = bytes.substr(headerStart, headerLen).trim();
  std::optional<StringRef> descr = npyField(dict, "descr");
  std::optional<StringRef> fortran = npyField(dict, "fortran_order");
  std::optional<StringRef> shapeText = npyField(dict, "shape");
  if (!descr || !fortran || !shapeText)
    return fail(path, "the .npy header needs descr, fortran_order and shape: " +
                          dict);
  std::optional<DType> dtype = npyDType(*descr);
  if (!dtype)
    return fail(path, "dtype " + *descr +
                          " is not supported (little-endian f8, f4, f2, i8, "
                          "i4, i2, i1, u1)");
  if (*fortran != "False")
    return fail(path, "Fortran-order arrays are not supported: save it with "
                      "numpy.ascontiguousarray");
  WeightTensor t;
  t.name = name.str();
  t.dtype = *dtype;
  StringRef dims = *shapeText;
  if (!dims.consume_front("(") || !dims.consume_back(")"))
    return fail(path, "the .npy shape is not a tuple: " + *shapeText);
  llvm::SmallVector<StringRef> parts;
  dims.split(parts, ',', -1, /*KeepEmpty=*/false);
  for (StringRef p : parts) {
    int64_t d;
    if (p.trim().getAsInteger(10, d) || d < 0)
      return fail(path, "the .npy shape holds '" + p.trim() +
                            "', not a non-negative integer");
    t.shape.push_back(d);
  }
  std::optional<int64_t> numel = checkedNumel(t.shape);
  if (!numel)
    return fail(path, "the .npy shape has too many elements");
  StringRef data = bytes.substr(headerStart + headerLen);
  uint64_t want = uint64_t(*numel) * byteSize(*dtype);
  if (data.size() != want)
    return fail(path, "the array needs " + llvm::Twine(want) +
                          " bytes of data, the file holds " +
                          llvm::Twine(data.size()) +
                          (data.size() < want ? ": truncated" : ""));
  t.data = llvm::ArrayRef<char>(data.data(), data.size());
  return t;
}
