#pragma once
// Expected errors (the first tier of DESIGN.md's two error tiers): a Result carries either
// a value or an Error whose message names what went wrong and where (file:line).
#include <utility>

#include <boost/outcome.hpp>
#include <string>

namespace faultline {

namespace outcome = BOOST_OUTCOME_V2_NAMESPACE;

struct Error {
  std::string message;
};

// terminate policy: reading the value of a failed result is a programming error.
template <class T>
using Result = outcome::result<T, Error, outcome::policy::terminate>;

inline auto fail(std::string message) { return outcome::failure(Error{std::move(message)}); }

}  // namespace faultline
