#include "framework/campaign_record.h"

#include <algorithm>
#include <cmath>
#include <csignal>

#include "base/json_fields.h"
#include "framework/campaign_guide.h"

namespace faultline {

bool SeedRecord::failed() const {
  if (crash || invariant_violation) return true;
  return std::any_of(claims.begin(), claims.end(),
                     [](const ClaimVerdict& c) { return c.claimed && c.verdict == Verdict::invalid; });
}

bool SeedRecord::all_held() const {
  if (crash || invariant_violation) return false;
  return std::all_of(claims.begin(), claims.end(),
                     [](const ClaimVerdict& c) { return !c.claimed || c.verdict == Verdict::valid; });
}

std::vector<std::string> SeedRecord::failure_reasons() const {
  std::vector<std::string> reasons;
  for (const auto& claim : claims)
    if (claim.claimed && claim.verdict == Verdict::invalid) reasons.push_back(claim.claim);
  if (invariant_violation) reasons.push_back("invariants");
  if (crash)
    reasons.push_back(crash->signal ? "aborted (" + signal_name(crash->signal) + ")"
                                    : "exited " + std::to_string(crash->exit_code));
  return reasons;
}

std::string signal_name(int signal) {
  switch (signal) {
    case SIGABRT: return "SIGABRT";
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGKILL: return "SIGKILL";
    default: return "signal " + std::to_string(signal);
  }
}

namespace {

template <class T>
Json optional_json(const std::optional<T>& value) {
  return value ? Json(*value) : Json();
}

Result<Verdict> verdict_from_text(const std::string& text, const std::string& where) {
  for (Verdict v : {Verdict::valid, Verdict::invalid, Verdict::unknown})
    if (text == to_string(v)) return v;
  return fail(where + ": unknown verdict \"" + text + "\"");
}

Json crash_json(const SeedCrash& crash) {
  return {{"signal", crash.signal ? Json(crash.signal) : Json()},
          {"signal_name", crash.signal ? Json(signal_name(crash.signal)) : Json()},
          {"exit_code", crash.signal ? Json() : Json(crash.exit_code)},
          {"stderr_tail", crash.stderr_tail}};
}

SeedCrash crash_from_json(const Json& json) {
  SeedCrash crash;
  if (!json.at("signal").is_null()) crash.signal = integer_at<int>(json, "signal");
  if (!json.at("exit_code").is_null()) crash.exit_code = integer_at<int>(json, "exit_code");
  crash.stderr_tail = json.at("stderr_tail").get<std::string>();
  return crash;
}

std::string outcome_word(const SeedRecord& record) {
  if (record.failed()) return "failed";
  return record.all_held() ? "held" : "unknown";
}

}  // namespace

Json seed_record_json(const SeedRecord& r) {
  Json claims = Json::array();
  for (const auto& c : r.claims)
    claims.push_back({{"claim", c.claim}, {"checker", c.checker}, {"verdict", std::string(to_string(c.verdict))},
                      {"summary", c.summary}, {"claimed", c.claimed}});
  // Rounded to microseconds: finer digits are noise and make the files harder to read.
  double wall_time_ms = std::round(r.wall_time_ms * 1000) / 1000;
  Json json = {{"seed", r.seed},
          {"outcome", outcome_word(r)},
          {"claims", claims},
          {"invariant_violation", optional_json(r.invariant_violation)},
          {"crash", r.crash ? crash_json(*r.crash) : Json()},
          {"client_ops", optional_json(r.client_op_count)},
          {"faults", optional_json(r.fault_count)},
          {"wall_time_ms", wall_time_ms},
          {"history_sha256", r.history_sha256},
          {"counts", r.counts}};
  if (r.swarm_seed) json["swarm_seed"] = *r.swarm_seed;  // only a guided child has one
  return json;
}

Result<SeedRecord> seed_record_from_json(const Json& json, const std::string& where) {
  try {
    SeedRecord r;
    r.seed = integer_at<uint64_t>(json, "seed");
    if (json.contains("swarm_seed")) r.swarm_seed = integer_at<uint64_t>(json, "swarm_seed");
    for (const auto& c : json.at("claims")) {
      BOOST_OUTCOME_TRY(verdict, verdict_from_text(c.at("verdict").get<std::string>(), where));
      r.claims.push_back({c.at("claim").get<std::string>(), c.at("checker").get<std::string>(), verdict,
                          c.at("summary").get<std::string>(), c.value("claimed", true)});
    }
    if (!json.at("invariant_violation").is_null())
      r.invariant_violation = json.at("invariant_violation").get<std::string>();
    if (!json.at("crash").is_null()) r.crash = crash_from_json(json.at("crash"));
    if (!json.at("client_ops").is_null()) r.client_op_count = integer_at<int64_t>(json, "client_ops");
    if (!json.at("faults").is_null()) r.fault_count = integer_at<int64_t>(json, "faults");
    r.wall_time_ms = json.at("wall_time_ms").get<double>();
    r.history_sha256 = json.at("history_sha256").get<std::string>();
    if (json.contains("counts"))  // absent in records of older campaigns
      for (const auto& [name, value] : json.at("counts").items()) r.counts[name] = integer_value<int64_t>(value, name);
    return r;
  } catch (const std::exception& error) {  // Json::exception or integer_at's invalid_argument
    return fail(where + ": not a seed record: " + error.what());
  }
}

Json campaign_spec_json(const CampaignSpec& spec) {
  Json json = {{"faultline_campaign", 1},
               {"scenario", spec.scenario},
               {"seeds", {{"first", spec.seeds.first}, {"last", spec.seeds.last}}},
               {"shard", {{"index", spec.shard.index}, {"count", spec.shard.count}}}};
  if (spec.guided) json["guided"] = true;  // absent in unguided campaigns, as before --guided
  return json;
}

Result<CampaignSpec> campaign_spec_from_json(const Json& json, const std::string& where) {
  try {
    CampaignSpec spec;
    spec.scenario = json.at("scenario");
    const Json& seeds = json.at("seeds");
    spec.seeds = {integer_at<uint64_t>(seeds, "first"), integer_at<uint64_t>(seeds, "last")};
    const Json& shard = json.at("shard");
    spec.shard = {integer_at<int>(shard, "index"), integer_at<int>(shard, "count")};
    spec.guided = json.value("guided", false);
    // The bounds `campaign` puts on --seeds and --shard.
    BOOST_OUTCOME_TRYV(check_seed_range(spec.seeds, where + ": seeds"));
    BOOST_OUTCOME_TRYV(check_shard(spec.shard, where + ": shard"));
    return spec;
  } catch (const std::exception& error) {  // Json::exception or integer_at's invalid_argument
    return fail(where + ": not a campaign description: " + error.what());
  }
}

namespace {

ClaimTally& tally_for(std::vector<ClaimTally>& tallies, const std::string& claim) {
  for (auto& tally : tallies)
    if (tally.claim == claim) return tally;
  ClaimTally tally;
  tally.claim = claim;
  tallies.push_back(std::move(tally));
  return tallies.back();
}

void count(ClaimTally& tally, Verdict verdict, uint64_t seed) {
  if (verdict == Verdict::valid) ++tally.held;
  if (verdict == Verdict::unknown) ++tally.unknown;
  if (verdict == Verdict::invalid) {
    ++tally.violated;
    tally.failing_seeds.push_back(seed);
  }
}

std::vector<CoverageTally> coverage_of(const std::vector<SeedRecord>& records) {
  std::map<std::string, CoverageTally> by_name;
  for (const auto& record : records) {
    for (const auto& [name, value] : record.counts) {
      CoverageTally& tally = by_name[name];
      tally.count = name;
      ++tally.seeds_counted;
      tally.seeds_reached += value > 0;
    }
  }
  std::vector<CoverageTally> coverage;
  for (auto& [name, tally] : by_name) coverage.push_back(std::move(tally));
  return coverage;
}

}  // namespace

CampaignSummary summarize(const CampaignSpec& spec, std::vector<SeedRecord> records) {
  std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) { return a.seed < b.seed; });
  CampaignSummary summary;
  summary.spec = spec;
  summary.records = std::move(records);
  summary.seeds_planned = static_cast<int64_t>(seeds_of_shard(spec.seeds, spec.shard).size());
  std::vector<ClaimTally> tallies;
  ClaimTally invariants;
  invariants.claim = "invariants";
  for (const auto& record : summary.records) {
    for (const auto& claim : record.claims) {
      ClaimTally& tally = tally_for(tallies, claim.claim);
      tally.claimed = claim.claimed;
      count(tally, claim.verdict, record.seed);
    }
    count(invariants, record.crash || record.invariant_violation ? Verdict::invalid : Verdict::valid, record.seed);
    if (record.failed()) ++summary.seeds_failed;
    else if (!record.all_held()) ++summary.seeds_unknown;
  }
  tallies.push_back(invariants);
  summary.tallies = std::move(tallies);
  summary.coverage = coverage_of(summary.records);
  CoverageGrowth growth = coverage_growth(summary.records);
  summary.coverage_features = growth.features;
  summary.coverage_last_new_at = growth.last_new_at;
  summary.coverage_steps = std::move(growth.steps);
  return summary;
}

Json summary_json(const CampaignSummary& summary) {
  int64_t client_ops = 0, faults = 0;
  double wall_time_ms = 0;
  Json per_seed = Json::array(), failures = Json::array();
  for (const auto& record : summary.records) {
    client_ops += record.client_op_count.value_or(0);
    faults += record.fault_count.value_or(0);
    wall_time_ms += record.wall_time_ms;
    per_seed.push_back(seed_record_json(record));
    if (record.failed())
      failures.push_back({{"seed", record.seed}, {"reasons", record.failure_reasons()},
                          {"history", failure_history_path(record.seed)}});
  }
  Json claims = Json::array();
  for (const auto& t : summary.tallies)
    claims.push_back({{"claim", t.claim}, {"claimed", t.claimed}, {"held", t.held}, {"violated", t.violated},
                      {"unknown", t.unknown}, {"failing_seeds", t.failing_seeds}});
  const auto seeds_run = static_cast<int64_t>(summary.records.size());
  Json json = campaign_spec_json(summary.spec);
  json["totals"] = {{"seeds_planned", summary.seeds_planned},
                    {"seeds_run", seeds_run},
                    {"seeds_held", seeds_run - summary.seeds_failed - summary.seeds_unknown},
                    {"seeds_failed", summary.seeds_failed},
                    {"seeds_unknown", summary.seeds_unknown},
                    {"complete", summary.complete()},
                    {"client_ops", client_ops},
                    {"faults", faults},
                    {"wall_time_ms", std::round(wall_time_ms * 1000) / 1000}};
  json["claims"] = claims;
  Json coverage = Json::array();
  for (const auto& c : summary.coverage)
    coverage.push_back({{"count", c.count}, {"seeds_reached", c.seeds_reached}, {"seeds_counted", c.seeds_counted}});
  json["coverage"] = coverage;
  json["coverage_growth"] = {{"features", summary.coverage_features},
                             {"last_new_at_seed_position", summary.coverage_last_new_at},
                             {"steps", summary.coverage_steps}};
  json["failures"] = failures;
  json["per_seed"] = per_seed;
  return json;
}

std::string failure_history_path(uint64_t seed) {
  return "failures/seed-" + std::to_string(seed) + "/history.jsonl";
}

std::string kept_history_path(uint64_t seed) {
  return "histories/seed-" + std::to_string(seed) + "/history.jsonl";
}

}  // namespace faultline
