#pragma once
// One Raft group among several in one cluster (issue 13: the shard controller and each
// replica group are Raft groups side by side). A group's nodes get an Env in which the group
// is the whole cluster, so the Raft node's peers, quorums and broadcasts stay within it; the
// node itself is unchanged. The members are the outer endpoints first..first+size-1, and a
// local id past the group is a client endpoint, as in any cluster.
#include <optional>

#include "framework/env.h"

namespace faultline::raft {

class GroupEnv final : public Env {
 public:
  GroupEnv(Env& outer, EndpointId first, int size);

  EndpointId self() const override { return outer_.self() - first_; }
  int node_count() const override { return size_; }
  void send(EndpointId to, MessagePtr message) override { outer_.send(to_outer(to), std::move(message)); }
  TimerId set_timer(int64_t delay_ns, uint64_t tag) override { return outer_.set_timer(delay_ns, tag); }
  void cancel_timer(TimerId id) override { outer_.cancel_timer(id); }
  int64_t now_ns() const override { return outer_.now_ns(); }
  int64_t monotonic_ns() const override { return outer_.monotonic_ns(); }
  Disk& disk() override { return outer_.disk(); }
  Rng& rng() override { return outer_.rng(); }
  void report_moment(std::string_view moment) override { outer_.report_moment(moment); }

  // The outer endpoint of a local id (a member or a client).
  EndpointId to_outer(EndpointId local) const;
  // The local id of an outer endpoint; nullopt for another group's node and the operator.
  std::optional<EndpointId> to_local(EndpointId outer) const;

 private:
  Env& outer_;
  const EndpointId first_;
  const int size_;
};

}  // namespace faultline::raft
