// The model names of `faultline check --model` and what --initial each accepts.
#include "base/assert.h"
#include "checkers/models.h"

namespace faultline {

std::vector<std::string> model_names() {
  return {"register", "cas-register", "kv",  "append-kv", "multi-register",
          "set",      "counter",      "queue", "mutex"};
}

Result<void> validate_model(const std::string& name, const Json& initial) {
  auto bad_initial = [&](const char* expected) {
    return fail("--initial " + initial.dump() + " does not suit the " + name + " model (" +
                expected + ")");
  };
  if (name == "register" || name == "cas-register" || name == "kv") return outcome::success();
  if (name == "append-kv") {
    if (!initial.is_null() && !initial.is_string()) return bad_initial("a string");
    return outcome::success();
  }
  if (name == "multi-register") {
    if (!initial.is_null() && !initial.is_object())
      return bad_initial("an object of register to value, e.g. {\"x\":0,\"y\":0}");
    return outcome::success();
  }
  if (name == "set" || name == "queue") {
    if (!initial.is_null() && !initial.is_array()) return bad_initial("a list of elements");
    return outcome::success();
  }
  if (name == "counter") {
    if (!initial.is_null() && !initial.is_number_integer()) return bad_initial("an integer");
    return outcome::success();
  }
  if (name == "mutex") {
    if (!initial.is_null() && !initial.is_boolean() && initial != Json("locked") &&
        initial != Json("held") && initial != Json("free"))
      return bad_initial("true/\"held\" or false/\"free\"");
    return outcome::success();
  }
  std::string names;
  for (const auto& known : model_names()) names += (names.empty() ? "" : ", ") + known;
  return fail("unknown model \"" + name + "\" (known: " + names + ")");
}

std::unique_ptr<SequentialModel> make_model(const std::string& name, const Json& initial) {
  if (name == "register") return make_register_model(false, initial);
  if (name == "cas-register" || name == "kv") return make_register_model(true, initial);
  if (name == "append-kv") return make_append_kv_model(initial);
  if (name == "multi-register") return make_multi_register_model(initial);
  if (name == "set") return make_set_model(initial);
  if (name == "queue") return make_queue_model(initial);
  if (name == "counter") return make_counter_model(initial);
  if (name == "mutex") return make_mutex_model(initial);
  FAULTLINE_ASSERT(false, "make_model called with a name validate_model rejects");
  return nullptr;
}

}  // namespace faultline
