// systems/pingpong's message codec.
#include "fuzz/codec_roundtrip.h"
#include "systems/pingpong/pingpong.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const faultline::JsonCodec<faultline::pingpong::Ball> codec;
  faultline::fuzz::require_codec_roundtrip(codec, data, size);
  return 0;
}
