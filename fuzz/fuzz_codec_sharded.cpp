// systems/sharded's message codec: its own messages and the raft messages it carries.
#include "fuzz/codec_roundtrip.h"
#include "systems/sharded/messages.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const faultline::sharded::Codec codec;
  faultline::fuzz::require_codec_roundtrip(codec, data, size);
  return 0;
}
