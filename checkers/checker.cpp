#include "checkers/checker.h"

namespace faultline {

std::string locate_by_index(const History& history, size_t position) {
  if (position >= history.ops.size()) return "op ?";
  return "op #" + std::to_string(history.ops[position].index);
}

Result<CheckResult> run_checker(const CheckerSpec& spec, const History& history, const Json& options,
                                const OpLocator& locate) {
  BOOST_OUTCOME_TRY(resolved, resolve_options(spec.options, options, "checker " + spec.name));
  return spec.check(history, resolved, locate);
}

CheckResult run_checker_or_unknown(const CheckerSpec& spec, const History& history, const Json& options) {
  auto locate = [&history](size_t position) { return locate_by_index(history, position); };
  auto result = run_checker(spec, history, options, locate);
  if (result) return std::move(result).value();
  return CheckResult{Verdict::unknown, spec.name, "not judged: " + result.error().message, Json()};
}

std::string render_result(const CheckerSpec& spec, const CheckResult& result) {
  if (spec.render) return spec.render(result);
  return std::string(to_string(result.verdict)) + ": " + result.summary + "\n";
}

}  // namespace faultline
