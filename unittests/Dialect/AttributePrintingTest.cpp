//===- AttributePrintingTest.cpp - qc attributes print losslessly ---------===//
//
// Every finite f64 in a #qc.codebook prints as text that parses back to the
// same bits: checked on random bit patterns (all exponents, subnormals
// included) and on the neighbours of values that 7 digits cannot separate.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/IR/QCAttributes.h"
#include "qc/Dialect/QC/IR/QCDialect.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace mlir;
using namespace mlir::qc;

namespace {

uint64_t bitsOf(double v) {
  uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

/// Prints a codebook of `values`, parses the text, and returns the values
/// read back (empty when the text does not parse).
std::vector<double> roundTrip(MLIRContext &ctx, ArrayRef<double> values,
                              std::string &text) {
  auto attr = CodebookGridAttr::get(&ctx, DenseF64ArrayAttr::get(&ctx, values));
  text.clear();
  llvm::raw_string_ostream os(text);
  os << Attribute(attr);
  auto parsed = dyn_cast_if_present<CodebookGridAttr>(parseAttribute(text, &ctx));
  if (!parsed)
    return {};
  ArrayRef<double> back = parsed.getValues().asArrayRef();
  return std::vector<double>(back.begin(), back.end());
}

TEST(AttributePrintingTest, CodebookValuesRoundTripBitForBit) {
  MLIRContext ctx;
  ctx.loadDialect<QCDialect>();
  std::mt19937_64 rng(20261201);
  int checked = 0;
  while (checked < 20000) {
    // Four distinct finite values from random bit patterns.
    std::vector<double> values;
    while (values.size() < 4) {
      uint64_t bits = rng();
      double v;
      std::memcpy(&v, &bits, sizeof v);
      if (std::isfinite(v) && v != 0.0 &&
          std::find(values.begin(), values.end(), v) == values.end())
        values.push_back(v);
    }
    std::string text;
    std::vector<double> back = roundTrip(ctx, values, text);
    ASSERT_EQ(back.size(), values.size()) << text;
    for (size_t i = 0; i < values.size(); ++i)
      ASSERT_EQ(bitsOf(back[i]), bitsOf(values[i])) << text;
    checked += 4;
  }
}

TEST(AttributePrintingTest, CloseAndExtremeValues) {
  MLIRContext ctx;
  ctx.loadDialect<QCDialect>();
  const double tiny = std::numeric_limits<double>::denorm_min();
  const double big = std::numeric_limits<double>::max();
  std::vector<double> values = {0.1, std::nextafter(0.1, 1.0), 1e-300, tiny,
                                -big, big, -0.0, 9007199254740993.0 + 1.0};
  std::string text;
  std::vector<double> back = roundTrip(ctx, values, text);
  ASSERT_EQ(back.size(), values.size()) << text;
  for (size_t i = 0; i < values.size(); ++i)
    EXPECT_EQ(bitsOf(back[i]), bitsOf(values[i])) << text;
  // The shortest spelling, with the '.' an MLIR float literal needs.
  EXPECT_NE(text.find("[0.1, 0.10000000000000002, 1.0e-300, "),
            std::string::npos)
      << text;
}

} // namespace
