#include "systems/primary_replica/storage.h"

#include <cinttypes>
#include <cstdio>

#include "base/assert.h"
#include "framework/random.h"

namespace faultline::primary_replica {

namespace {

constexpr const char* kLogFile = "log";
constexpr const char* kHighWatermarkFile = "hw";

std::string hash_text(std::string_view body) {
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016" PRIx64, stable_hash(body));
  return std::string(hash, 16);
}

// The complete, valid records of a file, each with the byte offset just past it.
std::vector<std::pair<Json, size_t>> read_records(std::string_view text) {
  std::vector<std::pair<Json, size_t>> records;
  size_t position = 0;
  while (position < text.size()) {
    const size_t end = text.find('\n', position);
    if (end == std::string_view::npos) break;
    auto json = parse_record(text.substr(position, end - position));
    if (!json) break;
    position = end + 1;
    records.emplace_back(std::move(*json), position);
  }
  return records;
}

}  // namespace

std::string frame_record(const Json& json) {
  const std::string body = json.dump();
  return hash_text(body) + " " + body + "\n";
}

std::optional<Json> parse_record(std::string_view line) {
  if (line.size() < 18 || line[16] != ' ') return std::nullopt;
  const std::string_view body = line.substr(17);
  if (line.substr(0, 16) != hash_text(body)) return std::nullopt;
  Json json = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return std::nullopt;
  return json;
}

Recovered Storage::load() {
  Recovered out;
  for (int slot = 0; slot < 2; ++slot) {
    auto records = read_records(disk_.read("hard." + std::to_string(slot)));
    if (records.size() != 1) continue;
    const Json& record = records[0].first;
    const auto seq = record.at("seq").get<uint64_t>();
    if (out.hard && seq <= hard_seq_) continue;
    hard_seq_ = seq;
    out.hard = record.at("state").get<HardState>();
  }
  // The log's valid prefix: records whose indexes run 1, 2, 3, ... without a gap.
  log_end_ = 0;
  offsets_.clear();
  for (auto& [record, end] : read_records(disk_.read(kLogFile))) {
    Entry entry = record.get<Entry>();
    if (entry.index != static_cast<int64_t>(out.entries.size()) + 1) break;
    offsets_.push_back(log_end_);
    log_end_ = end;
    out.entries.push_back(std::move(entry));
  }
  disk_.truncate(kLogFile, log_end_);
  auto high_watermark = read_records(disk_.read(kHighWatermarkFile));
  if (!high_watermark.empty()) out.high_watermark = high_watermark.back().first.get<int64_t>();
  return out;
}

void Storage::save_hard_state(const HardState& hard) {
  ++hard_seq_;
  const std::string file = "hard." + std::to_string(hard_seq_ % 2);
  disk_.overwrite(file, frame_record(Json{{"seq", hard_seq_}, {"state", hard}}));
  disk_.fsync(file);
}

void Storage::append(const std::vector<Entry>& entries, bool sync) {
  if (entries.empty()) return;
  std::string bytes;
  for (const Entry& entry : entries) {
    FAULTLINE_ASSERT(entry.index == static_cast<int64_t>(offsets_.size()) + 1, "storage append leaves a gap");
    offsets_.push_back(log_end_ + bytes.size());
    bytes += frame_record(entry);
  }
  disk_.append(kLogFile, bytes);
  log_end_ += bytes.size();
  if (sync) sync_log();
}

void Storage::truncate_from(int64_t index, bool sync) {
  FAULTLINE_ASSERT(index >= 1, "truncating before the first entry");
  const auto kept = static_cast<size_t>(index - 1);
  if (kept >= offsets_.size()) return;
  log_end_ = offsets_[kept];
  offsets_.resize(kept);
  disk_.truncate(kLogFile, log_end_);
  if (sync) sync_log();
}

void Storage::sync_log() { disk_.fsync(kLogFile); }

void Storage::save_high_watermark(int64_t index) {
  disk_.overwrite(kHighWatermarkFile, frame_record(Json(index)));
  disk_.fsync(kHighWatermarkFile);
}

}  // namespace faultline::primary_replica
