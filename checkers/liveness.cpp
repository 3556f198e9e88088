#include "checkers/liveness.h"

#include <map>

namespace faultline {

namespace {

int64_t healed_at_ns(const History& history) {
  int64_t healed_ns = 0;
  for (const Op& op : history.ops)
    if (op.is_nemesis() && op.f == "heal") healed_ns = op.time_ns;
  return healed_ns;
}

// The loss probability every link keeps after the heal, as the run's header states it (a
// history without a header states none).
double permanent_loss(const History& history) {
  if (!history.header) return 0;
  const Json* value = &*history.header;
  for (const char* key : {"params", "link", "loss_probability"}) {
    if (!value->is_object() || !value->contains(key)) return 0;
    value = &value->at(key);
  }
  return value->is_number() ? value->get<double>() : 0;
}

bool unanswered(const Op& completion) {
  return completion.type == OpType::info ||
         (completion.type == OpType::fail && completion.error == std::optional<std::string>("timeout"));
}

}  // namespace

CheckResult check_liveness(const History& history, const LivenessOptions& options) {
  // The claim assumes the final heal leaves a loss-free network; over links that keep losing
  // messages an op may time out in a correct system, so the claim cannot be judged.
  if (double loss = permanent_loss(history); loss > 0) {
    return CheckResult{
        .verdict = Verdict::unknown,
        .checker = "liveness",
        .summary = "not judged: every link loses messages for the whole run (link loss probability " +
                   Json(loss).dump() + "), and liveness is claimed for the loss-free network the heal restores",
        .evidence = Json{{"not_judged", "permanent message loss"}, {"loss_probability", loss}},
    };
  }
  const int64_t from_ns = healed_at_ns(history) + options.grace_ns;
  std::map<int64_t, const Op*> open;  // process -> its checked invocation
  Json stuck = Json::array();
  int64_t checked = 0;
  for (const Op& op : history.ops) {
    if (op.is_nemesis()) continue;
    if (op.type == OpType::invoke) {
      if (op.time_ns >= from_ns) {
        open[op.process] = &op;
        ++checked;
      }
      continue;
    }
    auto it = open.find(op.process);
    if (it == open.end()) continue;
    if (unanswered(op)) stuck.push_back({{"invoke", it->second->index}, {"completion", op.index}});
    open.erase(it);
  }
  for (const auto& [process, invoke] : open) stuck.push_back({{"invoke", invoke->index}, {"completion", nullptr}});
  CheckResult result{Verdict::valid, "liveness", "", Json{{"from_ns", from_ns}, {"checked_ops", checked}}};
  if (stuck.empty()) {
    result.summary = std::to_string(checked) + " ops invoked from " + std::to_string(from_ns) +
                     " ns (healed + grace) all got an answer";
    return result;
  }
  result.verdict = Verdict::invalid;
  result.evidence["unanswered"] = stuck;
  result.summary = std::to_string(stuck.size()) + " of " + std::to_string(checked) + " ops invoked from " +
                   std::to_string(from_ns) + " ns (healed + grace) got no answer; first: op #" +
                   stuck[0]["invoke"].dump();
  return result;
}

CheckerSpec liveness_checker() {
  return CheckerSpec{
      .name = "liveness",
      .description = "after the final heal and a grace period, every op invoked gets an answer (ok or fail); not "
                     "judged when the run's links lose messages permanently (--loss)",
      .options = {{.name = "grace_ns", .type = OptionType::integer, .default_value = LivenessOptions{}.grace_ns,
                   .description = "time the system may take to recover after healing", .min = 0}},
      .check = [](const History& history, const Json& options, const OpLocator&) -> Result<CheckResult> {
        return check_liveness(history, LivenessOptions{.grace_ns = options.at("grace_ns").get<int64_t>()});
      },
      .render = {},
      .needs_whole_run = true,
  };
}

}  // namespace faultline
