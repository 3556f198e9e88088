// Every public history gets its expected verdict (issue 5, "Tests and data"): Porcupine's
// 102 etcd logs and 6 kv logs (tests/data/porcupine/EXPECTED_VERDICTS.tsv) and Knossos'
// cas-register, multi-register and mutex histories (tests/data/knossos/expected-verdicts.tsv),
// each through the same importer and checker the CLI uses.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "checkers/linearizable.h"
#include "histories/import.h"

namespace faultline {
namespace {

struct PublicCase {
  std::string name;    // for the test name
  std::string path;    // absolute
  std::string format;  // import format
  std::string model;
  Json initial;
  Verdict expected;
};

std::vector<std::vector<std::string>> read_tsv(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream stream(line);
    std::string field;
    while (std::getline(stream, field, '\t')) fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

std::string test_name(const std::string& path) {
  std::string name;
  for (char c : path) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

std::vector<PublicCase> porcupine_cases() {
  const std::string root = std::string(FAULTLINE_TEST_DATA) + "/porcupine/";
  std::vector<PublicCase> cases;
  for (const auto& row : read_tsv(root + "EXPECTED_VERDICTS.tsv")) {
    // kv-nopartition rows repeat kv files checked without the key split; our checker always
    // splits by key, so those rows would repeat the kv rows.
    if (row[1] == "kv-nopartition") continue;
    bool etcd = row[1] == "etcd";
    cases.push_back(PublicCase{test_name(row[0]), root + row[0],
                               etcd ? "porcupine-etcd" : "porcupine-kv",
                               etcd ? "cas-register" : "append-kv", nullptr,
                               row[4] == "true" ? Verdict::valid : Verdict::invalid});
  }
  return cases;
}

Json knossos_initial(const std::string& text) {
  if (text == "{:x 0 :y 0}") return {{"x", 0}, {"y", 0}};
  if (text == "unlocked") return nullptr;
  return Json::parse(text);
}

std::vector<PublicCase> knossos_cases() {
  const std::string root = std::string(FAULTLINE_TEST_DATA) + "/knossos/";
  std::vector<PublicCase> cases;
  for (const auto& row : read_tsv(root + "expected-verdicts.tsv")) {
    if (row[3] != "true" && row[3] != "false") continue;  // the .html rendering
    cases.push_back(PublicCase{test_name(row[0]), root + row[0], "jepsen-edn", row[1],
                               knossos_initial(row[2]),
                               row[3] == "true" ? Verdict::valid : Verdict::invalid});
  }
  return cases;
}

class PublicHistory : public testing::TestWithParam<PublicCase> {};

TEST_P(PublicHistory, GetsItsExpectedVerdict) {
  const PublicCase& test = GetParam();
  auto history = import_history_file(test.path, test.format);
  ASSERT_TRUE(history) << history.error().message;
  LinearizabilityOptions options;
  options.model = test.model;
  options.initial = test.initial;
  CheckResult result = check_linearizable(history.value(), options);
  EXPECT_EQ(to_string(result.verdict), to_string(test.expected)) << result.summary;
  if (result.verdict == Verdict::invalid) {
    // A readable witness: the failing op is named and the text renders.
    EXPECT_TRUE(result.evidence.contains("failing_op"));
    EXPECT_NE(render_linearizability_text(result).find("no order could explain"), std::string::npos);
  }
}

std::string case_name(const testing::TestParamInfo<PublicCase>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(Porcupine, PublicHistory, testing::ValuesIn(porcupine_cases()), case_name);
INSTANTIATE_TEST_SUITE_P(Knossos, PublicHistory, testing::ValuesIn(knossos_cases()), case_name);

TEST(PublicData, TablesCoverEveryHistory) {
  EXPECT_EQ(porcupine_cases().size(), 108u);  // 102 etcd + 6 kv
  EXPECT_EQ(knossos_cases().size(), 122u);    // 120 cas-register, 1 multi-register, 1 mutex
}

}  // namespace
}  // namespace faultline
