#include "framework/report/report_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/files.h"
#include "framework/campaign_store.h"
#include "framework/report/campaign_data.h"
#include "framework/report/context.h"
#include "framework/report/history_index.h"
#include "framework/report/html_page.h"
#include "framework/report/message_log.h"
#include "framework/report/report_data.h"
#include "framework/report/witness_focus.h"
#include "framework/scenario_fields.h"
#include "histories/jsonl.h"

namespace faultline::report {

namespace fs = std::filesystem;

namespace {

Result<Json> read_json_file(const std::string& path) {
  BOOST_OUTCOME_TRY(text, read_whole_file(path));
  Json json = Json::parse(text, nullptr, false);
  if (json.is_discarded()) return fail(path + ": not JSON");
  return json;
}

// A messages.jsonl line as message_log.h writes it: the header first, then messages whose
// fields have the types the page reads (a file edited by hand must not break the report).
Result<void> check_message_line(const Json& line, bool header, const std::string& where) {
  if (!line.is_object()) return fail(where + ": not a JSON object");
  if (header) {
    if (!line.contains("faultline_messages")) return fail(where + ": not a messages.jsonl header");
    return outcome::success();
  }
  for (const char* field : {"id", "from", "to", "sent_ns"})
    if (!line.contains(field) || !line[field].is_number_integer()) return fail(where + ": \"" + field + "\" is not an integer");
  if (line.contains("ended_ns") && !line["ended_ns"].is_null() && !line["ended_ns"].is_number_integer())
    return fail(where + ": \"ended_ns\" is neither an integer nor null");
  for (const char* field : {"fate", "type"})
    if (line.contains(field) && !line[field].is_string()) return fail(where + ": \"" + field + "\" is not a string");
  if (line.contains("duplicate") && !line["duplicate"].is_boolean()) return fail(where + ": \"duplicate\" is not a boolean");
  return outcome::success();
}

Result<std::vector<Json>> read_messages_file(const std::string& path) {
  BOOST_OUTCOME_TRY(text, read_whole_file(path));
  std::vector<Json> lines;
  std::istringstream in(text);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.empty()) continue;
    const std::string where = path + ":" + std::to_string(number);
    Json json = Json::parse(line, nullptr, false);
    if (json.is_discarded()) return fail(where + ": not JSON");
    BOOST_OUTCOME_TRYV(check_message_line(json, lines.empty(), where));
    lines.push_back(std::move(json));
  }
  return lines;
}

Verdict verdict_from(const std::string& text) {
  return text == "valid" ? Verdict::valid : text == "invalid" ? Verdict::invalid : Verdict::unknown;
}

// The checker's own rendering of a stored result, when the registry knows the checker.
std::string rendered(const Registry& registry, const CheckResult& result) {
  if (result.verdict == Verdict::valid) return "";
  const CheckerEntry* checker = registry.checker(checker_family(result.checker));
  return checker != nullptr ? render_result(*checker, result) : result.summary;
}

ClaimView claim_view(const Registry& registry, const std::string& name, const std::string& description, bool claimed,
                     const Json& options, CheckResult result) {
  std::string text = rendered(registry, result);
  return ClaimView{.name = name, .description = description, .checker = result.checker, .claimed = claimed,
                   .verdict = result.verdict, .summary = result.summary, .evidence = result.evidence,
                   .checker_options = options, .witness_text = std::move(text)};
}

// results.json as run_report.h writes it; the checkers' renderings read the evidence, so a
// field of the wrong type (a file edited by hand) is caught in write_run_report.
Result<void> check_results_shape(const Json& results, const std::string& path) {
  if (!results.is_object()) return fail(path + ": not a JSON object");
  if (!results.contains("claims")) return outcome::success();
  if (!results["claims"].is_array()) return fail(path + ": \"claims\" is not an array");
  for (const Json& claim : results["claims"]) {
    if (!claim.is_object()) return fail(path + ": a claim is not a JSON object");
    for (const char* field : {"claim", "description", "checker", "verdict", "summary"})
      if (claim.contains(field) && !claim[field].is_string())
        return fail(path + ": a claim's \"" + std::string(field) + "\" is not a string");
    if (claim.contains("claimed") && !claim["claimed"].is_boolean()) return fail(path + ": a claim's \"claimed\" is not a boolean");
  }
  return outcome::success();
}

void read_results(const Json& results, const Registry& registry, RunReport& report) {
  for (const Json& claim : results.value("claims", Json::array())) {
    CheckResult result{.verdict = verdict_from(claim.value("verdict", std::string())),
                       .checker = claim.value("checker", std::string()),
                       .summary = claim.value("summary", std::string()),
                       .evidence = claim.value("evidence", Json())};
    report.claims.push_back(claim_view(registry, claim.value("claim", std::string()),
                                       claim.value("description", std::string()), claim.value("claimed", true),
                                       claim.value("checker_options", Json()), std::move(result)));
  }
  if (results.contains("invariant_violation") && results["invariant_violation"].is_string())
    report.invariant_violation = results["invariant_violation"].get<std::string>();
  report.aborted = results.value("aborted", Json());
}

// No results.json: the claims of the system the header names, else the chosen checker.
Result<void> judge_now(const Registry& registry, const ReportOptions& options, RunReport& report) {
  if (report.history.header && !options.checker) {
    auto scenario = scenario_from_header(*report.history.header, report.source + ":1");
    auto system = scenario ? registry.make_system(scenario.value()) : Result<std::unique_ptr<System>>(fail("no scenario"));
    if (system) {
      for (const ClaimSpec& claim : system.value()->claims())
        report.claims.push_back(claim_view(registry, claim.name, claim.description, claim.claimed,
                                           claim.checker_options, judge_claim(claim, report.history, registry)));
      return outcome::success();
    }
  }
  const std::string name = options.checker.value_or("linearizable");
  const CheckerEntry* checker = registry.checker(name);
  if (checker == nullptr) return fail("--checker: unknown checker \"" + name + "\"");
  auto locate = [&](size_t position) { return report.source + ": op #" + std::to_string(report.history.ops[position].index); };
  BOOST_OUTCOME_TRY(result, run_checker(*checker, report.history, options.checker_options, locate));
  report.claims.push_back(claim_view(registry, name, checker->description, true, options.checker_options, std::move(result)));
  return outcome::success();
}

std::vector<std::pair<std::string, std::string>> run_commands(const RunReport& report, const std::string& history_path,
                                                              const std::string& program) {
  std::vector<std::pair<std::string, std::string>> commands;
  if (!report.history.header) return commands;
  const std::string dir = fs::path(history_path).parent_path().string();
  commands.push_back({"replay it byte for byte", program + " repro " + history_path});
  commands.push_back({"shrink it", program + " shrink " + history_path + " --out " + (dir.empty() ? "." : dir) + "-shrunk"});
  auto scenario = scenario_from_header(*report.history.header, history_path + ":1");
  if (scenario && !scenario.value().script)
    commands.push_back({"rerun it from its flags", program + " run " + scenario_flags_text(scenario.value()) + " --out " +
                                                       (dir.empty() ? "." : dir) + "-rerun"});
  return commands;
}

// The text shown when the page's script cannot run: each claim's verdict and witness.
std::string fallback_text(const RunReport& report) {
  std::string text;
  for (const ClaimView& claim : report.claims) {
    text += "claim " + claim.name + " (" + claim.checker + "): " + std::string(to_string(claim.verdict)) + "\n";
    if (!claim.witness_text.empty()) text += claim.witness_text + "\n";
  }
  if (report.invariant_violation) text += "invariant broken: " + *report.invariant_violation + "\n";
  return text;
}

Result<void> write_page(const std::string& out_path, const Json& data, const std::string& fallback) {
  return write_file_atomically(out_path, html_page(data, fallback));
}

}  // namespace

Result<void> write_run_report(const std::string& history_path, const std::string& out_path, const Registry& registry,
                              const ReportOptions& options) {
  RunReport report;
  BOOST_OUTCOME_TRY(history, read_history_file(history_path));
  report.history = std::move(history);
  report.source = history_path;
  const fs::path dir = fs::path(history_path).parent_path();
  const std::string results_path = (dir / "results.json").string();
  const bool beside_its_results = fs::path(history_path).filename() == "history.jsonl" && fs::is_regular_file(results_path);
  if (beside_its_results) {
    BOOST_OUTCOME_TRY(results, read_json_file(results_path));
    BOOST_OUTCOME_TRYV(check_results_shape(results, results_path));
    const std::string messages_path = (dir / "messages.jsonl").string();
    if (fs::is_regular_file(messages_path)) {
      BOOST_OUTCOME_TRY(messages, read_messages_file(messages_path));
      report.messages = std::move(messages);
    }
    // Evidence of an unexpected shape throws where a rendering reads it: an error naming the file.
    try {
      read_results(results, registry, report);
      report.commands = run_commands(report, history_path, options.program);
      return write_page(out_path, run_report_data(report), fallback_text(report));
    } catch (const Json::exception& error) {
      return fail(results_path + ": evidence the report cannot read (" + error.what() + ")");
    }
  }
  BOOST_OUTCOME_TRYV(judge_now(registry, options, report));
  report.commands = run_commands(report, history_path, options.program);
  return write_page(out_path, run_report_data(report), fallback_text(report));
}

Result<void> write_campaign_report(const std::string& dir, const std::string& out_path, const std::string& program) {
  BOOST_OUTCOME_TRY(spec, read_campaign_spec(dir));
  BOOST_OUTCOME_TRY(records, read_seed_records(dir));
  std::vector<SeedRecord> list;
  for (auto& [seed, record] : records) list.push_back(std::move(record));
  const CampaignSummary summary = summarize(spec, std::move(list));
  auto exists = [&](const std::string& relative) { return fs::exists(fs::path(dir) / relative); };
  const Json data = campaign_report_data(summary, dir, program, exists);
  std::string fallback;
  for (const Json& seed : data["failing"]) fallback += "seed " + seed["seed"].dump() + ": " + seed["repro"].get<std::string>() + "\n";
  return write_page(out_path, data, fallback.empty() ? "every seed held" : fallback);
}

Result<void> write_message_log(const std::string& messages_path, const RunResult& run,
                               const std::vector<MessageRecord>& log, int node_count) {
  std::optional<WitnessFocus> focus;
  int64_t primary_ns = 0;
  for (const ClaimOutcome& outcome : run.claims) {
    if (outcome.result.verdict == Verdict::valid) continue;
    WitnessFocus found = witness_focus(run.history, outcome.result.checker, outcome.result.evidence);
    if (found.empty()) continue;
    const HistoryIndex index(run.history);
    primary_ns = found.primary ? index.start_ns(*index.position_of(*found.primary)) : found.start_ns;
    focus = std::move(found);
    if (outcome.claim.claimed && outcome.result.verdict == Verdict::invalid) break;  // a violation before an unknown
  }
  const MessageSelection selection = select_messages(log, focus, primary_ns);
  return write_file_atomically(messages_path, messages_jsonl(log, selection, node_count));
}

std::string default_report_path(const std::string& input) {
  const fs::path path(input);
  if (fs::is_directory(path)) return (path / "report.html").string();
  if (path.filename() == "history.jsonl") return (path.parent_path() / "report.html").string();
  fs::path out = path;
  out.replace_extension(".report.html");
  return out.string();
}

}  // namespace faultline::report
