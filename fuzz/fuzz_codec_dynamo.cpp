// systems/dynamo's message codec (what the real runtime would read off the wire).
#include "fuzz/codec_roundtrip.h"
#include "systems/dynamo/messages.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const faultline::dynamo::Codec codec;
  faultline::fuzz::require_codec_roundtrip(codec, data, size);
  return 0;
}
