// The hand-written example histories in tests/data/checkers/session/ and staleness/: each
// NAME.VERDICT.jsonl gets VERDICT, checked through the registry entry with the options in
// NAME.options.json when that file exists.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "checkers/session.h"
#include "checkers/staleness.h"
#include "histories/jsonl.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

struct Example {
  fs::path path;
  std::string expected;  // valid | invalid | unknown
  Json options;
};

std::vector<Example> examples(const std::string& checker) {
  std::vector<Example> found;
  for (const auto& entry : fs::directory_iterator(fs::path(FAULTLINE_TEST_DATA) / "checkers" / checker)) {
    const fs::path path = entry.path();
    if (path.extension() != ".jsonl") continue;
    const fs::path stem = path.stem();  // NAME.VERDICT
    const fs::path options_path = path.parent_path() / (stem.stem().string() + ".options.json");
    Json options = Json::object();
    if (fs::exists(options_path)) options = Json::parse(std::ifstream(options_path));
    found.push_back({path, stem.extension().string().substr(1), options});
  }
  std::sort(found.begin(), found.end(), [](const Example& a, const Example& b) { return a.path < b.path; });
  return found;
}

void expect_verdicts(const CheckerSpec& spec) {
  const auto found = examples(spec.name);
  EXPECT_GE(found.size(), 5u);
  for (const Example& example : found) {
    SCOPED_TRACE(example.path.filename().string());
    auto history = read_history_file(example.path.string());
    ASSERT_TRUE(history) << history.error().message;
    auto locate = [&](size_t position) { return locate_by_index(history.value(), position); };
    auto result = run_checker(spec, history.value(), example.options, locate);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(to_string(result.value().verdict), example.expected) << render_result(spec, result.value());
  }
}

TEST(SessionExamples, EachHistoryGetsTheVerdictInItsName) { expect_verdicts(session_checker()); }

TEST(StalenessExamples, EachHistoryGetsTheVerdictInItsName) { expect_verdicts(staleness_checker()); }

}  // namespace
}  // namespace faultline
