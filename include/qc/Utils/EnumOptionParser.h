//===- EnumOptionParser.h - enum pass options that list their values -----===//
//
// LLVM's parser for an enum option answers a misspelt value with "Cannot
// find option named 'w3g64'!", which leaves the user guessing. This parser
// is the same (the values registered with clEnumValN, --help output,
// printing) except that the error lists every value:
//
//   qc-quantize-model: 'w3g64' is not a value of option 'policy'; the
//   values are: custom, w4g128, w4g64, nf4g64, w4a8, w8a8
//
// QC_ENUM_OPTION_PARSER(T), at global scope before any pass option of type
// T is instantiated, makes it llvm::cl::parser<T>, so MLIR's pass options
// (which derive from llvm::cl::parser<T>) and plain cl::opt<T> use it.
//
//===----------------------------------------------------------------------===//

#ifndef QC_UTILS_ENUMOPTIONPARSER_H
#define QC_UTILS_ENUMOPTIONPARSER_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"

namespace mlir::qc {

template <typename DataType>
class EnumOptionParser : public llvm::cl::generic_parser_base {
public:
  class OptionInfo : public GenericOptionInfo {
  public:
    OptionInfo(llvm::StringRef name, DataType v, llvm::StringRef helpStr)
        : GenericOptionInfo(name, helpStr), V(v) {}
    llvm::cl::OptionValue<DataType> V;
  };
  llvm::SmallVector<OptionInfo, 8> Values;

  using parser_data_type = DataType;

  EnumOptionParser(llvm::cl::Option &owner) : generic_parser_base(owner) {}

  unsigned getNumOptions() const override { return unsigned(Values.size()); }
  llvm::StringRef getOption(unsigned n) const override {
    return Values[n].Name;
  }
  llvm::StringRef getDescription(unsigned n) const override {
    return Values[n].HelpStr;
  }
  const llvm::cl::GenericOptionValue &
  getOptionValue(unsigned n) const override {
    return Values[n].V;
  }

  bool parse(llvm::cl::Option &option, llvm::StringRef argName,
             llvm::StringRef arg, DataType &value) {
    llvm::StringRef name = Owner.hasArgStr() ? arg : argName;
    for (const OptionInfo &info : Values)
      if (info.Name == name) {
        value = info.V.getValue();
        return false;
      }
    std::string list;
    llvm::raw_string_ostream os(list);
    llvm::interleaveComma(Values, os,
                          [&](const OptionInfo &info) { os << info.Name; });
    return option.error("'" + name + "' is not a value of option '" +
                        option.ArgStr + "'; the values are: " + list);
  }

  template <typename DT>
  void addLiteralOption(llvm::StringRef name, const DT &v,
                        llvm::StringRef helpStr) {
    Values.emplace_back(name, static_cast<DataType>(v), helpStr);
    AddLiteralOption(Owner, name);
  }

  void removeLiteralOption(llvm::StringRef name) {
    unsigned n = findOption(name);
    assert(n != Values.size() && "option not found");
    Values.erase(Values.begin() + n);
  }
};

} // namespace mlir::qc

#define QC_ENUM_OPTION_PARSER(T)                                               \
  template <>                                                                  \
  class llvm::cl::parser<T> : public ::mlir::qc::EnumOptionParser<T> {         \
  public:                                                                      \
    using ::mlir::qc::EnumOptionParser<T>::EnumOptionParser;                   \
  };

#endif // QC_UTILS_ENUMOPTIONPARSER_H
