#pragma once
// Workloads: what clients do during a run, built from generator pieces.
#include "base/result.h"
#include "framework/generator.h"
#include "framework/scenario.h"

namespace faultline {

// "register": read / write / cas on key_count keys at rate_hz for time_ns (faults on),
// then a quiet period, then (final_reads) every slot reads every key from every node.
Result<GeneratorPtr> make_workload(const Scenario& scenario);

}  // namespace faultline
