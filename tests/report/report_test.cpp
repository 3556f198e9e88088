// The report library (framework/report/): fault intervals, where a witness points, its text
// context, the message log a simulator records and the self-contained page; and the
// linearizability witness's partial order. The page itself is checked in a browser by
// browser_test.py.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "../checkers/history_builder.h"
#include "checkers/lin_witness.h"
#include "checkers/linearizable.h"
#include "framework/cli/builtins.h"
#include "framework/cli/progress.h"
#include "framework/report/context.h"
#include "framework/report/fault_intervals.h"
#include "framework/report/html_page.h"
#include "framework/report/message_log.h"
#include "framework/report/report_data.h"
#include "framework/report/witness_focus.h"
#include "framework/run.h"

namespace faultline::report {
namespace {

using testing_support::HistoryBuilder;

Op nemesis_line(int64_t index, int64_t time_ns, const std::string& f, Json value) {
  return Op{.index = index, .time_ns = time_ns, .process = kNemesisProcess, .type = OpType::info, .f = f,
            .value = std::move(value)};
}

// A stale read: process 2 reads 1 from node 0 (a deposed leader) after 2 was written through
// node 1, while a partition cut node 0 off.
History stale_read_history() {
  History history;
  history.header = Json{{"system", "raft"}, {"workload", "register"}, {"seed", 1}, {"params", {{"nodes", 3}}}};
  auto add = [&](int64_t time_ns, int64_t process, OpType type, const std::string& f, Json value,
                 std::optional<int64_t> node = std::nullopt, std::optional<std::string> role = std::nullopt) {
    history.ops.push_back(Op{.index = static_cast<int64_t>(history.ops.size()), .time_ns = time_ns, .process = process,
                             .type = type, .f = f, .key = "k0", .value = std::move(value), .node = node, .role = role});
  };
  add(100, 1, OpType::invoke, "write", 1);
  add(200, 1, OpType::ok, "write", 1, 0, "leader");
  history.ops.push_back(nemesis_line(2, 300, "start-partition", {{"shape", "leader"}, {"cut", {{0, 1}, {1, 0}, {0, 2}, {2, 0}}}}));
  add(400, 1, OpType::invoke, "write", 2);
  add(500, 1, OpType::ok, "write", 2, 1, "leader");
  add(600, 2, OpType::invoke, "read", nullptr);
  add(700, 2, OpType::ok, "read", 1, 0, "leader");
  history.ops.push_back(nemesis_line(7, 800, "stop-partition", nullptr));
  return history;
}

CheckResult check(const History& history) {
  return check_linearizable(history, LinearizabilityOptions{.model = "kv"});
}

TEST(FaultIntervals, PairStartsWithStopsAndHealEndsTheRest) {
  History history;
  history.ops = {nemesis_line(0, 10, "start-pause", {{"nodes", {1}}}),
                 nemesis_line(1, 20, "start-partition", {{"cut", {{0, 1}, {1, 0}, {0, 2}, {2, 0}}}}),
                 nemesis_line(2, 30, "stop-pause", {{"nodes", {1}}}),
                 nemesis_line(3, 40, "start-kill", {{"nodes", {2}}}),
                 nemesis_line(4, 50, "heal", nullptr),
                 nemesis_line(5, 60, "start-crash", {{"nodes", {0}}})};
  auto faults = fault_intervals(history, 3);
  ASSERT_EQ(faults.size(), 4u);
  EXPECT_EQ(faults[0].label, "pause node 1");
  EXPECT_EQ(faults[0].end_ns, 30);
  EXPECT_EQ(faults[1].label, "partition 0 | 1 2");
  EXPECT_EQ(faults[1].nodes, std::vector<int64_t>{0});  // the side cut off
  EXPECT_EQ(faults[1].end_ns, 50);
  EXPECT_EQ(faults[2].end_index, std::optional<int64_t>(4));
  EXPECT_FALSE(faults[3].end_index.has_value());  // still crashed when the history ends
  EXPECT_EQ(faults[3].end_ns, 60);
  EXPECT_EQ(faults_during(faults, 31, 39).size(), 1u);
}

TEST(FaultIntervals, AOneWayCutIsolatesNobody) {
  EXPECT_EQ(partition_sides(Json{{0, 1}, {0, 2}}, 3).size(), 1u);
  EXPECT_EQ(partition_sides(Json{{0, 1}, {1, 0}}, 3).size(), 1u);  // 0 still reaches 1 through 2
  EXPECT_EQ(partition_sides(Json{{0, 1}, {1, 0}, {0, 2}, {2, 0}}, 3).size(), 2u);
  EXPECT_EQ(partition_sides(Json{{0, 1}, {1, 0}, {0, 2}, {2, 0}}, 4).size(), 1u);  // node 3 still links 0 to 1 and 2
}

TEST(LinearizableWitness, CarriesThePartialOrderTheServingNodesAndWhereEachStateCameFrom) {
  History history = stale_read_history();
  // A later write of 2 cannot have produced the state possible before the read: not a source.
  history.ops.push_back(Op{.index = 8, .time_ns = 900, .process = 1, .type = OpType::invoke, .f = "write", .key = "k0",
                           .value = 2});
  history.ops.push_back(Op{.index = 9, .time_ns = 950, .process = 1, .type = OpType::ok, .f = "write", .key = "k0",
                           .value = 2, .node = 1});
  CheckResult result = check(history);
  ASSERT_EQ(result.verdict, Verdict::invalid);
  const Json& e = result.evidence;
  EXPECT_EQ(e["failing_op"]["index"], 5);
  EXPECT_EQ(e["failing_op"]["node"], 0);
  EXPECT_EQ(e["failing_op"]["role"], "leader");
  ASSERT_EQ(e["linearization"].size(), 2u);  // write 1, write 2: then reading 1 is impossible
  EXPECT_EQ(e["linearization"][0]["op"]["index"], 0);
  EXPECT_EQ(e["linearization"][1]["state_after"], 2);
  EXPECT_EQ(e["linearization_steps"], 2);
  ASSERT_EQ(e["state_sources"].size(), 1u);
  EXPECT_EQ(e["state_sources"][0]["state"], 2);
  EXPECT_EQ(e["state_sources"][0]["writes"], Json::array({3}));
  const std::string text = render_evidence_text(result);
  EXPECT_NE(text.find("[node 0, leader]"), std::string::npos) << text;
  EXPECT_NE(text.find("2: written by #3"), std::string::npos) << text;
}

TEST(LinearizableWitness, AnImmediateFailureHasNoPartialOrderAndTheInitialState) {
  HistoryBuilder history;
  history.op(0, "read", nullptr, 3, "k0").op(1, "write", 3, 3, "k0");
  CheckResult result = check(history.history());
  ASSERT_EQ(result.verdict, Verdict::invalid);
  EXPECT_TRUE(result.evidence["linearization"].empty());
  EXPECT_EQ(result.evidence["state_sources"][0]["initial"], true);
}

TEST(WitnessFocus, PointsAtTheFailingOpAndItsWindow) {
  const History history = stale_read_history();
  CheckResult result = check(history);
  WitnessFocus focus = witness_focus(history, result.checker, result.evidence);
  EXPECT_EQ(focus.primary, std::optional<int64_t>(5));
  EXPECT_EQ(focus.ops, (std::vector<int64_t>{5, 6}));  // the read and its completion line
  EXPECT_EQ(focus.related, (std::vector<int64_t>{0, 1, 3, 4}));  // the partial order, drawn apart
  EXPECT_EQ(focus.start_ns, 600);
  EXPECT_EQ(focus.end_ns, 700);
}

TEST(WitnessFocus, ReadsEveryCheckersIndexFieldsButNotItsCounts) {
  HistoryBuilder builder;
  builder.op(0, "add", 1, 1).op(1, "read", nullptr, Json::array({1})).op(1, "read", nullptr, Json::array());
  const History& history = builder.history();
  const Json set_full = Json::parse(R"({"lost": {"elements": [{"element": 1, "add": {"index": 0}, "known_at": 1,
                                       "last_seen_by": 3, "absent_from": 5}]},
                                        "counts": {"reads": 2}})");
  WitnessFocus focus = witness_focus(history, "set-full", set_full);
  EXPECT_EQ(focus.primary, std::optional<int64_t>(5));
  EXPECT_EQ(focus.ops, (std::vector<int64_t>{0, 1, 3, 5}));
  const Json availability =
      Json::parse(R"({"windows": [{"groups": [{"ops": 4}]}], "worst": {"unavailable_ops": [2]}})");
  focus = witness_focus(history, "availability", availability);
  EXPECT_EQ(focus.ops, std::vector<int64_t>{2});  // "ops": 4 is a count, not op #4
  EXPECT_TRUE(witness_focus(history, "liveness", Json{{"unanswered", Json::array()}}).empty());
}

TEST(WitnessContext, NamesTheServingNodeAndTheFaultsActiveThen) {
  const History history = stale_read_history();
  CheckResult result = check(history);
  Json context = witness_context(history, result.checker, result.evidence);
  ASSERT_FALSE(context.is_null());
  EXPECT_EQ(context["ops"][0]["index"], 5);
  EXPECT_EQ(context["ops"][0]["served_by"], 0);
  EXPECT_EQ(context["faults"][0]["label"], "partition (leader) 0 | 1 2");
  const std::string text = render_context(context);
  EXPECT_NE(text.find("#5 read k0 -> ok 1, served by node 0 (leader)"), std::string::npos) << text;
  EXPECT_NE(text.find("faults active then: partition (leader) 0 | 1 2 from 0.000 s to 0.000 s"), std::string::npos)
      << text;
}

TEST(WitnessContext, ALivenessFailureSaysWhatTheOpWaitedFor) {
  History history;
  history.ops.push_back(nemesis_line(0, 1'000'000'000, "start-crash", {{"nodes", {2}}}));
  history.ops.push_back(Op{.index = 1, .time_ns = 2'000'000'000, .process = 4, .type = OpType::invoke, .f = "read",
                           .key = "k1", .node = 2});
  history.ops.push_back(Op{.index = 2, .time_ns = 3'000'000'000, .process = 4, .type = OpType::info, .f = "read",
                           .key = "k1", .error = "timeout"});
  Json evidence = {{"unanswered", {{{"invoke", 1}, {"completion", 2}}}}};
  const std::string text = render_context(witness_context(history, "liveness", evidence));
  EXPECT_NE(text.find("#1 read k1 [process 4] waited from t=2.000 s for an answer from node 2 (the node it "
                      "addressed); it ended info (timeout) at 3.000 s; faults then: crash node 2"),
            std::string::npos)
      << text;
}

Scenario small_raft_scenario() {
  Scenario s;
  s.system = "raft";
  s.seed = 5;
  s.time_ns = 2'000'000'000;
  s.nemesis = {"partition"};
  s.nemesis_interval_ns = 500'000'000;
  return s;
}

TEST(MessageLog, RecordingChangesNothingAndIsDeterministic) {
  const Registry& registry = cli::builtin_registry();
  MemorySink plain, recorded_once, recorded_twice;
  std::vector<MessageRecord> once, twice;
  ASSERT_TRUE(run_scenario(small_raft_scenario(), registry, plain).has_value());
  ASSERT_TRUE(run_scenario(small_raft_scenario(), registry, recorded_once, &once).has_value());
  ASSERT_TRUE(run_scenario(small_raft_scenario(), registry, recorded_twice, &twice).has_value());
  EXPECT_EQ(plain.text(), recorded_once.text());
  const MessageSelection all = select_messages(once, std::nullopt, 0, once.size());
  EXPECT_EQ(messages_jsonl(once, all, 3), messages_jsonl(twice, all, 3));
  size_t cut = 0, delivered = 0;
  for (const MessageRecord& record : once) {
    cut += record.fate == MessageRecord::Fate::dropped_cut;
    delivered += record.fate == MessageRecord::Fate::delivered;
    if (record.fate != MessageRecord::Fate::in_flight) {
      EXPECT_GE(record.ended_ns, record.sent_ns);
    }
  }
  EXPECT_GT(cut, 0u);  // the partition dropped some in flight
  EXPECT_GT(delivered, 0u);
}

TEST(MessageLog, AWindowAroundTheWitnessWhenTheRunSentMany) {
  std::vector<MessageRecord> log;
  for (int64_t i = 0; i < 1000; ++i)
    log.push_back({.from = 0, .to = 1, .sent_ns = i * 1'000'000, .ended_ns = i * 1'000'000 + 500'000,
                   .fate = MessageRecord::Fate::delivered});
  WitnessFocus focus{.ops = {1}, .primary = 1, .start_ns = 500'000'000, .end_ns = 510'000'000};
  MessageSelection small = select_messages(log, focus, 500'000'000, 2000);
  EXPECT_TRUE(small.whole_run);
  EXPECT_EQ(small.chosen.size(), 1000u);
  MessageSelection windowed = select_messages(log, focus, 500'000'000, 200);
  EXPECT_FALSE(windowed.whole_run);
  EXPECT_TRUE(windowed.near_witness);
  MessageSelection first = select_messages(log, std::nullopt, 0, 200);  // a run with no witness
  EXPECT_FALSE(first.near_witness);
  EXPECT_EQ(first.chosen.back(), 199u);
  EXPECT_EQ(windowed.chosen.front(), 450u);  // 50 ms of margin before the focus
  EXPECT_EQ(windowed.chosen.back(), 560u);
  MessageSelection nearest = select_messages(log, focus, 500'000'000, 20);
  ASSERT_EQ(nearest.chosen.size(), 20u);
  EXPECT_EQ(nearest.chosen.front(), 490u);  // the 20 sent nearest the op at fault
  const std::string text = messages_jsonl(log, nearest, 2);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 21);
}

TEST(HtmlPage, IsOneFileThatFetchesNothingAndKeepsItsDataIntact) {
  History history = stale_read_history();
  history.ops[5].value = "</script><script>alert(1)</script>";  // a hostile value must stay data
  CheckResult result = check(stale_read_history());
  RunReport report{.history = history,
                   .claims = {ClaimView{.name = "linearizable", .checker = result.checker, .verdict = result.verdict,
                                        .summary = result.summary, .evidence = result.evidence}},
                   .source = "h.jsonl"};
  const Json data = run_report_data(report);
  const std::string page = html_page(data, "fallback");
  EXPECT_NE(page.find("default-src 'none'"), std::string::npos);
  for (const char* fetching : {" src=", "<link", "@import", "url(http", "href=\"http"})
    EXPECT_EQ(page.find(fetching), std::string::npos) << fetching;
  EXPECT_EQ(page.find("</script><script>alert"), std::string::npos);
  const size_t begin = page.find("id=\"report-data\">") + 17;
  const Json parsed = Json::parse(page.substr(begin, page.find("</script>", begin) - begin));
  EXPECT_EQ(parsed, data);
  EXPECT_EQ(parsed["claims"][0]["focus"]["primary"], 5);
  EXPECT_EQ(parsed["faults"][0]["label"], "partition (leader) 0 | 1 2");
  EXPECT_EQ(parsed["ops"].size(), 3u);
}

TEST(ReportData, MessageTimesPastTwoSecondsStayExact) {
  const int64_t sent_ns = 3'010'948'662;  // past 2^31 ns: must not be read as a 32-bit int
  const std::vector<Json> lines = {
      Json{{"faultline_messages", 1}, {"node_count", 3}},
      Json{{"id", 5'000'000'000}, {"from", 0}, {"to", 1}, {"sent_ns", sent_ns}, {"ended_ns", sent_ns + 10},
           {"fate", "delivered"}, {"type", "append"}, {"duplicate", false}, {"body", nullptr}}};
  const Json data = run_report_data(RunReport{.history = stale_read_history(), .messages = lines});
  const Json& item = data["messages"]["items"][0];
  EXPECT_EQ(item[0], 5'000'000'000);
  EXPECT_EQ(item[3], sent_ns);
  EXPECT_EQ(item[4], sent_ns + 10);
}

TEST(ReportData, AvailabilityPerFaultWindow) {
  const History history = stale_read_history();
  const Json data = run_report_data(RunReport{.history = history});
  ASSERT_EQ(data["windows"].size(), 2u);  // before and during the partition (it lasts to the end)
  EXPECT_EQ(data["windows"][0]["ops"], 1);
  EXPECT_EQ(data["windows"][1]["faults"], Json::array({"partition (leader) 0 | 1 2"}));
  EXPECT_EQ(data["windows"][1]["ops"], 2);
  EXPECT_EQ(data["windows"][1]["ok"], 2);
}

std::string progress_output(cli::Progress::Mode mode) {
  char* buffer = nullptr;
  size_t size = 0;
  std::FILE* out = open_memstream(&buffer, &size);
  {
    cli::Progress progress(mode, out);
    progress.update("1/3 seeds");
    progress.note("seed 1 failed");
    progress.update("2/3 seeds");  // within the interval: shown at finish (plain) or dropped (live)
  }
  std::fclose(out);
  std::string text(buffer, size);
  std::free(buffer);
  return text;
}

TEST(Progress, LiveOnATerminalPlainInALogNothingWhenQuiet) {
  EXPECT_EQ(progress_output(cli::Progress::Mode::quiet), "seed 1 failed\n");
  EXPECT_EQ(progress_output(cli::Progress::Mode::plain), "1/3 seeds\nseed 1 failed\n2/3 seeds\n");
  const std::string live = progress_output(cli::Progress::Mode::live);
  EXPECT_EQ(live, "\r\033[K1/3 seeds\r\033[Kseed 1 failed\n1/3 seeds\r\033[K");
  EXPECT_EQ(cli::seeds_progress(10, 40, 2, 5.0), "10/40 seeds, 2 failed, 2.0 seeds/s, ETA 15 s");
}

}  // namespace
}  // namespace faultline::report
