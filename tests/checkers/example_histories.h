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
  std::vector<int> op_lines;  // the file line of each op

  // "path:line", as the command line names ops.
  OpLocator locate() const {
    return [this](size_t position) {
      return path + ":" + (position < op_lines.size() ? std::to_string(op_lines[position]) : "?");
    };
  }
};

inline std::vector<int> op_line_numbers(const std::string& path) {
  std::ifstream in(path);
  std::vector<int> lines;
  std::string line;
  bool seen_content = false;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const Json object = Json::parse(line, nullptr, false);
    const bool header = !seen_content && object.is_object() && !object.contains("type") && object.contains("faultline");
    seen_content = true;
    if (!header) lines.push_back(number);
  }
  return lines;
}

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
                        .options = std::move(options),
                        .op_lines = op_line_numbers(path)};
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
