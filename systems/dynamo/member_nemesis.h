#pragma once
// The `member` fault package: membership changes during a run. A start makes one node leave
// the ring (an operator's command sent to that node, FaultApi::send_operator_message); the
// matching stop makes it join again. The node hands its data over before it is out, and its
// successors hand data back while it joins (docs/systems/dynamo.md, "Membership"). Events:
//   {"f":"start-member","value":{"node":2,"action":"leave"}}
//   {"f":"stop-member","value":{"node":2,"action":"join"}}
#include <string>

#include "base/result.h"
#include "framework/nemesis.h"

namespace faultline::dynamo {

Result<NemesisPtr> make_member_nemesis(const std::string& option);

}  // namespace faultline::dynamo
