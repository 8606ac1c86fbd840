//===- FuzzHarness.h - one fuzz input through qc ----------------*- C++ -*-===//
//
// The body of qc's fuzzer, shared by the libFuzzer target (qc-fuzz, built
// with clang when QC_ENABLE_FUZZER is on) and by qc-fuzz-replay (built
// always, so the test suite replays the corpus and every crash ever found
// without clang).
//
//===----------------------------------------------------------------------===//

#ifndef QC_TOOLS_QC_FUZZ_FUZZHARNESS_H
#define QC_TOOLS_QC_FUZZ_FUZZHARNESS_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace mlir::qc::fuzz {

/// The largest input the harness reads (larger ones are skipped): parsing
/// is linear, but the passes are not, and libFuzzer's inputs are small.
constexpr size_t kMaxInputBytes = 1 << 16;

/// What happened to one input.
struct Outcome {
  /// Whether it parsed and verified (the properties apply only then).
  bool verified = false;
  /// What failed, or empty: a round trip that did not read back or changed
  /// the module. (A crash, a hang or unbounded memory is the other way to
  /// fail, which the fuzzing engine or the test runner detects.)
  std::string failure;
};

/// Runs one input through qc: parse and verify it; check that it prints in
/// pretty and generic form and reads back to the same module; then (with
/// `runPasses`) run each of qc's passes and pipelines on a copy of it.
/// Diagnostics are expected and swallowed.
Outcome runOneInput(const uint8_t *data, size_t size, bool runPasses = true);

/// A GGUF input (runOneInput sends those here): qc-import's reader, then
/// every decoder on each tensor it accepts. Whether the file was read.
bool runGGUFInput(const uint8_t *data, size_t size);

} // namespace mlir::qc::fuzz

#endif // QC_TOOLS_QC_FUZZ_FUZZHARNESS_H
