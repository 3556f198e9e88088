// Every system's message codec on JSON it did not write (issue 9; crashers of
// fuzz/fuzz_codec_*): an error, never undefined behaviour, and what decodes round-trips.
#include <gtest/gtest.h>

#include "framework/message.h"
#include "systems/pingpong/pingpong.h"
#include "systems/primary_replica/messages.h"
#include "systems/raft/messages.h"
#include "systems/single/messages.h"

namespace faultline {
namespace {

const raft::Codec raft_codec;
const JsonCodec<single::SingleMessage> single_codec;
const JsonCodec<pingpong::Ball> pingpong_codec;

TEST(CodecLimits, FloatBeyondAnIntegerFieldIsRefused) {
  // UBSan: "1e+300 is outside the range of representable values of type 'long'".
  for (const char* text : {R"({"type":"vote","term":1e300,"last_index":1,"last_term":1,"pre":true})",
                           R"({"type":"reply","seq":1,"status":1e10,"value":null,"accepted":false,"leader_hint":null})"}) {
    auto decoded = raft_codec.decode(Json::parse(text));
    ASSERT_FALSE(decoded) << text;
    EXPECT_NE(decoded.error().message.find("floating-point number beyond"), std::string::npos);
  }
  EXPECT_FALSE(single_codec.decode(Json::parse(R"({"type":"request","id":1e300,"f":"write","key":"k","value":1})")));
  EXPECT_FALSE(pingpong_codec.decode(Json::parse(R"({"id":-1e19})")));
  // UBSan: "-5.29301e+07 is outside the range of representable values of type 'unsigned long'"
  // (fuzz_codec_primary_replica's crasher, trimmed).
  const primary_replica::Codec primary_replica_codec;
  const std::string request = R"({"type":"request","client":CLIENT,"f":"cas","key":"k","local":false,"seq":0,)"
                              R"("token":{"epoch":0,"index":0},"value":[1,4]})";
  auto with_client = [&](const std::string& client) {
    std::string text = request;
    return Json::parse(text.replace(text.find("CLIENT"), 6, client));
  };
  EXPECT_TRUE(primary_replica_codec.decode(with_client("52930050")));  // the same message, well formed
  EXPECT_FALSE(primary_replica_codec.decode(with_client("-52930050.5")));
}

TEST(CodecLimits, WhatDecodesRoundTrips) {
  for (const char* text :
       {R"({"type":"append","term":4,"prev_index":10,"prev_term":3,"entries":[{"t":4,"i":11},{"t":4,"i":12,"c":{"client":6,"seq":3,"f":"write","key":"k1","value":4}}],"commit":10,"read_ctx":5})",
        R"({"type":"reply","seq":3,"status":0,"value":2.5,"accepted":true,"leader_hint":1})"}) {
    auto decoded = raft_codec.decode(Json::parse(text));
    ASSERT_TRUE(decoded) << decoded.error().message;
    const Json encoded = decoded.value()->to_json();
    auto again = raft_codec.decode(encoded);
    ASSERT_TRUE(again);
    EXPECT_EQ(again.value()->to_json(), encoded);
  }
  auto reply = single_codec.decode(Json::parse(R"({"type":"reply","id":7,"applied":false,"value":[1.5],"error":""})"));
  ASSERT_TRUE(reply) << reply.error().message;
}

TEST(CodecLimits, MalformedMessagesAreErrors) {
  for (const char* text : {R"({"type":"vote"})", R"({"type":"nosuch"})", R"([1,2])", R"({"type":5})"})
    EXPECT_FALSE(raft_codec.decode(Json::parse(text))) << text;
  EXPECT_FALSE(single_codec.decode(Json::parse(R"({"type":"request","id":"x"})")));
}

}  // namespace
}  // namespace faultline
