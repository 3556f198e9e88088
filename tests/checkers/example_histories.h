#pragma once
// The hand-written example histories of a checker, tests/data/checkers/<checker>/NAME.V.jsonl,
// where V (valid, invalid or unknown) is the verdict the file must get, with the checker's
// options in NAME.options.json when the case needs any.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "checkers/checker.h"
#include "histories/jsonl.h"

namespace faultline::testing_support {

struct ExampleHistory {
  std::string path;
  History history;
  Verdict expected = Verdict::unknown;
  Json options = Json::object();

  // "path:line", as the command line names ops.
  OpLocator locate() const {
    return [this](size_t position) { return op_location(history, path, position); };
  }
};

// "lost-element.invalid.jsonl" -> invalid.
inline std::optional<Verdict> expected_verdict(const std::string& file_name) {
  const std::string stem = std::filesystem::path(file_name).stem().string();
  const std::string suffix = std::filesystem::path(stem).extension().string();
  for (Verdict verdict : {Verdict::valid, Verdict::invalid, Verdict::unknown})
    if (suffix.size() > 1 && suffix.substr(1) == to_string(verdict)) return verdict;
  return std::nullopt;
}

inline ExampleHistory read_example(const std::string& checker, const std::string& file_name) {
  const std::string path = std::string(FAULTLINE_TEST_DATA) + "/checkers/" + checker + "/" + file_name;
  auto history = read_history_file(path);
  EXPECT_TRUE(history) << history.error().message;
  auto expected = expected_verdict(file_name);
  EXPECT_TRUE(expected) << path << ": the name does not end in .valid.jsonl, .invalid.jsonl or .unknown.jsonl";
  const std::filesystem::path stem = std::filesystem::path(file_name).stem();  // NAME.V
  const std::string options_path = std::string(FAULTLINE_TEST_DATA) + "/checkers/" + checker + "/" +
                                   stem.stem().string() + ".options.json";
  Json options = Json::object();
  if (std::filesystem::exists(options_path)) options = Json::parse(std::ifstream(options_path));
  return ExampleHistory{.path = path,
                        .history = history ? history.value() : History{},
                        .expected = expected.value_or(Verdict::unknown),
                        .options = std::move(options)};
}

// Every example of the checker, in file name order.
inline std::vector<ExampleHistory> example_histories(const std::string& checker) {
  std::vector<std::string> names;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(FAULTLINE_TEST_DATA) + "/checkers/" + checker))
    if (entry.path().extension() == ".jsonl") names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  std::vector<ExampleHistory> examples;
  for (const std::string& name : names) examples.push_back(read_example(checker, name));
  return examples;
}

}  // namespace faultline::testing_support
