// append-kv: Porcupine's kv model (research/porcupine.md section 4), one string per key
// (the key split happens before the model): get returns the whole string, put replaces it,
// append concatenates. The initial string is "" unless --initial gives one.
//
// States are never built as strings during the search: a state is a node (parent state,
// appended value) with a polynomial hash and length of its content, so an append is O(1)
// and a get compares hash and length, confirming equal content by spelling it out only when
// they match (rare, and memoized). Two nodes with equal content are merged into one id so
// the search's cache sees them as one state.
#include <unordered_map>

#include "checkers/models.h"
#include "checkers/value_interner.h"

namespace faultline {
namespace {

enum class AppendOpKind : uint8_t { get, put, append, noop };

struct AppendOp {
  AppendOpKind kind;
  uint32_t value;  // index into values_: the string read, put or appended
};

struct TextDigest {
  uint64_t hash = 0;
  uint64_t power = 1;  // kBase^length, to extend the hash by this text
  size_t length = 0;
};

constexpr uint64_t kBase = 0x100000001b3ULL;

TextDigest digest(const std::string& text) {
  TextDigest d;
  for (unsigned char c : text) {
    d.hash = d.hash * kBase + c + 1;
    d.power *= kBase;
  }
  d.length = text.size();
  return d;
}

TextDigest concat(const TextDigest& left, const TextDigest& right) {
  return TextDigest{left.hash * right.power + right.hash, left.power * right.power,
                    left.length + right.length};
}

class AppendKvModel final : public SequentialModel {
 public:
  explicit AppendKvModel(const Json& initial) {
    initial_ = node_for(kNoParent, value_id(initial.is_string() ? initial.get<std::string>() : ""));
  }

  Result<ModelOpId> add_op(const Op& invoke, const Op* completion,
                           const std::string& where) override {
    AppendOp op{AppendOpKind::noop, 0};
    if (invoke.f == "get") {
      if (completion != nullptr) {
        BOOST_OUTCOME_TRY(text, string_value(completion->value, where));
        op = AppendOp{AppendOpKind::get, value_id(std::move(text))};
      }
    } else if (invoke.f == "put" || invoke.f == "append") {
      BOOST_OUTCOME_TRY(text, string_value(invoke.value, where));
      op = AppendOp{invoke.f == "put" ? AppendOpKind::put : AppendOpKind::append,
                    value_id(std::move(text))};
    } else {
      return fail(where + ": the append-kv model has no operation \"" + invoke.f +
                  "\" (expected get, put, append)");
    }
    ops_.push_back(op);
    return static_cast<ModelOpId>(ops_.size() - 1);
  }

  StateId initial_state() override { return initial_; }

  bool step(StateId state, ModelOpId id, StateId& next) override {
    const AppendOp& op = ops_[id];
    next = state;
    switch (op.kind) {
      case AppendOpKind::get: return reads(state, id);
      case AppendOpKind::put: next = node_for(kNoParent, op.value); return true;
      case AppendOpKind::append: next = append(state, id); return true;
      case AppendOpKind::noop: return true;
    }
    return false;
  }

  bool is_unconstrained_noop(ModelOpId id) const override {
    return ops_[id].kind == AppendOpKind::noop;
  }

  bool is_observer(ModelOpId id) const override { return ops_[id].kind == AppendOpKind::get; }

  uint64_t op_signature(ModelOpId id) const override {
    return pack_signature(static_cast<uint64_t>(ops_[id].kind), ops_[id].value, 0, id);
  }

  Json describe_state(StateId state) const override { return spell(state); }

  size_t memory_bytes() const override {
    return nodes_.capacity() * sizeof(Node) + by_digest_.memory_bytes() + memo_.memory_bytes() +
           value_bytes_;
  }

 private:
  static constexpr uint32_t kNoParent = ~uint32_t{0};

  struct Node {
    uint32_t parent;  // kNoParent: the content is the value alone (a put)
    uint32_t value;
    TextDigest digest;
    uint32_t same_digest;  // the next node with the same digest key, or kNoParent
  };

  static Result<std::string> string_value(const Json& value, const std::string& where) {
    if (value.is_null()) return std::string();  // an empty get may be written as nil
    if (!value.is_string()) return fail(where + ": append-kv values must be strings");
    return value.get<std::string>();
  }

  uint32_t value_id(std::string text) {
    auto [it, added] = value_ids_.try_emplace(text, static_cast<uint32_t>(values_.size()));
    if (added) {
      value_digests_.push_back(digest(text));
      value_bytes_ += text.size() * 2 + 96;
      values_.push_back(std::move(text));
    }
    return it->second;
  }

  std::string spell(StateId state) const {
    std::vector<uint32_t> parts;
    for (uint32_t node = static_cast<uint32_t>(state); node != kNoParent; node = nodes_[node].parent)
      parts.push_back(nodes_[node].value);
    std::string text;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) text += values_[*it];
    return text;
  }

  // The id of the state whose content is parent's content followed by value; equal contents
  // get one id.
  uint32_t node_for(uint32_t parent, uint32_t value) {
    TextDigest d = parent == kNoParent ? value_digests_[value]
                                       : concat(nodes_[parent].digest, value_digests_[value]);
    const uint64_t key = (d.hash ^ d.length) >> 1;  // FlatMap64 reserves ~0
    const uint64_t* first = by_digest_.find(key);
    std::string content;
    for (uint32_t node = first ? static_cast<uint32_t>(*first) : kNoParent; node != kNoParent;
         node = nodes_[node].same_digest) {
      const Node& existing = nodes_[node];
      if (existing.parent == parent && existing.value == value) return node;
      if (existing.digest.length != d.length) continue;
      if (content.empty())
        content = (parent == kNoParent ? std::string() : spell(parent)) + values_[value];
      if (spell(node) == content) return node;
    }
    auto id = static_cast<uint32_t>(nodes_.size());
    nodes_.push_back(Node{parent, value, d, first ? static_cast<uint32_t>(*first) : kNoParent});
    by_digest_.store(key, id);
    return id;
  }

  StateId append(StateId state, ModelOpId id) {
    if (const uint64_t* known = memo_.find(state, id)) return *known;
    StateId next = node_for(static_cast<uint32_t>(state), ops_[id].value);
    memo_.store(state, id, next);
    return next;
  }

  bool reads(StateId state, ModelOpId id) {
    const TextDigest& expected = value_digests_[ops_[id].value];
    const TextDigest& actual = nodes_[state].digest;
    if (expected.hash != actual.hash || expected.length != actual.length) return false;
    if (const uint64_t* known = memo_.find(state, id)) return *known == 1;
    bool equal = spell(state) == values_[ops_[id].value];
    memo_.store(state, id, equal ? 1 : 0);
    return equal;
  }

  std::unordered_map<std::string, uint32_t> value_ids_;
  std::vector<std::string> values_;
  std::vector<TextDigest> value_digests_;
  size_t value_bytes_ = 0;
  std::vector<Node> nodes_;
  FlatMap64 by_digest_;  // digest key -> the last node created with it
  TransitionMemo memo_;
  std::vector<AppendOp> ops_;
  StateId initial_ = 0;
};

}  // namespace

std::unique_ptr<SequentialModel> make_append_kv_model(const Json& initial) {
  return std::make_unique<AppendKvModel>(initial);
}

}  // namespace faultline
