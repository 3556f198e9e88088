// Corpus replay: the normal suites' share of fuzzing. Every seed input of a fuzz target runs
// once through the target's property, in the release and the sanitizer builds, so the corpora
// and the properties they check are part of every `ctest` (libFuzzer mutates from the same
// corpora in scripts/fuzz.sh, a separate command).
//
//   fuzz_replay TARGET PATH...    a directory is read recursively, in path order
//
// Each target's LLVMFuzzerTestOneInput is compiled under the name TARGET_one_input
// (fuzz/CMakeLists.txt), listed in the generated fuzz_targets.inc.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#define FAULTLINE_FUZZ_TARGET(target) extern "C" int target##_one_input(const uint8_t* data, size_t size);
#include "fuzz_targets.inc"
#undef FAULTLINE_FUZZ_TARGET

namespace {

namespace fs = std::filesystem;

struct ReplayTarget {
  std::string_view name;
  int (*one_input)(const uint8_t* data, size_t size);
};

constexpr ReplayTarget kReplayTargets[] = {
#define FAULTLINE_FUZZ_TARGET(target) {.name = #target, .one_input = target##_one_input},
#include "fuzz_targets.inc"
#undef FAULTLINE_FUZZ_TARGET
};

const ReplayTarget* find_replay_target(std::string_view name) {
  for (const ReplayTarget& target : kReplayTargets) {
    if (target.name == name) return &target;
  }
  return nullptr;
}

// The files under each path, in path order; false (with a message) if a path is missing.
bool collect_inputs(const std::vector<fs::path>& paths, std::vector<fs::path>& inputs) {
  for (const fs::path& path : paths) {
    std::error_code error;
    if (fs::is_regular_file(path, error)) {
      inputs.push_back(path);
      continue;
    }
    if (!fs::is_directory(path, error)) {
      std::fprintf(stderr, "fuzz_replay: %s: no such file or directory\n", path.c_str());
      return false;
    }
    std::vector<fs::path> found;
    for (const auto& entry : fs::recursive_directory_iterator(path)) {
      if (entry.is_regular_file()) found.push_back(entry.path());
    }
    std::sort(found.begin(), found.end());
    inputs.insert(inputs.end(), found.begin(), found.end());
  }
  return true;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: fuzz_replay TARGET PATH...\n");
    return 2;
  }
  const ReplayTarget* target = find_replay_target(argv[1]);
  if (target == nullptr) {
    std::fprintf(stderr, "fuzz_replay: unknown target %s (fuzz/targets.txt lists them)\n", argv[1]);
    return 2;
  }
  std::vector<fs::path> inputs;
  if (!collect_inputs(std::vector<fs::path>(argv + 2, argv + argc), inputs)) return 2;
  if (inputs.empty()) {
    std::fprintf(stderr, "fuzz_replay: no input under the given paths\n");
    return 2;
  }
  for (const fs::path& input : inputs) {
    // Named before it runs: a broken property aborts, and this line says which input did it.
    std::printf("%s\n", input.c_str());
    std::fflush(stdout);
    const std::string bytes = read_bytes(input);
    target->one_input(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  std::printf("%s: %zu inputs replayed, every property held\n", argv[1], inputs.size());
  return 0;
}
