#pragma once
// Constructors of the individual models; make_model (lin_model.h) picks one by name.
#include <memory>

#include "checkers/lin_model.h"

namespace faultline {

std::unique_ptr<SequentialModel> make_register_model(bool allow_cas, const Json& initial);
std::unique_ptr<SequentialModel> make_append_kv_model(const Json& initial);
std::unique_ptr<SequentialModel> make_multi_register_model(const Json& initial);
std::unique_ptr<SequentialModel> make_set_model(const Json& initial);
std::unique_ptr<SequentialModel> make_queue_model(const Json& initial);
std::unique_ptr<SequentialModel> make_counter_model(const Json& initial);
std::unique_ptr<SequentialModel> make_mutex_model(const Json& initial);

}  // namespace faultline
