#pragma once
// Network partitions: the nodes are split into groups and every link between two groups is
// cut in both directions. Shapes follow Jepsen's nemesis: random halves, one node
// isolated, the leader (or primary) isolated.
#include "framework/nemesis.h"

namespace faultline::nemesis {

enum class PartitionShape { halves, isolate_one, isolate_leader };

Result<NemesisPtr> make_partition(const std::string& option);

}  // namespace faultline::nemesis
