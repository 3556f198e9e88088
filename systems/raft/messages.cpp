#include "systems/raft/messages.h"

namespace faultline::raft {

namespace {

Json encode(const VoteRequest& m) {
  return {{"type", "vote"}, {"term", m.term}, {"last_index", m.last_index},
          {"last_term", m.last_term}, {"pre", m.pre}};
}
Json encode(const VoteResponse& m) {
  return {{"type", "vote_reply"}, {"term", m.term}, {"granted", m.granted}, {"pre", m.pre}};
}
Json encode(const AppendRequest& m) {
  return {{"type", "append"}, {"term", m.term}, {"prev_index", m.prev_index},
          {"prev_term", m.prev_term}, {"entries", m.entries}, {"commit", m.commit},
          {"read_ctx", m.read_ctx}};
}
Json encode(const AppendResponse& m) {
  return {{"type", "append_reply"}, {"term", m.term}, {"success", m.success},
          {"match_index", m.match_index}, {"conflict_index", m.conflict_index},
          {"conflict_term", m.conflict_term}, {"read_ctx", m.read_ctx}};
}
Json encode(const SnapshotRequest& m) {
  return {{"type", "snapshot"}, {"term", m.term}, {"index", m.index},
          {"snapshot_term", m.snapshot_term}, {"chain", m.chain}, {"state", *m.state}, {"read_ctx", m.read_ctx}};
}
Json encode(const ReadIndexRequest& m) {
  return {{"type", "read_index"}, {"term", m.term}, {"id", m.id}};
}
Json encode(const ReadIndexReply& m) {
  return {{"type", "read_index_reply"}, {"term", m.term}, {"id", m.id}, {"read_index", m.read_index}};
}
Json encode(const ClientRequest& m) {
  Json json = {{"type", "request"}, {"client", m.client}, {"seq", m.seq}, {"f", m.f},
               {"key", m.key}, {"value", m.value}};
  if (m.proxy) json["proxy"] = true;  // absent otherwise: unbound clients' messages keep their bytes
  if (m.reply_to) json["reply_to"] = *m.reply_to;
  return json;
}
Json encode(const ClientReply& m) {
  Json json = {{"type", "reply"}, {"seq", m.seq}, {"status", static_cast<int>(m.status)},
               {"value", m.value}, {"accepted", m.accepted}};
  json["leader_hint"] = m.leader_hint ? Json(*m.leader_hint) : Json(nullptr);
  return json;
}

RaftMessage decode(const Json& j) {
  const auto type = j.at("type").get<std::string>();
  if (type == "vote")
    return {VoteRequest{j.at("term"), j.at("last_index"), j.at("last_term"), j.at("pre")}};
  if (type == "vote_reply") return {VoteResponse{j.at("term"), j.at("granted"), j.at("pre")}};
  if (type == "append")
    return {AppendRequest{j.at("term"), j.at("prev_index"), j.at("prev_term"),
                          j.at("entries").get<std::vector<Entry>>(), j.at("commit"),
                          j.at("read_ctx")}};
  if (type == "append_reply")
    return {AppendResponse{j.at("term"), j.at("success"), j.at("match_index"),
                           j.at("conflict_index"), j.at("conflict_term"), j.at("read_ctx")}};
  if (type == "snapshot")
    return {SnapshotRequest{j.at("term"), j.at("index"), j.at("snapshot_term"), j.at("chain"),
                            std::make_shared<const Json>(j.at("state")), j.at("read_ctx")}};
  if (type == "read_index") return {ReadIndexRequest{j.at("term"), j.at("id")}};
  if (type == "read_index_reply")
    return {ReadIndexReply{j.at("term"), j.at("id"), j.at("read_index")}};
  if (type == "request")
    return {ClientRequest{.client = j.at("client"),
                          .seq = j.at("seq"),
                          .f = j.at("f"),
                          .key = j.at("key"),
                          .value = j.at("value"),
                          .proxy = j.value("proxy", false),
                          .reply_to = j.contains("reply_to") ? std::optional(j.at("reply_to").get<int32_t>())
                                                             : std::nullopt}};
  if (type == "reply") {
    ClientReply reply{j.at("seq"), static_cast<ReplyStatus>(j.at("status").get<int>()),
                      j.at("value"), std::nullopt, j.at("accepted")};
    if (!j.at("leader_hint").is_null()) reply.leader_hint = j.at("leader_hint").get<int32_t>();
    return {reply};
  }
  throw Json::other_error::create(501, "unknown raft message type: " + type, nullptr);
}

}  // namespace

void to_json(Json& json, const RaftMessage& message) {
  json = std::visit([](const auto& body) { return encode(body); }, message.body);
}

void from_json(const Json& json, RaftMessage& message) { message = decode(json); }

}  // namespace faultline::raft
