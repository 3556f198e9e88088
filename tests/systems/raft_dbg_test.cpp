#include <cstdlib>
#include "tests/systems/raft_campaign.h"
namespace faultline::raft::testing {
TEST(Dbg, Campaigns) {
  const char* bug = std::getenv("BUG");
  const char* nem = std::getenv("NEM");
  int nodes = std::getenv("NODES") ? std::atoi(std::getenv("NODES")) : 3;
  int max = std::getenv("MAX") ? std::atoi(std::getenv("MAX")) : 50;
  std::vector<std::string> nemesis;
  std::string n = nem ? nem : "partition,kill";
  size_t p = 0;
  while (p <= n.size()) { size_t q = n.find(',', p); if (q == std::string::npos) q = n.size(); nemesis.push_back(n.substr(p, q - p)); p = q + 1; }
  std::optional<std::string> b; if (bug && *bug) b = bug;
  auto env = [](const char* k, double d) { return std::getenv(k) ? std::atof(std::getenv(k)) : d; };
  auto out = campaign([&](uint64_t seed) {
    auto s = raft_scenario(seed, nemesis, b, nodes);
    s.link.latency_ns_jitter = env("JITTER_MS", 1) * 1e6;
    s.nemesis_interval_ns = env("INTERVAL_MS", 1000) * 1e6;
    s.rate_hz = env("RATE", 50);
    s.time_ns = env("TIME_S", 6) * 1e9;
    s.concurrency = env("CONC", 5);
    if (std::getenv("PARAMS")) s.system_params = Json::parse(std::getenv("PARAMS"));
    return s; }, max);
  printf("bug=%s first=%lld seeds=%d wall=%.2fs why=%s\n", bug ? bug : "-", out.first_seed ? (long long)*out.first_seed : -1LL, out.seeds_run, out.wall_s, out.why.substr(0, 600).c_str());
}
}
namespace faultline::raft::testing {
TEST(Dbg, One) {
  auto s = raft_scenario(std::atoi(std::getenv("SEED")), {"partition","kill"}, std::nullopt, 3);
  MemorySink sink;
  auto run = run_scenario(s, cli::builtin_registry(), sink);
  ASSERT_TRUE(run) << run.error().message;
  auto& r = run.value();
  printf("ops=%lld faults=%lld end=%lld events=%llu deliveries=%llu\n", (long long)r.client_op_count, (long long)r.fault_count, (long long)r.end_time_ns, (unsigned long long)r.stats.events, (unsigned long long)r.stats.deliveries);
  for (auto& c : r.claims) printf("claim %s %s %s\n", c.claim.name.c_str(), std::string(to_string(c.result.verdict)).c_str(), c.result.summary.c_str());
  printf("%s\n", sink.text().substr(0, 3000).c_str());
}
}
#include "tests/systems/raft_figure8.h"
namespace faultline::raft::testing {
TEST(Dbg, Fig8) {
  std::optional<std::string> b; if (std::getenv("BUG")) b = std::getenv("BUG");
  for (uint64_t s = 1; s <= 3; ++s) {
    auto o = run_figure8_script(s, b);
    printf("script seed %llu scripted=%d alone=%d violation=%s\n", (unsigned long long)s, o.scripted, o.old_entry_committed_alone, o.violation ? o.violation->c_str() : "-");
  }
  int max = std::getenv("MAX") ? std::atoi(std::getenv("MAX")) : 20;
  Json params = std::getenv("PARAMS") ? Json::parse(std::getenv("PARAMS")) : Json::object();
  auto t0 = std::chrono::steady_clock::now();
  for (int s = 1; s <= max; ++s) {
    auto v = run_figure8_random(s, b, params);
    if (v) { printf("random seed %d: %s\n", s, v->c_str()); break; }
  }
  printf("random wall %.2f\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
}
}
