// run_scenario: the driver that ties the simulator, the workload, the nemesis schedule and
// the recorder together for one run.
#include <algorithm>

#include "base/assert.h"
#include "framework/recorder.h"
#include "framework/run.h"
#include "framework/script_check.h"
#include "framework/swarm.h"

namespace faultline {

bool RunResult::all_claims_held() const {
  if (invariant_violation) return false;
  return std::all_of(claims.begin(), claims.end(), [](const ClaimOutcome& c) {
    return !c.claim.claimed || c.result.verdict == Verdict::valid;
  });
}

bool RunResult::any_claim_violated() const {
  if (invariant_violation) return true;
  return std::any_of(claims.begin(), claims.end(), [](const ClaimOutcome& c) {
    return c.claim.claimed && c.result.verdict == Verdict::invalid;
  });
}

namespace {

// One logical client process slot (Jepsen's process model): one op at a time; a process
// whose op ends as info is retired and the slot continues with a fresh process id.
struct Slot {
  int64_t process = 0;
  EndpointId client = -1;
  bool busy = false;
  uint64_t op_token = 0;  // which op is in flight, so a stale timeout is ignored
  ClientOp op;
};

class Driver {
 public:
  Driver(const Scenario& scenario, World& world, std::vector<NemesisPtr> nemeses,
         GeneratorPtr workload, LineSink& sink)
      : scenario_(scenario),
        world_(world),
        nemeses_(std::move(nemeses)),
        workload_(std::move(workload)),
        recorder_(sink, header(scenario, world)),
        workload_rng_(Rng::stream(scenario.seed, "workload")),
        nemesis_rng_(Rng::stream(scenario.seed, "nemesis")) {}

  Result<RunResult> execute();

 private:
  static Json header(const Scenario& scenario, const World& world) {
    Json header = scenario_to_header(scenario);
    header.update(world.header_extras());
    return header;
  }
  void record(Op op);
  int64_t deadline_ns() const;
  void open_slots();
  EndpointId new_client(size_t slot_index);
  void pump();
  bool offer(size_t slot_index);
  void wake_at(int64_t time_ns);
  void invoke(size_t slot_index, ClientOp op);
  void complete(size_t slot_index, uint64_t token, const Completion& completion);
  bool fixed_schedule() const { return scenario_.nemesis_overlap == 1 && !scenario_.nemesis_heavy_tailed; }
  void nemesis_tick();
  void overlapping_tick();
  std::vector<size_t> startable_packages() const;
  // A fault in progress: started by its package's schedule, or a protocol-aware strike on
  // `node` (a package strikes several nodes at once, one fault per node).
  struct ActiveFault {
    size_t package = 0;
    std::optional<EndpointId> node;
    uint64_t serial = 0;  // which start this is, so a scheduled stop finds its own fault
  };
  void start_fault(size_t package);
  uint64_t begin_fault(size_t package, std::optional<EndpointId> node, const NemesisEvent& event);
  void stop_fault(ActiveFault fault, bool healing = false);  // healing: the end of the main phase
  void stop_later(uint64_t serial, int64_t duration_ns);
  bool idle(size_t package) const;
  bool can_strike(size_t package, EndpointId node) const;
  int strikes_in_progress() const {
    return static_cast<int>(std::count_if(active_faults_.begin(), active_faults_.end(), [](const ActiveFault& f) { return f.node.has_value(); }));
  }
  void moment_reported(EndpointId node, std::string_view moment);
  void strike(size_t package, EndpointId node, const std::string& moment);
  void schedule_faults();
  void replay_fault(const ScriptedFault& fault);
  void heal();
  void record_nemesis(const NemesisEvent& event);
  void close_open_ops();
  int busy_count() const;
  void observe_convergence();
  Json convergence_metric() const;

  const Scenario& scenario_;
  World& world_;
  std::vector<NemesisPtr> nemeses_;
  GeneratorPtr workload_;
  Recorder recorder_;
  Rng workload_rng_;
  Rng nemesis_rng_;
  std::vector<Slot> slots_;
  uint64_t next_token_ = 1;
  std::optional<int64_t> wake_at_ns_;
  size_t next_turn_slot_ = 0;  // with clients bound to nodes: where pump() starts
  bool workload_exhausted_ = false;
  std::vector<ActiveFault> active_faults_;  // in start order
  uint64_t next_fault_serial_ = 1;
  int64_t client_ops_ = 0;
  int64_t faults_ = 0;
  std::optional<std::string> limit_reached_;  // the run stops: the history is full
  // Time to converge: asked of the system after each event from the end of the main phase.
  bool main_phase_over_ = false;
  bool convergence_observable_ = true;
  std::optional<int64_t> converged_at_ns_;
};

// Every history line goes through here, so the history never outgrows its limit.
void Driver::record(Op op) {
  if (limit_reached_) return;
  if (static_cast<int64_t>(recorder_.history().ops.size()) >= scenario_.max_history_ops) {
    limit_reached_ = "the run's history reached its limit of " + std::to_string(scenario_.max_history_ops) +
                     " lines at t=" + std::to_string(world_.now_ns()) + "ns; raise it with --max-ops";
    return;
  }
  recorder_.record(std::move(op));
}

int64_t Driver::deadline_ns() const {
  // The final reads are bounded: each slot issues keys x nodes reads, each at most one
  // op timeout long. The margin covers the last op in flight when the main phase ends.
  int64_t final_reads = scenario_.final_reads ? scenario_.key_count * scenario_.node_count : 0;
  return scenario_.time_ns + scenario_.quiesce_ns +
         scenario_.op_timeout_ns * (final_reads + 2) + 1'000'000'000;
}

EndpointId Driver::new_client(size_t slot_index) {
  return world_.add_client([this, slot_index](const Completion& completion) {
    complete(slot_index, slots_[slot_index].op_token, completion);
  });
}

void Driver::open_slots() {
  slots_.resize(scenario_.concurrency);
  for (size_t i = 0; i < slots_.size(); ++i) {
    slots_[i].process = static_cast<int64_t>(i);
    slots_[i].client = new_client(i);
  }
}

int Driver::busy_count() const {
  return static_cast<int>(std::count_if(slots_.begin(), slots_.end(), [](const Slot& s) { return s.busy; }));
}

void Driver::wake_at(int64_t time_ns) {
  if (wake_at_ns_ && *wake_at_ns_ <= time_ns) return;
  wake_at_ns_ = time_ns;
  world_.schedule(time_ns, [this, time_ns] {
    if (wake_at_ns_ == time_ns) wake_at_ns_.reset();
    pump();
  });
}

// Offers the generator to one free slot; false once the workload is exhausted.
bool Driver::offer(size_t slot_index) {
  GenContext context{world_.now_ns(), static_cast<int>(slot_index),
                     static_cast<int>(slots_.size()), busy_count(), &workload_rng_};
  GenResult result = workload_->next(context);
  if (auto* op = std::get_if<ClientOp>(&result)) {
    invoke(slot_index, std::move(*op));
    return true;
  }
  if (auto* wait = std::get_if<Wait>(&result)) {
    wake_at(wait->until_ns);
    return true;  // another slot may have something to do sooner (scripts are per slot)
  }
  if (std::holds_alternative<Exhausted>(result)) {
    workload_exhausted_ = true;
    return false;
  }
  return true;  // Pending: this slot waits for a completion; others may still get ops
}

void Driver::pump() {
  if (workload_exhausted_) return;
  // Clients bound to nodes take turns (from the slot after the last one served), so each
  // node's clients get their share of the offered load; otherwise the lowest free slot goes
  // first, and a fast slot takes nearly every op.
  const size_t first = scenario_.clients_per_node ? next_turn_slot_ : 0;
  for (size_t k = 0; k < slots_.size(); ++k) {
    const size_t i = (first + k) % slots_.size();
    if (slots_[i].busy) continue;
    if (!offer(i)) return;
  }
}

void Driver::invoke(size_t slot_index, ClientOp op) {
  Slot& slot = slots_[slot_index];
  slot.busy = true;
  slot.op_token = next_token_++;
  next_turn_slot_ = (slot_index + 1) % slots_.size();
  slot.op = op;
  ++client_ops_;
  Op line{.time_ns = world_.now_ns(),
          .process = slot.process,
          .type = OpType::invoke,
          .f = op.f,
          .key = op.key,
          .value = op.value,
          .node = op.node ? std::optional<int64_t>(*op.node) : std::nullopt,
          .final = op.final};
  record(std::move(line));
  uint64_t token = slot.op_token;
  world_.schedule(world_.now_ns() + scenario_.op_timeout_ns, [this, slot_index, token] {
    complete(slot_index, token, Completion{OpType::info, Json(), "timeout", std::nullopt});
  });
  world_.invoke(slot.client, op);
}

void Driver::complete(size_t slot_index, uint64_t token, const Completion& completion) {
  Slot& slot = slots_[slot_index];
  if (!slot.busy || slot.op_token != token) return;  // already completed (e.g. timed out)
  FAULTLINE_ASSERT(completion.type != OpType::invoke, "a completion cannot be an invoke");
  slot.busy = false;
  // A completion repeats what the op asked unless it learned a value (a read's result).
  bool learned = completion.type == OpType::ok && slot.op.f == "read";
  Json value = learned || !completion.value.is_null() ? completion.value : slot.op.value;
  Op line{.time_ns = world_.now_ns(),
          .process = slot.process,
          .type = completion.type,
          .f = slot.op.f,
          .key = slot.op.key,
          .value = value,
          .node = completion.node ? std::optional<int64_t>(*completion.node) : std::nullopt,
          .role = completion.role,
          .error = completion.error,
          .final = slot.op.final};
  record(std::move(line));
  if (completion.type == OpType::info) {
    // The op may still take effect later, so this process may never act again.
    world_.retire_client(slot.client);
    slot.process += static_cast<int64_t>(slots_.size());
    slot.client = new_client(slot_index);
  }
  world_.schedule(world_.now_ns(), [this] { pump(); });
}

void Driver::record_nemesis(const NemesisEvent& event) {
  ++faults_;
  Op line{.time_ns = world_.now_ns(),
          .process = kNemesisProcess,
          .type = OpType::info,
          .f = event.f,
          .value = event.value};
  record(std::move(line));
}

void Driver::start_fault(size_t package) {
  FAULTLINE_ASSERT(package < nemeses_.size(), "a fault from a package the run has");
  begin_fault(package, std::nullopt, nemeses_[package]->start(world_, nemesis_rng_));
}

// A fault the package has just applied is in progress until stop_fault; returns its serial.
uint64_t Driver::begin_fault(size_t package, std::optional<EndpointId> node, const NemesisEvent& event) {
  active_faults_.push_back(ActiveFault{.package = package, .node = node, .serial = next_fault_serial_});
  record_nemesis(event);
  return next_fault_serial_++;
}

// The fault started as `serial` ends after duration_ns, unless something stopped it first
// (the heal).
void Driver::stop_later(uint64_t serial, int64_t duration_ns) {
  world_.schedule(world_.now_ns() + duration_ns, [this, serial] {
    auto active = std::find_if(active_faults_.begin(), active_faults_.end(),
                               [serial](const ActiveFault& fault) { return fault.serial == serial; });
    if (active != active_faults_.end()) stop_fault(*active);
  });
}

// By value: `fault` may be an element of active_faults_, which this erases.
void Driver::stop_fault(ActiveFault fault, bool healing) {
  auto active = std::find_if(active_faults_.begin(), active_faults_.end(),
                             [&](const ActiveFault& a) { return a.serial == fault.serial; });
  FAULTLINE_ASSERT(active != active_faults_.end(), "only a fault in progress stops");
  active_faults_.erase(active);
  Nemesis& package = *nemeses_[fault.package];
  if (fault.node) return record_nemesis(package.stop_strike(world_, nemesis_rng_, *fault.node));
  record_nemesis(healing ? package.heal(world_, nemesis_rng_) : package.stop(world_, nemesis_rng_));
}

// The fixed schedule: faults alternate, start one (from a package drawn at random), then stop
// it, every nemesis interval.
void Driver::nemesis_tick() {
  if (world_.now_ns() >= scenario_.time_ns) return;
  if (active_faults_.empty()) start_fault(nemesis_rng_.below(nemeses_.size()));
  else stop_fault(active_faults_.front());
  world_.schedule(world_.now_ns() + scenario_.nemesis_interval_ns, [this] { nemesis_tick(); });
}

// Packages that may start a fault now: none in progress under the same name, since a
// package's stop undoes all it did (a second partition's stop would heal the first) and the
// shrinker pairs each start with the next stop of the same name.
bool Driver::idle(size_t package) const {
  return std::none_of(active_faults_.begin(), active_faults_.end(), [&](const ActiveFault& active) {
    return nemeses_[active.package]->name() == nemeses_[package]->name();
  });
}

// A protocol-aware package strikes a node at most once at a time, and not while its
// scheduled fault (which may hold any node) is in progress.
bool Driver::can_strike(size_t package, EndpointId node) const {
  return std::none_of(active_faults_.begin(), active_faults_.end(), [&](const ActiveFault& active) {
    return nemeses_[active.package]->name() == nemeses_[package]->name() && (!active.node || *active.node == node);
  });
}

std::vector<size_t> Driver::startable_packages() const {
  std::vector<size_t> startable;
  for (size_t package = 0; package < nemeses_.size(); ++package)
    if (idle(package)) startable.push_back(package);
  return startable;
}

// Protocol-aware faults: a node reported a moment (Raft: it was elected), so an idle
// protocol-aware package may strike that node a little later, a message or two into what
// the moment began (a new leader's first appends). Only scheduled here: the node's handler
// is still running.
void Driver::moment_reported(EndpointId node, std::string_view moment) {
  if (main_phase_over_ || world_.now_ns() >= scenario_.time_ns) return;
  for (size_t package = 0; package < nemeses_.size(); ++package) {
    if (!nemeses_[package]->protocol_aware() || !can_strike(package, node)) continue;
    const auto delay_ns = static_cast<int64_t>(nemesis_rng_.log_uniform(50'000, 50'000'000));
    world_.schedule(world_.now_ns() + delay_ns,
                  [this, package, node, name = std::string(moment)] { strike(package, node, name); });
    return;
  }
}

void Driver::strike(size_t package, EndpointId node, const std::string& moment) {
  FAULTLINE_ASSERT(nemeses_[package]->protocol_aware(), "only a protocol-aware package strikes at moments");
  if (main_phase_over_ || world_.now_ns() >= scenario_.time_ns || !can_strike(package, node)) return;
  if (strikes_in_progress() >= world_.node_count() - 1) return;  // one node stays up
  std::optional<NemesisEvent> event = nemeses_[package]->strike(world_, nemesis_rng_, node, moment);
  if (!event) return;
  const uint64_t serial = begin_fault(package, node, *event);
  stop_later(serial, nemesis_rng_.heavy_tailed_ns(scenario_.nemesis_interval_ns, scenario_.time_ns));
}

// The swarm schedule: at heavy-tailed gaps a fault starts if fewer than nemesis_overlap are
// in progress, and lasts a heavy-tailed time, so faults overlap (a partition while the
// leader is paused and another node restarts) and no fault starts on a fixed tick.
void Driver::overlapping_tick() {
  const int64_t now_ns = world_.now_ns();
  if (now_ns >= scenario_.time_ns) return;
  const int64_t interval_ns = scenario_.nemesis_interval_ns;
  const std::vector<size_t> startable = startable_packages();
  if (static_cast<int>(active_faults_.size()) - strikes_in_progress() < scenario_.nemesis_overlap && !startable.empty()) {
    const size_t package = startable[nemesis_rng_.below(startable.size())];
    start_fault(package);
    stop_later(active_faults_.back().serial, nemesis_rng_.heavy_tailed_ns(interval_ns * scenario_.nemesis_overlap, scenario_.time_ns));
  }
  world_.schedule(now_ns + nemesis_rng_.heavy_tailed_ns(interval_ns, scenario_.time_ns), [this] { overlapping_tick(); });
}

// A scripted fault: the package that recorded it applies it again, with no random draw.
void Driver::replay_fault(const ScriptedFault& fault) {
  NemesisEvent event{fault.f, fault.value};
  for (auto& package : nemeses_) {
    if (package->replay(world_, event)) {
      record_nemesis(event);
      return;
    }
  }
  FAULTLINE_ASSERT(false, "a scripted fault no package knows (run_scenario checks this)");
}

// The end of the main phase: stop the fault in progress, then undo everything any fault
// could have left behind, so the final phase runs on a healthy cluster.
void Driver::heal() {
  main_phase_over_ = true;
  while (!active_faults_.empty()) stop_fault(active_faults_.front(), /*healing=*/true);
  if (nemeses_.empty()) return;
  world_.heal_all_links();
  world_.reset_link_qualities();
  for (EndpointId node = 0; node < world_.node_count(); ++node) {
    world_.resume(node);
    world_.restart(node);
    world_.set_clock(node, 0, 0);
    world_.set_clock_strobe(node, 0, 0);
  }
  record_nemesis(NemesisEvent{"heal", Json()});
}

// A script replays its recorded faults at their times; otherwise the fixed or the swarm
// schedule draws them, and protocol-aware packages listen for the nodes' moments.
void Driver::schedule_faults() {
  if (scenario_.script) {
    for (const ScriptedFault& fault : scenario_.script->faults)
      world_.schedule(fault.at_ns, [this, &fault] { replay_fault(fault); });
    return;
  }
  if (nemeses_.empty()) return;
  if (std::any_of(nemeses_.begin(), nemeses_.end(), [](const NemesisPtr& n) { return n->protocol_aware(); }))
    world_.on_moment([this](EndpointId node, std::string_view moment) { moment_reported(node, moment); });
  if (fixed_schedule()) {
    world_.schedule(scenario_.nemesis_interval_ns, [this] { nemesis_tick(); });
    return;
  }
  world_.schedule(nemesis_rng_.heavy_tailed_ns(scenario_.nemesis_interval_ns, scenario_.time_ns),
                [this] { overlapping_tick(); });
}

// From the end of the main phase (the heal), until the system says its replicas agree.
void Driver::observe_convergence() {
  if (!main_phase_over_ || !convergence_observable_ || converged_at_ns_) return;
  const std::optional<bool> agree = world_.replicas_agree();
  if (!agree) convergence_observable_ = false;
  else if (*agree) converged_at_ns_ = world_.now_ns();
}

Json Driver::convergence_metric() const {
  if (!converged_at_ns_) return Json();
  return static_cast<double>(*converged_at_ns_ - scenario_.time_ns) / 1e6;
}

// Ops still open when the run ends are unknown: they may or may not have happened.
void Driver::close_open_ops() {
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (!slots_[i].busy) continue;
    complete(i, slots_[i].op_token, Completion{OpType::info, Json(), "run ended", std::nullopt});
  }
}

Result<RunResult> Driver::execute() {
  world_.start_nodes();
  open_slots();
  world_.schedule(0, [this] { pump(); });
  schedule_faults();
  world_.schedule(scenario_.time_ns, [this] { heal(); });
  const int64_t deadline = deadline_ns();
  while (!(workload_exhausted_ && busy_count() == 0) && world_.now_ns() <= deadline && !limit_reached_) {
    if (!world_.step()) break;
    observe_convergence();
  }
  // Not a verdict: the run did not finish, so nothing can be judged (the lines written so
  // far stay in the sink).
  if (world_.watchdog_stop()) return fail("the run was stopped: " + *world_.watchdog_stop());
  if (limit_reached_) return fail("the run was stopped: " + *limit_reached_);
  close_open_ops();
  RunResult result;
  result.invariant_violation = world_.invariant_violation();
  result.stats = world_.stats();
  result.end_time_ns = world_.now_ns();
  result.client_op_count = client_ops_;
  result.fault_count = faults_;
  result.history = recorder_.take_history();
  result.metrics = world_.protocol_metrics();
  if (main_phase_over_ && convergence_observable_) result.metrics["converged_ms_after_heal"] = convergence_metric();
  return result;
}

}  // namespace

namespace {

// A script may replay any registered package's events: each is "start-NAME" or "stop-NAME".
Result<std::vector<NemesisPtr>> script_packages(const Script& script, const Registry& registry) {
  for (const ScriptedFault& fault : script.faults) {
    auto dash = fault.f.find('-');
    std::string verb = fault.f.substr(0, dash);
    bool known = dash != std::string::npos && (verb == "start" || verb == "stop") &&
                 registry.nemesis(fault.f.substr(dash + 1)) != nullptr;
    if (!known) return fail("script: unknown fault event \"" + fault.f + "\"");
  }
  std::vector<NemesisPtr> packages;
  for (const auto& [name, entry] : registry.nemeses()) {
    BOOST_OUTCOME_TRY(package, entry.make(""));
    packages.push_back(std::move(package));
  }
  return packages;
}

SimConfig sim_config(const Scenario& s) {
  return SimConfig{.seed = s.seed,
                   .node_count = s.node_count,
                   .default_link = s.link,
                   .codec_roundtrip = s.codec_roundtrip,
                   .torn_writes = s.torn_writes,
                   .check_invariants = s.check_invariants,
                   .max_events = static_cast<uint64_t>(s.max_events)};
}

// The simulator, or the cluster of processes the registry's real runtime starts.
Result<std::unique_ptr<World>> make_world(const Scenario& scenario, const System& system, const Registry& registry,
                                          const std::string& work_dir, std::vector<MessageRecord>* messages) {
  if (scenario.runtime == kRuntimeReal) {
    if (!registry.real_runtime()) return fail("--runtime real: this program does not link the real runtime");
    if (messages != nullptr) return fail("--runtime real: no message log (the report shows the history only)");
    if (work_dir.empty()) return fail("--runtime real: the run needs a directory for its nodes' data (--out)");
    return registry.real_runtime()(scenario, system, work_dir);
  }
  auto simulator = std::make_unique<Simulator>(system, sim_config(scenario));
  simulator->record_messages(messages);
  return std::unique_ptr<World>(std::move(simulator));
}

}  // namespace

Result<RunResult> run_scenario(const Scenario& given, const Registry& registry, LineSink& sink,
                               std::vector<MessageRecord>* messages, const std::string& work_dir) {
  BOOST_OUTCOME_TRY(scenario, resolve_swarm(given, registry));  // the header records what was drawn
  BOOST_OUTCOME_TRYV(validate(scenario));
  BOOST_OUTCOME_TRY(system, registry.make_system(scenario));
  BOOST_OUTCOME_TRY(nemeses, scenario.script ? script_packages(*scenario.script, registry)
                                             : registry.make_nemeses(scenario));
  BOOST_OUTCOME_TRY(workload, registry.make_workload(scenario));
  if (scenario.script) {
    BOOST_OUTCOME_TRYV(check_scripted_ops(*scenario.script, scenario, *registry.workload(scenario.workload)));
    BOOST_OUTCOME_TRYV(check_scripted_faults(*scenario.script, scenario, nemeses));
  }
  BOOST_OUTCOME_TRY(world, make_world(scenario, *system, registry, work_dir, messages));
  auto executed = Driver(scenario, *world, std::move(nemeses), std::move(workload), sink).execute();
  world.reset();  // a real cluster's processes end here, so the checkers have the machine
  BOOST_OUTCOME_TRY(result, std::move(executed));
  result.runtime = scenario.runtime;
  for (const ClaimSpec& claim : system->claims()) {
    // A run stopped by a broken invariant says nothing about recovery afterwards.
    if (result.invariant_violation && registry.checker(claim.checker)->needs_whole_run) {
      result.claims.push_back({claim, CheckResult{.verdict = Verdict::unknown, .checker = claim.checker,
                                                  .summary = "not judged: the run stopped at a broken invariant"}});
      continue;
    }
    CheckResult judged = judge_claim(claim, result.history, registry);
    std::string witness = judged.verdict == Verdict::valid ? "" : render_result(*registry.checker(claim.checker), judged);
    result.claims.push_back({claim, std::move(judged), std::move(witness)});
  }
  return result;
}

}  // namespace faultline
