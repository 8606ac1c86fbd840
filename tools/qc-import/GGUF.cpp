//===- GGUF.cpp - Reader of llama.cpp's GGUF files ------------------------===//
//
// Compiled with -ffp-contract=off (CMakeLists.txt): a fused multiply-add
// would round `d * q + m` once where gguf-py rounds twice.
//
//===----------------------------------------------------------------------===//

#include "GGUF.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MathExtras.h"

#include <cstring>
#include <tuple>

using namespace qc::import;
using llvm::Error;
using llvm::Expected;
using llvm::StringRef;

std::optional<GGMLTypeInfo> qc::import::ggmlTypeInfo(uint32_t type) {
  switch (type) {
  // clang-format off
  case 0:  return GGMLTypeInfo{"F32", 1, 4, true};
  case 1:  return GGMLTypeInfo{"F16", 1, 2, true};
  case 2:  return GGMLTypeInfo{"Q4_0", 32, 18, true};
  case 3:  return GGMLTypeInfo{"Q4_1", 32, 20, true};
  case 6:  return GGMLTypeInfo{"Q5_0", 32, 22, true};
  case 7:  return GGMLTypeInfo{"Q5_1", 32, 24, true};
  case 8:  return GGMLTypeInfo{"Q8_0", 32, 34, true};
  case 9:  return GGMLTypeInfo{"Q8_1", 32, 40, false};
  case 10: return GGMLTypeInfo{"Q2_K", 256, 84, true};
  case 11: return GGMLTypeInfo{"Q3_K", 256, 110, true};
  case 12: return GGMLTypeInfo{"Q4_K", 256, 144, true};
  case 13: return GGMLTypeInfo{"Q5_K", 256, 176, true};
  case 14: return GGMLTypeInfo{"Q6_K", 256, 210, true};
  case 15: return GGMLTypeInfo{"Q8_K", 256, 292, false};
  case 16: return GGMLTypeInfo{"IQ2_XXS", 256, 66, false};
  case 17: return GGMLTypeInfo{"IQ2_XS", 256, 74, false};
  case 18: return GGMLTypeInfo{"IQ3_XXS", 256, 98, false};
  case 19: return GGMLTypeInfo{"IQ1_S", 256, 50, false};
  case 20: return GGMLTypeInfo{"IQ4_NL", 32, 18, false};
  case 21: return GGMLTypeInfo{"IQ3_S", 256, 110, false};
  case 22: return GGMLTypeInfo{"IQ2_S", 256, 82, false};
  case 23: return GGMLTypeInfo{"IQ4_XS", 256, 136, false};
  case 24: return GGMLTypeInfo{"I8", 1, 1, true};
  case 25: return GGMLTypeInfo{"I16", 1, 2, true};
  case 26: return GGMLTypeInfo{"I32", 1, 4, true};
  case 27: return GGMLTypeInfo{"I64", 1, 8, true};
  case 28: return GGMLTypeInfo{"F64", 1, 8, true};
  case 29: return GGMLTypeInfo{"IQ1_M", 256, 56, false};
  case 30: return GGMLTypeInfo{"BF16", 1, 2, true};
  case 34: return GGMLTypeInfo{"TQ1_0", 256, 54, false};
  case 35: return GGMLTypeInfo{"TQ2_0", 256, 66, false};
  case 39: return GGMLTypeInfo{"MXFP4", 32, 17, false};
  case 40: return GGMLTypeInfo{"NVFP4", 64, 36, false};
  case 41: return GGMLTypeInfo{"Q1_0", 128, 18, false};
  // clang-format on
  default:
    return std::nullopt;
  }
}

int64_t GGUFTensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

bool qc::import::isGGUF(StringRef bytes) { return bytes.starts_with("GGUF"); }

namespace {

/// `s` with bytes outside printable ASCII escaped (\xNN), for messages
/// about names read from a file.
std::string shown(StringRef s) {
  std::string out;
  llvm::raw_string_ostream os(out);
  llvm::printEscapedString(s, os);
  return out;
}

/// Reads little-endian fields, never past the end.
struct Cursor {
  StringRef bytes;
  StringRef path;
  uint64_t pos = 0;

  Error fail(const llvm::Twine &what) const {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   path + ": " + what + " (at byte " +
                                       llvm::Twine(pos) + " of " +
                                       llvm::Twine(bytes.size()) + ")");
  }
  uint64_t left() const { return bytes.size() - pos; }

  template <typename T> Expected<T> read(StringRef what) {
    if (left() < sizeof(T))
      return fail("truncated: the file ends inside " + what);
    T v;
    std::memcpy(&v, bytes.data() + pos, sizeof(T));
    pos += sizeof(T);
    return v;
  }
  Expected<std::string> string(StringRef what) {
    Expected<uint64_t> n = read<uint64_t>(what);
    if (!n)
      return n.takeError();
    if (*n > left())
      return fail(what + " is " + llvm::Twine(*n) +
                  " bytes long, more than the file has left");
    std::string s(bytes.data() + pos, *n);
    pos += *n;
    return s;
  }
};

/// A GGUF metadata value of type `type` as JSON.
Expected<llvm::json::Value> readValue(Cursor &c, uint32_t type, StringRef key,
                                      int depth) {
  auto number = [&](auto v) -> Expected<llvm::json::Value> {
    if (!v)
      return v.takeError();
    return llvm::json::Value(*v);
  };
  std::string what = "the value of '" + key.str() + "'";
  switch (type) {
  case 0:
    return number(c.read<uint8_t>(what));
  case 1:
    return number(c.read<int8_t>(what));
  case 2:
    return number(c.read<uint16_t>(what));
  case 3:
    return number(c.read<int16_t>(what));
  case 4:
    return number(c.read<uint32_t>(what));
  case 5:
    return number(c.read<int32_t>(what));
  case 6: {
    Expected<float> v = c.read<float>(what);
    if (!v)
      return v.takeError();
    return llvm::json::Value(double(*v));
  }
  case 7: {
    Expected<uint8_t> v = c.read<uint8_t>(what);
    if (!v)
      return v.takeError();
    if (*v > 1)
      return c.fail("the bool '" + key + "' is " + llvm::Twine(int(*v)));
    return llvm::json::Value(*v != 0);
  }
  case 8: {
    Expected<std::string> s = c.string(what);
    if (!s)
      return s.takeError();
    if (!llvm::json::isUTF8(*s))
      return llvm::json::Value(llvm::json::fixUTF8(*s));
    return llvm::json::Value(std::move(*s));
  }
  case 9: {
    if (depth >= 2)
      return c.fail("'" + key + "' nests arrays more than 2 deep");
    Expected<uint32_t> elementType = c.read<uint32_t>(what);
    if (!elementType)
      return elementType.takeError();
    Expected<uint64_t> count = c.read<uint64_t>(what);
    if (!count)
      return count.takeError();
    // Each element takes at least one byte: a count the file cannot hold
    // is an error before anything is allocated.
    if (*count > c.left())
      return c.fail("the array '" + key + "' has " + llvm::Twine(*count) +
                    " elements, more than the file has bytes left");
    llvm::json::Array array;
    for (uint64_t i = 0; i < *count; ++i) {
      Expected<llvm::json::Value> v = readValue(c, *elementType, key, depth + 1);
      if (!v)
        return v.takeError();
      array.push_back(std::move(*v));
    }
    return llvm::json::Value(std::move(array));
  }
  case 10:
    return number(c.read<uint64_t>(what));
  case 11:
    return number(c.read<int64_t>(what));
  case 12:
    return number(c.read<double>(what));
  default:
    return c.fail("'" + key + "' has the unknown value type " +
                  llvm::Twine(type));
  }
}

} // namespace

Expected<GGUFFile> qc::import::readGGUF(StringRef bytes, StringRef path) {
  Cursor c{bytes, path};
  GGUFFile file;
  if (!isGGUF(bytes))
    return c.fail("not a GGUF file (no 'GGUF' magic)");
  c.pos = 4;
  Expected<uint32_t> version = c.read<uint32_t>("the version");
  if (!version)
    return version.takeError();
  if (*version == 1)
    return c.fail("GGUF version 1 is not supported (only 2 and 3)");
  if (*version != 2 && *version != 3) {
    if (llvm::byteswap(*version) == 2 || llvm::byteswap(*version) == 3)
      return c.fail("a big-endian GGUF file; only little-endian ones are "
                    "supported");
    return c.fail("GGUF version " + llvm::Twine(*version) +
                  " is not supported (only 2 and 3)");
  }
  file.version = *version;
  Expected<uint64_t> numTensors = c.read<uint64_t>("the tensor count");
  if (!numTensors)
    return numTensors.takeError();
  Expected<uint64_t> numKeys = c.read<uint64_t>("the metadata count");
  if (!numKeys)
    return numKeys.takeError();
  // A key takes at least 12 bytes, a tensor info at least 24.
  if (*numKeys > c.left() / 12)
    return c.fail("the header claims " + llvm::Twine(*numKeys) +
                  " metadata entries, more than the file can hold");
  if (*numTensors > c.left() / 24)
    return c.fail("the header claims " + llvm::Twine(*numTensors) +
                  " tensors, more than the file can hold");
  for (uint64_t i = 0; i < *numKeys; ++i) {
    Expected<std::string> key = c.string("a metadata key");
    if (!key)
      return key.takeError();
    Expected<uint32_t> type =
        c.read<uint32_t>("the type of '" + shown(*key) + "'");
    if (!type)
      return type.takeError();
    uint64_t typeEnd = c.pos;
    Expected<llvm::json::Value> value = readValue(c, *type, shown(*key), 0);
    if (!value)
      return value.takeError();
    if (*type == 6 || *type == 12 ||
        (*type == 9 && c.pos >= 12 && [&] {
          // An array's element type is the u32 after its key's type.
          uint32_t element;
          std::memcpy(&element, bytes.data() + typeEnd, 4);
          return element == 6 || element == 12;
        }()))
      file.floatKeys.push_back(*key);
    if (file.metadata.find(*key) != file.metadata.end())
      return c.fail("the metadata key '" + shown(*key) + "' appears twice");
    if (*key == "general.alignment") {
      std::optional<int64_t> a = value->getAsInteger();
      if (*type != 4 || !a || *a == 0 || !llvm::isPowerOf2_64(*a) ||
          *a > (1 << 20))
        return c.fail("general.alignment must be a uint32 power of two up to "
                      "2^20");
      file.alignment = uint64_t(*a);
    }
    file.metadata[*key] = std::move(*value);
  }
  llvm::StringSet<> names;
  struct Info {
    uint64_t offset, bytes;
  };
  std::vector<Info> infos;
  for (uint64_t i = 0; i < *numTensors; ++i) {
    GGUFTensor t;
    Expected<std::string> name = c.string("a tensor name");
    if (!name)
      return name.takeError();
    t.name = std::move(*name);
    if (t.name.empty() || !names.insert(t.name).second)
      return c.fail("tensor #" + llvm::Twine(i) + " has an empty name or the "
                    "name of another tensor ('" + shown(t.name) + "')");
    if (!llvm::all_of(t.name, [](char ch) { return llvm::isPrint(ch); }))
      return c.fail("tensor #" + llvm::Twine(i) + "'s name '" +
                    shown(t.name) + "' has bytes outside printable ASCII");
    Expected<uint32_t> rank = c.read<uint32_t>("the rank of '" + t.name + "'");
    if (!rank)
      return rank.takeError();
    if (*rank == 0 || *rank > 4)
      return c.fail("tensor '" + t.name + "' has " + llvm::Twine(*rank) +
                    " dimensions (ggml has 1 to 4)");
    std::vector<int64_t> ne;
    int64_t elements = 1;
    for (uint32_t d = 0; d < *rank; ++d) {
      Expected<uint64_t> n = c.read<uint64_t>("the shape of '" + t.name + "'");
      if (!n)
        return n.takeError();
      if (*n == 0 || *n > uint64_t(INT64_MAX) ||
          llvm::MulOverflow(elements, int64_t(*n), elements))
        return c.fail("tensor '" + t.name + "' has a dimension of " +
                      llvm::Twine(*n) +
                      " (0, or an element count that overflows 64 bits)");
      ne.push_back(int64_t(*n));
    }
    t.shape.assign(ne.rbegin(), ne.rend());
    Expected<uint32_t> type = c.read<uint32_t>("the type of '" + t.name + "'");
    if (!type)
      return type.takeError();
    std::optional<GGMLTypeInfo> info = ggmlTypeInfo(*type);
    if (!info)
      return c.fail("tensor '" + t.name + "' has the unknown ggml type " +
                    llvm::Twine(*type));
    t.type = *type;
    if (ne[0] % info->blockElements != 0)
      return c.fail("tensor '" + t.name + "' is " + info->name +
                    ", whose blocks of " + llvm::Twine(info->blockElements) +
                    " do not divide its rows of " + llvm::Twine(ne[0]));
    int64_t tensorBytes;
    if (llvm::MulOverflow(elements / info->blockElements, info->blockBytes,
                          tensorBytes))
      return c.fail("tensor '" + t.name + "' has more bytes than 64 bits count");
    Expected<uint64_t> offset =
        c.read<uint64_t>("the offset of '" + t.name + "'");
    if (!offset)
      return offset.takeError();
    infos.push_back({*offset, uint64_t(tensorBytes)});
    file.tensors.push_back(std::move(t));
  }
  uint64_t dataStart = llvm::alignTo(c.pos, file.alignment);
  for (auto [t, info] : llvm::zip(file.tensors, infos)) {
    if (info.offset % file.alignment != 0)
      return c.fail("tensor '" + t.name + "' starts at offset " +
                    llvm::Twine(info.offset) + ", not a multiple of the " +
                    "alignment " + llvm::Twine(file.alignment));
    if (dataStart > bytes.size() || info.offset > bytes.size() - dataStart ||
        info.bytes > bytes.size() - dataStart - info.offset)
      return c.fail("truncated: tensor '" + t.name + "' needs bytes [" +
                    llvm::Twine(dataStart + info.offset) + ", " +
                    llvm::Twine(dataStart + info.offset + info.bytes) +
                    ") of the file");
    t.data = llvm::ArrayRef<char>(bytes.data() + dataStart + info.offset,
                                  info.bytes);
  }
  return file;
}

//===----------------------------------------------------------------------===//
// Block formats
//===----------------------------------------------------------------------===//

namespace {

float halfToFloat(const char *p) {
  uint16_t bits;
  std::memcpy(&bits, p, 2);
  return llvm::APFloat(llvm::APFloat::IEEEhalf(), llvm::APInt(16, bits))
      .convertToFloat();
}

uint8_t byteAt(const char *p, int i) { return uint8_t(p[i]); }

} // namespace

Expected<std::vector<float>>
qc::import::dequantizeGGUF(const GGUFTensor &t) {
  std::optional<GGMLTypeInfo> info = ggmlTypeInfo(t.type);
  auto fail = [&](StringRef why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "tensor '" + t.name + "' is " +
                                       (info ? info->name : "?") + ": " + why);
  };
  int64_t n = t.numElements();
  std::vector<float> out(static_cast<size_t>(n));
  const char *p = t.data.data();
  switch (t.ggmlType()) {
  case GGMLType::F32:
    std::memcpy(out.data(), p, size_t(n) * 4);
    return out;
  case GGMLType::F16:
    for (int64_t i = 0; i < n; ++i)
      out[i] = halfToFloat(p + 2 * i);
    return out;
  case GGMLType::BF16:
    for (int64_t i = 0; i < n; ++i) {
      uint32_t bits = uint32_t(uint8_t(p[2 * i])) |
                      (uint32_t(uint8_t(p[2 * i + 1])) << 8);
      bits <<= 16;
      std::memcpy(&out[i], &bits, 4);
    }
    return out;
  case GGMLType::F64:
    for (int64_t i = 0; i < n; ++i) {
      double v;
      std::memcpy(&v, p + 8 * i, 8);
      out[i] = float(v);
    }
    return out;
  default:
    break;
  }
  // Block formats: x = (s * o) * q - m * mo over the exact parts, in f32
  // in this order (gguf-py's: d * sc first, then times q, then minus
  // dmin * m).
  if (std::optional<BlockParts> parts = blockParts(t)) {
    auto half = [](uint32_t bits) {
      return llvm::APFloat(llvm::APFloat::IEEEhalf(),
                           llvm::APInt(16, bits & 0xFFFF))
          .convertToFloat();
    };
    using Kind = BlockParts::Kind;
    for (int64_t e = 0; e < n; ++e) {
      int64_t b = e / parts->block;
      float s = parts->scaleKind == Kind::Int ? float(parts->scales[b])
                                              : half(parts->scales[b]);
      if (parts->scaleKind == Kind::Int)
        s = s * half(parts->outerScales[e / parts->superBlock]);
      float x = s * float(parts->codes[e]);
      if (parts->minKind == Kind::F16) {
        x = x - half(parts->mins[b]);
      } else if (parts->minKind == Kind::Int) {
        float m = float(parts->mins[b]) *
                  half(parts->outerMins[e / parts->superBlock]);
        x = x - m;
      }
      out[e] = x;
    }
    return out;
  }
  switch (t.ggmlType()) {
  default:
    return fail("not a float or block format qc-import decodes");
  }
}

namespace {

uint16_t halfBits(const char *p) {
  uint16_t bits;
  std::memcpy(&bits, p, 2);
  return bits;
}

/// Q4_K and Q5_K's 6-bit scale and min of sub-block j (ggml's
/// get_scale_min_k4).
std::pair<int, int> scaleMinK4(const char *sc, int j) {
  if (j < 4)
    return {byteAt(sc, j) & 63, byteAt(sc, 4 + j) & 63};
  return {(byteAt(sc, 8 + j - 4) & 15) | ((byteAt(sc, j - 4) >> 2) & 48),
          (byteAt(sc, 8 + j - 4) >> 4) | ((byteAt(sc, j) >> 2) & 48)};
}

} // namespace

std::optional<BlockParts> qc::import::blockParts(const GGUFTensor &t) {
  using Kind = BlockParts::Kind;
  GGMLType type = t.ggmlType();
  std::optional<GGMLTypeInfo> info = ggmlTypeInfo(t.type);
  // Each format's parts: code bits and signedness, elements per scale,
  // scales (f16, or integers of `scaleBits` under an f16 outer scale per
  // super-block), mins (none, f16, or unsigned integers under an f16 outer).
  struct Layout {
    GGMLType type;
    unsigned codeBits;
    bool signedCodes;
    int64_t block;
    Kind scaleKind;
    unsigned scaleBits;
    bool signedScales;
    Kind minKind;
    unsigned minBits;
  };
  static const Layout layouts[] = {
      {GGMLType::Q4_0, 4, true, 32, Kind::F16, 0, false, Kind::None, 0},
      {GGMLType::Q5_0, 5, true, 32, Kind::F16, 0, false, Kind::None, 0},
      {GGMLType::Q8_0, 8, true, 32, Kind::F16, 0, false, Kind::None, 0},
      {GGMLType::Q4_1, 4, false, 32, Kind::F16, 0, false, Kind::F16, 0},
      {GGMLType::Q5_1, 5, false, 32, Kind::F16, 0, false, Kind::F16, 0},
      {GGMLType::Q2_K, 2, false, 16, Kind::Int, 4, false, Kind::Int, 4},
      {GGMLType::Q3_K, 3, true, 16, Kind::Int, 6, true, Kind::None, 0},
      {GGMLType::Q4_K, 4, false, 32, Kind::Int, 6, false, Kind::Int, 6},
      {GGMLType::Q5_K, 5, false, 32, Kind::Int, 6, false, Kind::Int, 6},
      {GGMLType::Q6_K, 6, true, 16, Kind::Int, 8, true, Kind::None, 0},
  };
  const Layout *layout = nullptr;
  for (const Layout &l : layouts)
    if (l.type == type)
      layout = &l;
  if (!layout)
    return std::nullopt;
  BlockParts r;
  r.codeBits = layout->codeBits;
  r.signedCodes = layout->signedCodes;
  r.block = layout->block;
  r.scaleKind = layout->scaleKind;
  r.scaleBits = layout->scaleBits;
  r.signedScales = layout->signedScales;
  r.minKind = layout->minKind;
  r.minBits = layout->minBits;
  int64_t n = t.numElements(), blocks = n / info->blockElements;
  r.codes.resize(size_t(n));
  int64_t subBlocks = info->blockElements / r.block;
  r.scales.resize(size_t(blocks * subBlocks));
  if (r.minKind != Kind::None)
    r.mins.resize(r.scales.size());
  if (r.scaleKind == Kind::Int) {
    r.superBlock = info->blockElements;
    r.outerScales.resize(size_t(blocks));
    if (r.minKind == Kind::Int)
      r.outerMins.resize(size_t(blocks));
  }
  for (int64_t i = 0; i < blocks; ++i) {
    const char *b = t.data.data() + i * info->blockBytes;
    int8_t *codes = r.codes.data() + i * info->blockElements;
    int32_t *scales = r.scales.data() + i * subBlocks;
    int32_t *mins = r.mins.empty() ? nullptr : r.mins.data() + i * subBlocks;
    switch (type) {
    case GGMLType::Q4_0:
    case GGMLType::Q4_1:
    case GGMLType::Q5_0:
    case GGMLType::Q5_1: {
      bool hasMin = type == GGMLType::Q4_1 || type == GGMLType::Q5_1;
      bool five = type == GGMLType::Q5_0 || type == GGMLType::Q5_1;
      scales[0] = halfBits(b);
      // x = d*q + m is d*q - (-m): the f16 minimum with its sign flipped.
      if (hasMin)
        mins[0] = halfBits(b + 2) ^ 0x8000;
      const char *h = b + (hasMin ? 4 : 2);
      uint32_t qh = 0;
      if (five)
        std::memcpy(&qh, h, 4);
      const char *qs = h + (five ? 4 : 0);
      int offset = hasMin ? 0 : (five ? 16 : 8);
      for (int s = 0; s < 2; ++s)
        for (int l = 0; l < 16; ++l) {
          int e = s * 16 + l;
          int q = (byteAt(qs, l) >> (4 * s)) & 15;
          if (five)
            q |= ((qh >> e) & 1) << 4;
          codes[e] = int8_t(q - offset);
        }
      break;
    }
    case GGMLType::Q8_0:
      scales[0] = halfBits(b);
      std::memcpy(codes, b + 2, 32);
      break;
    case GGMLType::Q2_K: {
      const char *sc = b, *qs = b + 16;
      r.outerScales[i] = halfBits(b + 80);
      r.outerMins[i] = halfBits(b + 82);
      for (int sb = 0; sb < 16; ++sb) {
        scales[sb] = byteAt(sc, sb) & 15;
        mins[sb] = byteAt(sc, sb) >> 4;
      }
      for (int e = 0; e < 256; ++e) {
        int h = e / 128, s = (e / 32) % 4, l = e % 32;
        codes[e] = int8_t((byteAt(qs, h * 32 + l) >> (2 * s)) & 3);
      }
      break;
    }
    case GGMLType::Q3_K: {
      const char *hmask = b, *qs = b + 32, *sc = b + 96;
      r.outerScales[i] = halfBits(b + 108);
      for (int sb = 0; sb < 16; ++sb) {
        int low = (byteAt(sc, sb % 8) >> (4 * (sb / 8))) & 15;
        int high = (byteAt(sc, 8 + sb % 4) >> (2 * (sb / 4))) & 3;
        scales[sb] = (low | (high << 4)) - 32;
      }
      for (int e = 0; e < 256; ++e) {
        int h = e / 128, s = (e / 32) % 4, l = e % 32;
        int ql = (byteAt(qs, h * 32 + l) >> (2 * s)) & 3;
        int hbit = (byteAt(hmask, l) >> (e / 32)) & 1;
        codes[e] = int8_t(ql - ((hbit ^ 1) << 2));
      }
      break;
    }
    case GGMLType::Q4_K:
    case GGMLType::Q5_K: {
      bool five = type == GGMLType::Q5_K;
      r.outerScales[i] = halfBits(b);
      r.outerMins[i] = halfBits(b + 2);
      const char *sc = b + 4, *qh = b + 16, *qs = b + (five ? 48 : 16);
      for (int j = 0; j < 8; ++j)
        std::tie(scales[j], mins[j]) = scaleMinK4(sc, j);
      for (int e = 0; e < 256; ++e) {
        int c4 = e / 64, s = (e / 32) % 2, l = e % 32;
        int q = (byteAt(qs, c4 * 32 + l) >> (4 * s)) & 15;
        if (five)
          q |= ((byteAt(qh, l) >> (e / 32)) & 1) << 4;
        codes[e] = int8_t(q);
      }
      break;
    }
    case GGMLType::Q6_K: {
      const char *ql = b, *qh = b + 128, *sc = b + 192;
      r.outerScales[i] = halfBits(b + 208);
      for (int sb = 0; sb < 16; ++sb)
        scales[sb] = int8_t(sc[sb]);
      for (int e = 0; e < 256; ++e) {
        int h = e / 128, s = (e / 64) % 2, l64 = e % 64;
        int low = (byteAt(ql, h * 64 + l64) >> (4 * s)) & 15;
        int s4 = (e / 32) % 4, l = e % 32;
        int high = (byteAt(qh, h * 32 + l) >> (2 * s4)) & 3;
        codes[e] = int8_t((low | (high << 4)) - 32);
      }
      break;
    }
    default:
      return std::nullopt;
    }
  }
  return r;
}
