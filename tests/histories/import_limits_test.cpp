// The importers under hostile input (issue 9): invalid UTF-8, numbers beyond what JSON holds
// exactly, Jepsen's own nemesis lines, files that are not logs at all.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "histories/edn.h"
#include "histories/import.h"
#include "histories/import_common.h"
#include "histories/import_edn.h"
#include "histories/import_porcupine.h"
#include "histories/jsonl.h"

namespace faultline {
namespace {

std::string edn_error(const std::string& text) {
  auto history = import_jepsen_edn(text, "h.edn");
  return history ? std::string("(no error)") : history.error().message;
}

Json edn_value(const std::string& text) {
  auto forms = parse_edn_forms(text, "v.edn");
  EXPECT_TRUE(forms) << forms.error().message;
  return forms && forms.value().size() == 1 ? forms.value()[0].value : Json("(not one form)");
}

std::string etcd_error(const std::string& text) {
  auto history = import_porcupine_etcd(text, "e.log");
  return history ? std::string("(no error)") : history.error().message;
}

TEST(ImportLimits, InvalidUtf8IsAnErrorNotAnAbort) {
  // Issue 9, defect 2: nlohmann threw type_error 316 when printing the value: exit 134.
  EXPECT_EQ(edn_error("[{:process 0, :type :invoke, :f :write, :value \"\xff\xfe\"}]"),
            "h.edn:1: invalid UTF-8 in a string (byte 1)");
  EXPECT_EQ(edn_error("[{:process 0, :type :invoke, :f :wr\xffite, :value 1}]"),
            "h.edn:1: invalid UTF-8 in a keyword (byte 3)");
  EXPECT_EQ(etcd_error("INFO  jepsen.util - 0\t:invoke\t:write\t\"\xff\"\n"),
            "e.log:1: invalid UTF-8 (byte 19 after \"jepsen.util - \")");
  auto kv = import_porcupine_kv("{:process 0, :type :invoke, :f :get, :key \"\xff\", :value nil}\n", "k.txt");
  ASSERT_FALSE(kv);
  EXPECT_EQ(kv.error().message, "k.txt:1: invalid UTF-8 in a string (byte 1)");
}

TEST(ImportLimits, IntegersStayExactOrAreRefused) {
  // Issue 9, defect 3: 2^64 and 2^64+1 both became 1.8446744073709552e+19.
  EXPECT_EQ(edn_error("[{:process 0, :type :invoke, :f :write, :value 18446744073709551617}]"),
            "h.edn:1: the integer 18446744073709551617 is beyond the 64-bit range (-2^63 .. 2^64-1)");
  EXPECT_NE(edn_error("[{:process 0, :type :invoke, :f :write, :value 99999999999999999999N}]").find("beyond"),
            std::string::npos);
  EXPECT_EQ(edn_value("18446744073709551615").get<uint64_t>(), 18446744073709551615u);
  EXPECT_NE(edn_value("18446744073709551615"), edn_value("18446744073709551614"));
  EXPECT_EQ(edn_value("-9223372036854775808").get<int64_t>(), std::numeric_limits<int64_t>::min());
  EXPECT_TRUE(edn_value("5N").is_number_integer());
  EXPECT_EQ(edn_value("5N"), Json(5));
  EXPECT_EQ(edn_value("0x1F"), Json(31));   // Clojure reads hex
  EXPECT_EQ(edn_value("017"), Json(15));    // and octal
  EXPECT_EQ(edn_value("-2.5e3"), Json(-2500.0));
  // Equal values hash equally (nlohmann's hash tells a signed 5 from an unsigned 5).
  EXPECT_EQ(std::hash<Json>{}(edn_value("5")), std::hash<Json>{}(edn_value("5N")));
  EXPECT_EQ(std::hash<Json>{}(edn_value("9223372036854775807")), std::hash<Json>{}(Json(INT64_MAX)));
}

TEST(ImportLimits, NumbersADoubleCannotHoldAreRefused) {
  // Issue 9, defect 3: 1e999 was imported as null.
  EXPECT_EQ(edn_error("[{:process 0, :type :invoke, :f :write, :value 1e999}]"),
            "h.edn:1: the number 1e999 is out of the range of a double");
  EXPECT_NE(edn_error("[{:process 0, :type :invoke, :f :write, :value 1.5M}]").find("BigDecimal"), std::string::npos);
  EXPECT_NE(edn_error("[{:process 0, :type :invoke, :f :write, :value 1/2}]").find("bad number"), std::string::npos);
  EXPECT_NE(edn_error("[{:process 0, :type :invoke, :f :write, :value 089}]").find("bad number"), std::string::npos);
}

TEST(ImportLimits, TimeAndIndexAreNeverSilentlyDropped) {
  // Issue 9, defect 16: a :time beyond 64 bits became 0.
  EXPECT_NE(edn_error("[{:process 0, :type :invoke, :f :read, :time 99999999999999999999}]").find("beyond"),
            std::string::npos);
  EXPECT_EQ(edn_error("[{:process 0, :type :invoke, :f :read, :time 18446744073709551615}]"),
            "h.edn:1: :time must be a 64-bit integer, got 18446744073709551615");
  EXPECT_EQ(edn_error("[{:process 0, :type :invoke, :f :read, :time 1.5}]"),
            "h.edn:1: :time must be a 64-bit integer, got 1.5");
  EXPECT_EQ(edn_error("[{:process 0, :type :invoke, :f :read, :index 3}\n"
                      " {:process 0, :type :ok, :f :read, :index 4}\n"
                      " {:process 1, :type :invoke, :f :read, :index 3}]"),
            "h.edn:3: op index 3 is already used at h.edn:1");
}

TEST(ImportLimits, EtcdNemesisLinesAreNemesisOps) {
  // Issue 9, defect 12: real Jepsen logs print the nemesis process as a keyword.
  auto history = import_porcupine_etcd(
      "INFO  jepsen.util - 2\t:invoke\t:write\t0\n"
      "INFO  jepsen.util - :nemesis\t:info\t:start\tnil\n"
      "INFO  jepsen.util - 2\t:ok\t:write\t0\n"
      "INFO  jepsen.util - :nemesis\t:info\t:start\t\"Cut off {:n1 #{:n2 :n3}}\"\n"
      "INFO  jepsen.util - nemesis\t:info\t:stop\t#object[Foo 0x1 \"bar\"] trailing\n",
      "e.log");
  ASSERT_TRUE(history) << history.error().message;
  const auto& ops = history.value().ops;
  ASSERT_EQ(ops.size(), 5u);
  EXPECT_TRUE(ops[1].is_nemesis());
  EXPECT_EQ(ops[1].type, OpType::info);
  EXPECT_EQ(ops[1].f, "start");
  EXPECT_EQ(ops[1].value, nullptr);
  EXPECT_EQ(ops[3].value, "Cut off {:n1 #{:n2 :n3}}");
  // A nemesis value that is not one EDN value only describes the fault: kept as its text.
  EXPECT_EQ(ops[4].value, "#object[Foo 0x1 \"bar\"] trailing");
  EXPECT_EQ(ops[2].process, 2);
  EXPECT_EQ(history.value().op_lines, (std::vector<int64_t>{1, 2, 3, 4, 5}));
}

TEST(ImportLimits, EtcdProcessBeyondInt64IsAnErrorNamingTheLine) {
  // Issue 9, defect 9: strtoll clamped it to 2^63-1.
  EXPECT_EQ(etcd_error("noise\nINFO  jepsen.util - 99999999999999999999\t:invoke\t:write\t0\n"),
            "e.log:2: bad process \"99999999999999999999\" (a non-negative 64-bit integer or :nemesis)");
  EXPECT_NE(etcd_error("INFO  jepsen.util - 3x\t:invoke\t:write\t0\n").find("bad process"), std::string::npos);
}

TEST(ImportLimits, EtcdDeepValueErrorIsShortAndSaysWhy) {
  // Issue 9, defect 15: the error echoed a 200 KB value.
  const std::string message = etcd_error("INFO  jepsen.util - 0\t:invoke\t:write\t" + std::string(100000, '[') + "\n");
  EXPECT_EQ(message, "e.log:1: EDN nested too deeply (more than 255 levels)");
}

TEST(ImportLimits, ImportedValuesAtTheDepthLimitReadBackFromJsonl) {
  // An import never writes what `check` cannot read: an op line is one level more.
  const std::string deepest = std::string(254, '[') + std::string(254, ']');
  for (const auto& imported :
       {import_porcupine_etcd("INFO  jepsen.util - 0\t:invoke\t:write\t" + deepest + "\n", "e.log"),
        import_jepsen_edn("[{:process 0, :type :invoke, :f :write, :value " + deepest + "}]", "h.edn")}) {
    ASSERT_TRUE(imported) << imported.error().message;
    auto back = parse_op_line(format_op_line(imported.value().ops[0]), "x:1");
    EXPECT_TRUE(back) << back.error().message;
  }
}

std::string temp_file(const std::string& name, const std::string& text) {
  auto path = std::filesystem::path(::testing::TempDir()) / (name + "-" + std::to_string(getpid()));
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

TEST(ImportLimits, ImportThatRecognisesNothingIsAnError) {
  // Issue 9, defect 13: a file without one Jepsen line imported as an empty history.
  const std::string noise = temp_file("noise.log", "hello\nnot a log at all\n\x01\x02\xff\n");
  auto etcd = import_history_file(noise, "porcupine-etcd");
  ASSERT_FALSE(etcd);
  EXPECT_EQ(etcd.error().message, noise + ": no ops found: not a porcupine-etcd history (or an empty one)");
  auto empty = import_history_file(temp_file("empty.edn", "[]"), "jepsen-edn");
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("no ops found"), std::string::npos);
}

TEST(ImportLimits, FreshProcessIdsNeverOverflow) {
  std::vector<Op> ops(2);
  ops[0] = Op{.process = std::numeric_limits<int64_t>::max(), .type = OpType::info, .f = "write"};
  ops[1] = Op{.process = std::numeric_limits<int64_t>::max(), .type = OpType::invoke, .f = "write"};
  auto retired = retire_processes_after_info(ops);
  ASSERT_FALSE(retired);
  EXPECT_NE(retired.error().message.find("needs a fresh id"), std::string::npos);
}

}  // namespace
}  // namespace faultline
