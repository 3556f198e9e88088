#include "systems/dynamo/ring.h"

#include <algorithm>

#include "base/assert.h"
#include "framework/random.h"

namespace faultline::dynamo {

bool contains(const std::vector<int>& nodes, int node) {
  return std::find(nodes.begin(), nodes.end(), node) != nodes.end();
}

namespace {

std::vector<int> minus(const std::vector<int>& a, const std::vector<int>& b) {
  std::vector<int> out;
  for (int node : a)
    if (!contains(b, node)) out.push_back(node);
  return out;
}

// FNV-1a spreads short, similar names poorly; SplitMix64's finalizer evens them out.
uint64_t spread(uint64_t hash) { return splitmix64(hash); }

}  // namespace

std::string to_string(MemberStatus status) {
  switch (status) {
    case MemberStatus::member: return "member";
    case MemberStatus::joining: return "joining";
    case MemberStatus::leaving: return "leaving";
    case MemberStatus::out: return "out";
  }
  return "?";
}

Ring::Ring(int node_count, int vnodes, int replicas) : members_(node_count), replicas_(replicas) {
  FAULTLINE_ASSERT(node_count > 0 && vnodes > 0 && replicas > 0, "a ring needs nodes, tokens and replicas");
  for (int node = 0; node < node_count; ++node)
    for (int v = 0; v < vnodes; ++v)
      tokens_.push_back(Token{spread(stable_hash("token/" + std::to_string(node) + "/" + std::to_string(v))), node});
  std::sort(tokens_.begin(), tokens_.end(), [](const Token& a, const Token& b) {
    return a.position != b.position ? a.position < b.position : a.node < b.node;
  });
}

uint64_t Ring::key_hash(const std::string& key) { return spread(stable_hash(key)); }

bool Ring::merge(const Ring& other) {
  FAULTLINE_ASSERT(other.members_.size() == members_.size(), "rings of one cluster have one size");
  bool changed = false;
  for (size_t node = 0; node < members_.size(); ++node) {
    Membership& mine = members_[node];
    const Membership& theirs = other.members_[node];
    if (theirs.generation > mine.generation) {
      mine = theirs;
      changed = true;
    } else if (theirs.generation == mine.generation) {
      FAULTLINE_ASSERT(theirs.status == mine.status, "only a node sets its own status, once per generation");
      for (int source : theirs.handed_off) changed |= mine.handed_off.insert(source).second;
    }
  }
  return changed;
}

void Ring::set_status(int node, MemberStatus status) {
  Membership& membership = members_.at(node);
  membership.generation += 1;
  membership.status = status;
  membership.handed_off.clear();
}

void Ring::mark_handed_off(int joiner, int source) {
  FAULTLINE_ASSERT(members_.at(joiner).status == MemberStatus::joining, "only a joining node is handed data");
  members_.at(joiner).handed_off.insert(source);
}

bool Ring::in_transition() const {
  return std::any_of(members_.begin(), members_.end(), [](const Membership& m) {
    return m.status == MemberStatus::joining || m.status == MemberStatus::leaving;
  });
}

Json Ring::to_json() const {
  Json out = Json::array();
  for (const Membership& m : members_)
    out.push_back({m.generation, to_string(m.status), std::vector<int>(m.handed_off.begin(), m.handed_off.end())});
  return out;
}

Result<void> Ring::load_membership(const Json& json) {
  if (!json.is_array() || json.size() != members_.size()) return fail("ring: expected one entry per node");
  try {
    for (size_t node = 0; node < members_.size(); ++node) {
      const Json& entry = json[node];
      Membership m{.generation = entry.at(0).get<uint64_t>()};
      const std::string status = entry.at(1).get<std::string>();
      if (status == "member") m.status = MemberStatus::member;
      else if (status == "joining") m.status = MemberStatus::joining;
      else if (status == "leaving") m.status = MemberStatus::leaving;
      else if (status == "out") m.status = MemberStatus::out;
      else return fail("ring: unknown status " + status);
      for (const Json& source : entry.at(2)) m.handed_off.insert(source.get<int>());
      members_[node] = m;
    }
  } catch (const nlohmann::json::exception& error) {
    return fail(std::string("ring: ") + error.what());
  }
  return outcome::success();
}

// The first `count` distinct included nodes clockwise from hash (Dynamo 4.3).
std::vector<int> Ring::walk(uint64_t hash, const std::vector<bool>& included, size_t count) const {
  std::vector<int> out;
  auto start = std::lower_bound(tokens_.begin(), tokens_.end(), hash,
                                [](const Token& token, uint64_t h) { return token.position < h; });
  const size_t first = static_cast<size_t>(start - tokens_.begin());
  for (size_t step = 0; step < tokens_.size() && out.size() < count; ++step) {
    const int node = tokens_[(first + step) % tokens_.size()].node;
    if (included[node] && !contains(out, node)) out.push_back(node);
  }
  return out;
}

std::vector<bool> Ring::with_status(std::initializer_list<MemberStatus> statuses) const {
  std::vector<bool> out(members_.size());
  for (size_t node = 0; node < members_.size(); ++node)
    out[node] = std::find(statuses.begin(), statuses.end(), members_[node].status) != statuses.end();
  return out;
}

// Where the joiner would enter the key's preference list over `owning`, the node(s) it
// takes the key from: the one it pushes out, or, when the list was short of N, every owner.
Ring::JoinStep Ring::join_step(int joiner, uint64_t hash, const std::vector<bool>& owning) const {
  const std::vector<int> before = walk(hash, owning, replicas_);
  std::vector<bool> with_joiner = owning;
  with_joiner[joiner] = true;
  const std::vector<int> after = walk(hash, with_joiner, replicas_);
  JoinStep step{.relevant = contains(after, joiner)};
  if (!step.relevant) return step;
  step.sources = minus(before, after);
  if (step.sources.empty()) step.sources = before;
  return step;
}

std::vector<bool> Ring::owning_now(uint64_t hash) const {
  const std::vector<bool> base = with_status({MemberStatus::member, MemberStatus::leaving});
  std::vector<bool> owning = base;
  for (size_t joiner = 0; joiner < members_.size(); ++joiner) {
    if (members_[joiner].status != MemberStatus::joining) continue;
    const JoinStep step = join_step(static_cast<int>(joiner), hash, base);
    const auto& done = members_[joiner].handed_off;
    const bool handed = std::all_of(step.sources.begin(), step.sources.end(), [&](int s) { return done.count(s); });
    if (step.relevant && handed) owning[joiner] = true;
  }
  return owning;
}

std::vector<int> Ring::preference_list(uint64_t hash) const { return walk(hash, owning_now(hash), replicas_); }

std::vector<int> Ring::fallbacks(uint64_t hash) const {
  const std::vector<int> all = walk(hash, with_status({MemberStatus::member}), members_.size());
  return minus(all, preference_list(hash));
}

bool Ring::may_own(int node, uint64_t hash) const {
  if (contains(preference_list(hash), node)) return true;
  return contains(walk(hash, with_status({MemberStatus::member, MemberStatus::joining}), replicas_), node);
}

std::vector<int> Ring::leave_targets(int leaver, uint64_t hash) const {
  std::vector<bool> owning = with_status({MemberStatus::member, MemberStatus::leaving});
  const std::vector<int> now = walk(hash, owning, replicas_);
  if (!contains(now, leaver)) return {};
  owning[leaver] = false;
  return minus(walk(hash, owning, replicas_), now);
}

bool Ring::is_join_source(int source, int joiner, uint64_t hash) const {
  if (members_.at(joiner).status != MemberStatus::joining) return false;
  const JoinStep step = join_step(joiner, hash, with_status({MemberStatus::member, MemberStatus::leaving}));
  return step.relevant && contains(step.sources, source);
}

bool Ring::join_complete(int joiner) const {
  const std::vector<bool> base = with_status({MemberStatus::member, MemberStatus::leaving});
  const auto& done = members_.at(joiner).handed_off;
  for (const Token& token : tokens_) {
    const JoinStep step = join_step(joiner, token.position, base);
    if (!step.relevant) continue;
    for (int source : step.sources)
      if (!done.count(source)) return false;
  }
  return true;
}

}  // namespace faultline::dynamo
