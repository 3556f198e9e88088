// The EDN reader and the importers of public histories (issue 5, "CLI": import formats).
#include <gtest/gtest.h>

#include "histories/edn.h"
#include "histories/import_edn.h"
#include "histories/import_porcupine.h"

namespace faultline {
namespace {

TEST(Edn, ReadsTheSubsetJepsenUses) {
  auto forms = parse_edn_forms(
      "; a comment\n{:a 1, :b [nil true -2.5 \"s\\\"q\"] :c #{:x} :d (1 2) #_ :skipped :e 3N}",
      "t.edn");
  ASSERT_TRUE(forms) << forms.error().message;
  ASSERT_EQ(forms.value().size(), 1u);
  EXPECT_EQ(forms.value()[0].line, 2);
  EXPECT_EQ(forms.value()[0].value,
            Json::parse(R"({"a":1,"b":[null,true,-2.5,"s\"q"],"c":["x"],"d":[1,2],"e":3})"));
}

TEST(Edn, UnwrapsTheOuterVectorWithLines) {
  auto forms = parse_edn_forms("[{:a 1}\n {:a 2}]", "t.edn", EdnOptions{.unwrap_outer_collection = true});
  ASSERT_TRUE(forms);
  ASSERT_EQ(forms.value().size(), 2u);
  EXPECT_EQ(forms.value()[1].line, 2);
}

TEST(Edn, ErrorsNameFileAndLine) {
  auto unclosed = parse_edn_forms("{:a 1}\n{:b [1 2}", "t.edn");
  ASSERT_FALSE(unclosed);
  EXPECT_EQ(unclosed.error().message.rfind("t.edn:2: ", 0), 0u) << unclosed.error().message;
  auto odd = parse_edn_forms("{:a}", "t.edn");
  ASSERT_FALSE(odd);
  auto deep = parse_edn_forms(std::string(1000, '['), "t.edn");
  ASSERT_FALSE(deep);
  EXPECT_NE(deep.error().message.find("nested too deeply"), std::string::npos);
}

TEST(ImportJepsenEdn, ConvertsOpsAndKeepsNemesis) {
  auto history = import_jepsen_edn(
      "[{:type :invoke, :f :write, :value 3, :process 0, :time 10}\n"
      " {:type :info, :f :start, :process :nemesis}\n"
      " {:type :ok, :f :write, :value 3, :process 0, :time 20, :error [:x nil]}]",
      "h.edn");
  ASSERT_TRUE(history) << history.error().message;
  const auto& ops = history.value().ops;
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_EQ(ops[0].f, "write");
  EXPECT_EQ(ops[0].value, 3);
  EXPECT_EQ(ops[0].time_ns, 10);
  EXPECT_TRUE(ops[1].is_nemesis());
  EXPECT_EQ(ops[2].type, OpType::ok);
  EXPECT_EQ(ops[2].index, 2);
  EXPECT_EQ(ops[2].error, std::optional<std::string>("[\"x\",null]"));
}

TEST(ImportJepsenEdn, SplitsIndependentKeyTuples) {
  auto history = import_jepsen_edn(
      "{:type :invoke, :f :cas, :value [7 [1 2]], :process 0}\n"
      "{:type :ok, :f :cas, :value [7 [1 2]], :process 0}\n"
      "{:type :invoke, :f :read, :value [\"k\" nil], :process 1}\n",
      "h.edn");
  ASSERT_TRUE(history);
  EXPECT_EQ(history.value().ops[0].key, std::optional<std::string>("7"));
  EXPECT_EQ(history.value().ops[0].value, Json::parse("[1,2]"));
  EXPECT_EQ(history.value().ops[2].key, std::optional<std::string>("k"));
}

TEST(ImportJepsenEdn, CasRegisterValuesAreNotTuples) {
  auto history = import_jepsen_edn(
      "[{:type :invoke, :f :cas, :value [1 2], :process 0}"
      " {:type :fail, :f :cas, :value [1 2], :process 0}]",
      "h.edn");
  ASSERT_TRUE(history);
  EXPECT_FALSE(history.value().ops[0].key.has_value());
  EXPECT_EQ(history.value().ops[0].value, Json::parse("[1,2]"));
}

TEST(ImportJepsenEdn, KnossosNilReadIsUnknownAndRetiresTheProcess) {
  auto history = import_jepsen_edn(
      "[{:type :invoke, :f :read, :process 4}"
      " {:type :ok, :f :read, :value nil, :process 4}"
      " {:type :invoke, :f :read, :process 4}]",
      "h.edn");
  ASSERT_TRUE(history);
  const auto& ops = history.value().ops;
  EXPECT_EQ(ops[1].type, OpType::info);
  EXPECT_EQ(ops[1].process, 4);
  EXPECT_EQ(ops[2].process, 5);  // a fresh id after info
}

TEST(ImportJepsenEdn, BadOpNamesTheLine) {
  auto history = import_jepsen_edn("[{:type :invoke, :f :read, :process 0}\n{:type :bogus, :f :read, :process 0}]", "h.edn");
  ASSERT_FALSE(history);
  EXPECT_EQ(history.error().message, "h.edn:2: unknown :type :bogus");
}

TEST(ImportPorcupineEtcd, TabsSpacesTimeoutsAndMismatches) {
  auto history = import_porcupine_etcd(
      "INFO  jepsen.util - 2\t:invoke\t:cas\t[3 0]\n"
      "INFO  jepsen.util - 2\t:fail\t:cas\t[3 0]\n"
      "some log noise\n"
      "INFO  jepsen.util - 3   :invoke   :read   nil\n"
      "INFO  jepsen.util - 3   :fail   :read   :timed-out\n"
      "INFO  jepsen.util - 4\t:invoke\t:write\t1\n"
      "INFO  jepsen.util - 4\t:info\t:write\t:timed-out\n"
      "INFO  jepsen.util - 3   :invoke   :read   nil\n",
      "e.log");
  ASSERT_TRUE(history) << history.error().message;
  const auto& ops = history.value().ops;
  ASSERT_EQ(ops.size(), 7u);
  EXPECT_EQ(ops[1].type, OpType::fail);
  EXPECT_EQ(ops[1].error, std::optional<std::string>("mismatch"));
  EXPECT_EQ(ops[3].type, OpType::info);  // a timed-out read constrains nothing
  EXPECT_EQ(ops[5].type, OpType::info);
  EXPECT_EQ(ops[5].value, 1);             // the info keeps the write's value
  EXPECT_EQ(ops[6].process, 5);           // process 3 retired after its info
}

TEST(ImportPorcupineEtcd, BadLineNamesIt) {
  auto history = import_porcupine_etcd("INFO  jepsen.util - 1\t:invoke\t:read\t[1\n", "e.log");
  ASSERT_FALSE(history);
  EXPECT_EQ(history.error().message.rfind("e.log:1: ", 0), 0u) << history.error().message;
}

TEST(ImportPorcupineKv, NeedsKeys) {
  auto good = import_porcupine_kv(
      "{:process 0, :type :invoke, :f :append, :key \"0\", :value \"x 0 0 y\"}\n"
      "{:process 0, :type :ok, :f :append, :key \"0\", :value \"x 0 0 y\"}\n",
      "kv.txt");
  ASSERT_TRUE(good);
  EXPECT_EQ(good.value().ops[0].key, std::optional<std::string>("0"));
  auto keyless = import_porcupine_kv("{:process 0, :type :invoke, :f :get}\n", "kv.txt");
  ASSERT_FALSE(keyless);
  EXPECT_EQ(keyless.error().message, "kv.txt:1: an op has no :key");
}

}  // namespace
}  // namespace faultline
