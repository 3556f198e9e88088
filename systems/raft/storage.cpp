#include "systems/raft/storage.h"

#include <array>

#include "base/assert.h"
#include "framework/random.h"

namespace faultline::raft {

std::string frame_record(const Json& json) { return frame_text(json.dump()); }

namespace {

// The record's checksum as 16 lowercase hex digits (what "%016" PRIx64 prints, without
// snprintf's locale lookups on the storage hot path).
std::array<char, 16> hash_hex(std::string_view body) {
  static constexpr char kDigits[] = "0123456789abcdef";
  uint64_t hash = stable_hash(body);
  std::array<char, 16> hex{};
  for (int i = 15; i >= 0; --i, hash >>= 4) hex[static_cast<size_t>(i)] = kDigits[hash & 0xf];
  return hex;
}

}  // namespace

std::string frame_text(std::string_view body) {
  const std::array<char, 16> hash = hash_hex(body);
  std::string out;
  out.reserve(body.size() + 18);
  out.append(hash.data(), hash.size()).append(" ").append(body).append("\n");
  return out;
}

namespace {

// The body of a framed record whose checksum matches.
std::optional<std::string_view> record_body(std::string_view line) {
  if (line.size() < 18 || line[16] != ' ') return std::nullopt;
  const std::string_view body = line.substr(17);
  const std::array<char, 16> hash = hash_hex(body);
  if (line.substr(0, 16) != std::string_view(hash.data(), hash.size())) return std::nullopt;
  return body;
}

std::optional<Json> parse_json(std::string_view body) {
  Json json = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return std::nullopt;
  return json;
}

struct RecordText {
  std::string_view body;  // checksum verified
  size_t end = 0;         // the byte offset just past the record
};

// The complete records of a file (views into `text`), up to the first torn or corrupt one.
std::vector<RecordText> read_records(std::string_view text) {
  std::vector<RecordText> records;
  size_t position = 0;
  while (position < text.size()) {
    const size_t end = text.find('\n', position);
    if (end == std::string_view::npos) break;
    auto body = record_body(text.substr(position, end - position));
    if (!body) break;
    position = end + 1;
    records.push_back({.body = *body, .end = position});
  }
  return records;
}

// A log entry record: the direct decoder for what encode_entry wrote, JSON for the rest.
std::optional<Entry> parse_entry(std::string_view body) {
  if (auto entry = decode_entry(body)) return entry;
  auto json = parse_json(body);
  if (!json) return std::nullopt;
  return json->get<Entry>();
}

}  // namespace

std::optional<Json> parse_record(std::string_view line) {
  auto body = record_body(line);
  if (!body) return std::nullopt;
  return parse_json(*body);
}

namespace {

// The valid record with the highest "seq" among two slot files.
std::optional<Json> newest_slot(const Disk& disk, const std::string& prefix) {
  std::optional<Json> best;
  for (int slot = 0; slot < 2; ++slot) {
    const std::string_view text = disk.read(prefix + std::to_string(slot));
    auto records = read_records(text);
    if (records.size() != 1) continue;
    auto parsed = parse_json(records[0].body);
    if (!parsed) continue;
    Json& json = *parsed;
    if (!best || json.at("seq").get<uint64_t>() > best->at("seq").get<uint64_t>()) best = json;
  }
  return best;
}

}  // namespace

Recovered Storage::load() {
  Recovered out;
  if (auto hard = newest_slot(disk_, "hard.")) {
    hard_seq_ = hard->at("seq").get<uint64_t>();
    out.hard.term = hard->at("term").get<int64_t>();
    if (!hard->at("vote").is_null()) out.hard.vote = hard->at("vote").get<int32_t>();
  }
  if (auto snap = newest_slot(disk_, "snap.")) {
    snap_seq_ = snap->at("seq").get<uint64_t>();
    out.snapshot = {snap->at("index"), snap->at("term"), snap->at("chain"), snap->at("state")};
  }
  // The newest valid log file that continues the snapshot, a complete one first.
  std::optional<LogFile> chosen;
  auto newer = [](const LogFile& a, const LogFile& b) { return std::pair(a.complete, a.start) > std::pair(b.complete, b.start); };
  for (int slot = 0; slot < 2; ++slot) {
    auto file = load_log_file(slot, out.snapshot);
    if (file && (!chosen || newer(*file, *chosen))) {
      chosen = std::move(file);
      log_slot_ = slot;
    }
  }
  if (!chosen) {
    start_log_file(0, out.snapshot.index + 1, {});
    return out;
  }
  log_start_ = chosen->start;
  offsets_ = std::move(chosen->offsets);
  log_end_ = chosen->end;
  disk_.truncate(log_file(), log_end_);  // drop a torn tail so appends follow valid data
  for (auto& entry : chosen->entries)
    if (entry.index > out.snapshot.index) out.entries.push_back(std::move(entry));
  return out;
}

// A log file is usable when its copied prefix is complete and it reaches the snapshot,
// agreeing with it at the snapshot's index (log matching, 5.3).
std::optional<Storage::LogFile> Storage::load_log_file(int slot,
                                                       const SnapshotRecord& snapshot) const {
  const std::string_view text = disk_.read("log." + std::to_string(slot));
  const auto records = read_records(text);
  if (records.empty()) return std::nullopt;
  const auto header = parse_json(records[0].body);
  if (!header) return std::nullopt;
  LogFile file;
  file.start = header->at("start").get<int64_t>();
  const auto copied = header->at("copied").get<size_t>();
  if (file.start > snapshot.index + 1) return std::nullopt;
  file.end = records[0].end;
  for (size_t k = 1; k < records.size(); ++k) {
    std::optional<Entry> parsed = parse_entry(records[k].body);
    if (!parsed) break;
    Entry entry = std::move(*parsed);
    if (entry.index != file.start + static_cast<int64_t>(k) - 1) break;  // never after a gap
    if (entry.index == snapshot.index && entry.term != snapshot.term) return std::nullopt;
    file.offsets.push_back(file.end);
    file.end = records[k].end;
    file.entries.push_back(std::move(entry));
  }
  file.complete = file.entries.size() >= copied;
  if (file.start + static_cast<int64_t>(file.entries.size()) - 1 < snapshot.index)
    return std::nullopt;
  return file;
}

void Storage::save_hard_state(const HardState& hard, bool sync) {
  ++hard_seq_;
  const std::string file = "hard." + std::to_string(hard_seq_ % 2);
  Json json = {{"seq", hard_seq_}, {"term", hard.term}};
  json["vote"] = hard.vote ? Json(*hard.vote) : Json(nullptr);
  disk_.overwrite(file, frame_record(json));
  if (sync) disk_.fsync(file);
}

void Storage::append_to_current(const std::vector<Entry>& entries) {
  std::string bytes;
  for (const Entry& entry : entries) {
    FAULTLINE_ASSERT(entry.index == log_start_ + static_cast<int64_t>(offsets_.size()),
                     "storage append leaves a gap");
    offsets_.push_back(log_end_ + bytes.size());
    bytes += frame_text(encode_entry(entry));
  }
  disk_.append(log_file(), bytes);
  log_end_ += bytes.size();
}

void Storage::append(const std::vector<Entry>& entries, bool sync) {
  if (entries.empty()) return;
  append_to_current(entries);
  if (sync) disk_.fsync(log_file());
}

void Storage::truncate_from(int64_t index, bool sync) {
  FAULTLINE_ASSERT(index >= log_start_, "truncating before the current log file");
  const auto k = static_cast<size_t>(index - log_start_);
  if (k >= offsets_.size()) return;
  log_end_ = offsets_[k];
  offsets_.resize(k);
  disk_.truncate(log_file(), log_end_);
  if (sync) disk_.fsync(log_file());
}

void Storage::start_log_file(int slot, int64_t start, const std::vector<Entry>& copied) {
  log_slot_ = slot;
  log_start_ = start;
  offsets_.clear();
  const std::string header = frame_record(Json{{"start", start}, {"copied", copied.size()}});
  disk_.overwrite(log_file(), header);
  log_end_ = header.size();
  append_to_current(copied);
  disk_.fsync(log_file());
  // The previous file is needed only until this one is durable. Emptied, it cannot be
  // mistaken for the log if this one's copied entries are later truncated (a follower
  // overwriting a conflicting suffix), which leaves this file with fewer than its header says.
  const std::string previous = "log." + std::to_string(1 - slot);
  disk_.overwrite(previous, "");
  disk_.fsync(previous);
}

void Storage::save_snapshot(const SnapshotRecord& snapshot, const std::vector<Entry>& remaining) {
  ++snap_seq_;
  const std::string file = "snap." + std::to_string(snap_seq_ % 2);
  disk_.overwrite(file, frame_record(Json{{"seq", snap_seq_}, {"index", snapshot.index},
                                          {"term", snapshot.term}, {"chain", snapshot.chain},
                                          {"state", snapshot.state}}));
  disk_.fsync(file);
  // Only now may the other log file be rewritten: the previous one stays valid until then.
  start_log_file(1 - log_slot_, snapshot.index + 1, remaining);
}


}  // namespace faultline::raft
