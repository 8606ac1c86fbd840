//===- qc-fuzz-replay.cpp - run fuzz inputs without a fuzzing engine ------===//
//
// qc-fuzz-replay [--split] [--round-trip-only] FILE|DIR...: runs every file
// (every .mlir file under each DIR; with --split, each `// -----` section
// on its own) through the fuzz harness, and exits 1 if a property failed. Built with the normal build,
// so the test suite replays the seed corpus and the crash regressions.
//
//===----------------------------------------------------------------------===//

#include "FuzzHarness.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <string>
#include <vector>

static int replayFile(const std::string &path, bool split, bool runPasses,
                      int &verified) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    llvm::errs() << "qc-fuzz-replay: cannot read " << path << "\n";
    return 1;
  }
  llvm::StringRef text = (*buffer)->getBuffer();
  llvm::SmallVector<llvm::StringRef> sections;
  if (split)
    text.split(sections, "// -----");
  else
    sections.push_back(text);
  int failures = 0;
  for (auto [index, section] : llvm::enumerate(sections)) {
    mlir::qc::fuzz::Outcome outcome = mlir::qc::fuzz::runOneInput(
        reinterpret_cast<const uint8_t *>(section.data()), section.size(),
        runPasses);
    verified += outcome.verified;
    if (!outcome.failure.empty()) {
      llvm::errs() << path << " (section " << index << "): "
                   << outcome.failure << "\n";
      ++failures;
    }
  }
  return failures;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    llvm::errs() << "usage: qc-fuzz-replay [--split] [--round-trip-only] "
                    "FILE|DIR...\n"
                    "  Runs each input through qc's fuzz harness (parse, "
                    "round trips, every\n  pass and pipeline); exits 1 if "
                    "a property failed. --split runs each\n  '// -----' "
                    "section of a file on its own; --round-trip-only skips "
                    "the\n  passes.\n";
    return 2;
  }
  bool split = false, runPasses = true;
  int failures = 0, inputs = 0, verified = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--split") {
      split = true;
      continue;
    }
    if (arg == "--round-trip-only") {
      runPasses = false;
      continue;
    }
    std::vector<std::string> files;
    if (llvm::sys::fs::is_directory(arg)) {
      std::error_code ec;
      for (llvm::sys::fs::recursive_directory_iterator it(arg, ec), end;
           it != end && !ec; it.increment(ec))
        if ((llvm::StringRef(it->path()).ends_with(".mlir") ||
             llvm::StringRef(it->path()).ends_with(".gguf")) &&
            llvm::sys::fs::is_regular_file(it->path()))
          files.push_back(it->path());
      std::sort(files.begin(), files.end());
    } else {
      files.push_back(arg);
    }
    for (const std::string &file : files) {
      failures += replayFile(file, split, runPasses, verified);
      ++inputs;
    }
  }
  llvm::outs() << "qc-fuzz-replay: " << inputs << " file(s), " << verified
               << " input(s) verified, " << failures << " failure(s)\n";
  return failures ? 1 : 0;
}
