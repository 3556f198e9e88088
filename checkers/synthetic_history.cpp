#include "checkers/synthetic_history.h"

#include <vector>

namespace faultline {
namespace {

// SplitMix64: our own generator, so a seed gives the same history with every standard library.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t below(uint64_t n) { return next() % n; }
  bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }

 private:
  uint64_t state_;
};

struct Client {
  int64_t process = 0;
  bool busy = false;
  bool applied = false;  // the op took effect already
  bool succeeded = true; // a cas whose expected value matched
  Op invoke;
  Json result;
};

class Generator {
 public:
  explicit Generator(const SyntheticKvOptions& options)
      : options_(options), rng_(options.seed), registers_(options.keys, Json(nullptr)) {
    for (int i = 0; i < options.clients; ++i) {
      Client client;
      client.process = i;
      clients_.push_back(client);
    }
    next_process_ = options.clients;
  }

  History run() {
    while (completed_ < options_.op_count || busy_ > 0) step();
    return std::move(history_);
  }

 private:
  Json random_value() {
    if (options_.values_per_key > 0) return static_cast<int64_t>(rng_.below(options_.values_per_key));
    return static_cast<int64_t>(++fresh_value_);
  }

  void emit(Op op) {
    op.index = static_cast<int64_t>(history_.ops.size());
    op.time_ns = op.index * 1000;
    history_.ops.push_back(std::move(op));
  }

  void invoke(Client& client) {
    Op op;
    op.process = client.process;
    op.type = OpType::invoke;
    op.key = "k" + std::to_string(rng_.below(options_.keys));
    uint64_t kind = rng_.below(10);
    if (kind < 5) {
      op.f = "read";
    } else if (kind < 8) {
      op.f = "write";
      op.value = random_value();
    } else {
      op.f = "cas";
      op.value = Json::array({rng_.chance(0.5) ? current(op) : random_value(), random_value()});
    }
    client.busy = true;
    client.applied = false;
    client.invoke = op;
    ++busy_;
    ++invoked_;
    emit(std::move(op));
  }

  Json& current(const Op& op) { return registers_[std::stoi(op.key->substr(1))]; }

  void apply(Client& client) {
    Json& value = current(client.invoke);
    const Op& op = client.invoke;
    client.applied = true;
    if (op.f == "read") {
      client.result = value;
    } else if (op.f == "write") {
      value = op.value;
    } else {
      client.succeeded = value == op.value[0];
      if (client.succeeded) value = op.value[1];
    }
  }

  void complete(Client& client) {
    Op op = client.invoke;
    if (op.f == "read") op.value = client.result;
    op.type = op.f == "cas" && !client.succeeded ? OpType::fail : OpType::ok;
    client.busy = false;
    --busy_;
    ++completed_;
    emit(std::move(op));
  }

  // The op's outcome is lost: half the time it took effect already, else it never will.
  void complete_as_info(Client& client) {
    if (!client.applied && rng_.chance(0.5)) apply(client);
    Op op = client.invoke;
    op.type = OpType::info;
    client.busy = false;
    client.process = next_process_++;  // Jepsen retires a process after info
    --busy_;
    ++completed_;
    emit(std::move(op));
  }

  void step() {
    Client& client = clients_[rng_.below(clients_.size())];
    if (!client.busy) {
      if (invoked_ < options_.op_count) invoke(client);
      return;
    }
    if (!client.applied && rng_.chance(0.5)) {
      apply(client);
      return;
    }
    if (rng_.chance(options_.info_fraction)) {
      complete_as_info(client);
    } else if (client.applied) {
      complete(client);
    }
  }

  const SyntheticKvOptions& options_;
  SplitMix64 rng_;
  std::vector<Json> registers_;
  std::vector<Client> clients_;
  History history_;
  int64_t next_process_ = 0;
  int64_t fresh_value_ = 0;
  size_t invoked_ = 0;
  size_t completed_ = 0;
  size_t busy_ = 0;
};

}  // namespace

History generate_linearizable_kv_history(const SyntheticKvOptions& options) {
  return Generator(options).run();
}

}  // namespace faultline
