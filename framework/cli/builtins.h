#pragma once
// The registry of every built-in system and fault package.
#include "framework/registry.h"

namespace faultline::cli {

const Registry& builtin_registry();

}  // namespace faultline::cli
