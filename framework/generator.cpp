#include "framework/generator.h"

#include <algorithm>

#include "base/assert.h"

namespace faultline {

std::string key_name(int key) { return "k" + std::to_string(key); }

namespace {

class Mix final : public Generator {
 public:
  explicit Mix(std::vector<WeightedGenerator> choices) : choices_(std::move(choices)) {
    for (const auto& choice : choices_) total_weight_ += choice.weight;
    FAULTLINE_ASSERT(total_weight_ > 0, "mix() needs a positive total weight");
  }
  GenResult next(const GenContext& context) override {
    uint64_t draw = context.rng->below(total_weight_);
    for (auto& choice : choices_) {
      if (draw < choice.weight) return choice.generator->next(context);
      draw -= choice.weight;
    }
    FAULTLINE_ASSERT(false, "mix() draw out of range");
    return Exhausted{};
  }

 private:
  std::vector<WeightedGenerator> choices_;
  uint64_t total_weight_ = 0;
};

class RateLimit final : public Generator {
 public:
  RateLimit(double ops_per_s, GeneratorPtr inner) : inner_(std::move(inner)) {
    FAULTLINE_ASSERT(ops_per_s > 0, "rate_limit() needs a positive rate");
    interval_ns_ = static_cast<int64_t>(1e9 / ops_per_s);
  }
  GenResult next(const GenContext& context) override {
    if (context.now_ns < next_ns_) return Wait{next_ns_};
    GenResult result = inner_->next(context);
    if (std::holds_alternative<ClientOp>(result)) {
      int64_t jitter = context.rng->between(-interval_ns_ / 2, interval_ns_ / 2);
      next_ns_ = std::max(next_ns_, context.now_ns) + interval_ns_ + jitter;
    }
    return result;
  }

 private:
  GeneratorPtr inner_;
  int64_t interval_ns_ = 0;
  int64_t next_ns_ = 0;
};

class TimeLimit final : public Generator {
 public:
  TimeLimit(int64_t duration_ns, GeneratorPtr inner)
      : duration_ns_(duration_ns), inner_(std::move(inner)) {}
  GenResult next(const GenContext& context) override {
    if (!deadline_ns_) deadline_ns_ = context.now_ns + duration_ns_;
    if (context.now_ns >= *deadline_ns_) return Exhausted{};
    GenResult result = inner_->next(context);
    if (auto* wait = std::get_if<Wait>(&result)) {
      if (wait->until_ns >= *deadline_ns_) return Wait{*deadline_ns_};
    }
    return result;
  }

 private:
  int64_t duration_ns_;
  GeneratorPtr inner_;
  std::optional<int64_t> deadline_ns_;
};

class Sleep final : public Generator {
 public:
  explicit Sleep(int64_t duration_ns) : duration_ns_(duration_ns) {}
  GenResult next(const GenContext& context) override {
    if (!until_ns_) until_ns_ = context.now_ns + duration_ns_;
    if (context.now_ns >= *until_ns_) return Exhausted{};
    return Wait{*until_ns_};
  }

 private:
  int64_t duration_ns_;
  std::optional<int64_t> until_ns_;
};

class Phases final : public Generator {
 public:
  explicit Phases(std::vector<GeneratorPtr> steps) : steps_(std::move(steps)) {}
  GenResult next(const GenContext& context) override {
    while (current_ < steps_.size()) {
      if (!started_) {
        // A phase begins only once everything before it has completed.
        if (context.busy_slots > 0) return Pending{};
        started_ = true;
      }
      GenResult result = steps_[current_]->next(context);
      if (!std::holds_alternative<Exhausted>(result)) return result;
      ++current_;
      started_ = false;
    }
    return Exhausted{};
  }

 private:
  std::vector<GeneratorPtr> steps_;
  size_t current_ = 0;
  bool started_ = false;
};

class BoundToNodes final : public Generator {
 public:
  BoundToNodes(int node_count, GeneratorPtr inner) : node_count_(node_count), inner_(std::move(inner)) {
    FAULTLINE_ASSERT(node_count_ > 0, "clients bound to nodes need a node");
  }
  GenResult next(const GenContext& context) override {
    GenResult result = inner_->next(context);
    if (auto* op = std::get_if<ClientOp>(&result); op != nullptr && !op->node)
      op->node = static_cast<EndpointId>(context.slot % node_count_);
    return result;
  }

 private:
  int node_count_;
  GeneratorPtr inner_;
};

class FinalReads final : public Generator {
 public:
  FinalReads(std::string f, int key_count, int node_count)
      : f_(std::move(f)), key_count_(key_count), node_count_(node_count) {}
  GenResult next(const GenContext& context) override {
    if (progress_.empty()) progress_.assign(context.slot_count, 0);
    int& done = progress_[context.slot];
    if (done >= key_count_ * node_count_) {
      bool all_done = std::all_of(progress_.begin(), progress_.end(),
                                  [&](int count) { return count >= key_count_ * node_count_; });
      return all_done ? GenResult{Exhausted{}} : GenResult{Pending{}};
    }
    ClientOp op{.f = f_, .key = key_name(done % key_count_), .node = done / key_count_, .final = true};
    ++done;
    return op;
  }

 private:
  std::string f_;
  int key_count_;
  int node_count_;
  std::vector<int> progress_;  // per slot: how many (node, key) reads it has issued
};

}  // namespace

GeneratorPtr mix(std::vector<WeightedGenerator> choices) {
  return std::make_unique<Mix>(std::move(choices));
}
GeneratorPtr rate_limit(double ops_per_s, GeneratorPtr inner) {
  return std::make_unique<RateLimit>(ops_per_s, std::move(inner));
}
GeneratorPtr time_limit(int64_t duration_ns, GeneratorPtr inner) {
  return std::make_unique<TimeLimit>(duration_ns, std::move(inner));
}
GeneratorPtr sleep_for(int64_t duration_ns) { return std::make_unique<Sleep>(duration_ns); }
GeneratorPtr phases(std::vector<GeneratorPtr> steps) {
  return std::make_unique<Phases>(std::move(steps));
}
GeneratorPtr bound_to_nodes(int node_count, GeneratorPtr inner) {
  return std::make_unique<BoundToNodes>(node_count, std::move(inner));
}
GeneratorPtr final_reads(std::string f, int key_count, int node_count) {
  return std::make_unique<FinalReads>(std::move(f), key_count, node_count);
}

}  // namespace faultline
