// The campaign's own files, read back by `campaign --resume`, `merge` and `report`: a seed
// record (DIR/seeds/seed-N.json) and the campaign description (DIR/campaign.json), parsed
// with the input bounds. Whatever either reader accepts must write back to JSON that reads
// as the same record.
#include "framework/campaign_record.h"
#include "fuzz/fuzz_check.h"
#include "histories/json_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace faultline;
  auto json = parse_json_input(fuzz::as_text(data, size));
  if (!json) return 0;
  if (auto record = seed_record_from_json(json.value(), "seed-1.json")) {
    const Json written = seed_record_json(record.value());
    auto again = seed_record_from_json(written, "seed-1.json");
    fuzz::require(again.has_value(), "a seed record written from an accepted one is accepted");
    fuzz::require(seed_record_json(again.value()) == written, "a seed record round-trips");
  }
  if (auto spec = campaign_spec_from_json(json.value(), "campaign.json")) {
    const Json written = campaign_spec_json(spec.value());
    auto again = campaign_spec_from_json(written, "campaign.json");
    fuzz::require(again.has_value(), "a campaign description written from an accepted one is accepted");
    fuzz::require(campaign_spec_json(again.value()) == written, "a campaign description round-trips");
  }
  return 0;
}
