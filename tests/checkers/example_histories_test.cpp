// Every hand-written history in tests/data/checkers/<checker>/ gets the verdict its name
// states, through the checker's registry entry (options resolved as a claim's are).
#include <gtest/gtest.h>

#include "checkers/availability.h"
#include "checkers/convergence.h"
#include "checkers/counter.h"
#include "checkers/session.h"
#include "checkers/set_full.h"
#include "checkers/staleness.h"
#include "example_histories.h"

namespace faultline {
namespace {

class ExampleHistories : public ::testing::TestWithParam<CheckerSpec (*)()> {};

TEST_P(ExampleHistories, EachGetsTheVerdictInItsName) {
  const CheckerSpec spec = GetParam()();
  const auto examples = testing_support::example_histories(spec.name);
  EXPECT_GE(examples.size(), 5u);
  for (const auto& example : examples) {
    SCOPED_TRACE(example.path);
    auto result = run_checker(spec, example.history, example.options, example.locate());
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result.value().verdict, example.expected) << render_result(spec, result.value());
  }
}

INSTANTIATE_TEST_SUITE_P(Checkers, ExampleHistories,
                         ::testing::Values(set_full_checker, counter_checker, session_checker, staleness_checker,
                                           convergence_checker, availability_checker),
                         [](const auto& info) {
                           std::string name = info.param().name;
                           std::erase(name, '-');
                           return name;
                         });

}  // namespace
}  // namespace faultline
