// The real runtime's disk (framework/runtime/real_disk.h): after any writes and fsyncs, a
// reopen after a kill or a power loss reads what SimDisk reads after on_kill or on_power_loss
// without torn writes; any file name survives on disk unchanged; a failure names its path.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "base/files.h"
#include "framework/runtime/real_disk.h"
#include "framework/sim_disk.h"

namespace faultline::runtime {
namespace {

namespace fs = std::filesystem;

ScratchDirectory scratch() {
  auto created = ScratchDirectory::create("faultline-real-disk-test");
  FAULTLINE_ASSERT(created, "a scratch directory for the test");
  return std::move(created).value();
}

std::unique_ptr<RealDisk> open_disk(const fs::path& dir, bool power_loss) {
  auto opened = RealDisk::open(dir, power_loss);
  EXPECT_TRUE(opened) << (opened ? "" : opened.error().message);
  return opened ? std::move(opened).value() : nullptr;
}

// Why the two disks differ, or "" when files() and every read agree.
std::string difference(const SimDisk& sim, const RealDisk& real) {
  if (sim.files() != real.files()) return "files() differ";
  for (const std::string& name : sim.files()) {
    if (sim.read(name) != real.read(name)) return "'" + name + "' reads differently";
  }
  if (!real.read("never-written").empty()) return "a file never written reads non-empty";
  return "";
}

void write_file(const fs::path& path, std::string_view bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::vector<std::string> entries_of(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  return names;
}

// Applies the same writes to both disks.
struct Both {
  SimDisk& sim;
  Disk& real;
  void append(const std::string& file, std::string_view bytes) {
    sim.append(file, bytes);
    real.append(file, bytes);
  }
  void overwrite(const std::string& file, std::string_view bytes) {
    sim.overwrite(file, bytes);
    real.overwrite(file, bytes);
  }
  void truncate(const std::string& file, size_t size) {
    sim.truncate(file, size);
    real.truncate(file, size);
  }
  void fsync(const std::string& file) {
    sim.fsync(file);
    real.fsync(file);
  }
};

TEST(RealDisk, ReopenAfterKillOrPowerLossReadsWhatSimDiskReads) {
  ScratchDirectory dir = scratch();
  SimDisk sim;
  auto real = open_disk(dir.path(), false);
  {
    Both both{sim, *real};
    both.append("log.0", "abc");
    both.append("log.0", std::string("d\0e", 3));
    both.fsync("log.0");
    both.append("log.0", "\xff unsynced tail");
    both.overwrite("hard.0", "term=1");
    both.fsync("hard.0");
    both.overwrite("hard.0", "term=2");  // unsynced
    both.overwrite("vote.0", "for=1");
    both.fsync("vote.0");
    both.overwrite("vote.0", "for=2");  // unsynced, and what durable/ holds is not a prefix
    both.append("snap.0", "snapshot");
    both.fsync("snap.0");
    both.truncate("snap.0", 4);     // unsynced, below what fsync wrote
    both.truncate("empty.0", 5);    // creates the file, empty
    both.append("lost.0", "never fsynced");
    both.fsync("never-written");    // a no-op
  }
  ASSERT_EQ(difference(sim, *real), "");

  sim.on_kill();
  real = open_disk(dir.path(), false);
  ASSERT_EQ(difference(sim, *real), "");
  {
    Both both{sim, *real};
    both.fsync("log.0");           // after a kill, only the tail is still to sync
    both.fsync("vote.0");          // after a kill, all of it
    both.append("log.0", "more");  // unsynced
    both.truncate("snap.0", 100);  // never grows
    both.fsync("snap.0");
    both.append("log.1", "x");
    both.truncate("log.1", 0);
    both.fsync("log.1");
  }
  ASSERT_EQ(difference(sim, *real), "");

  Rng rng(1);
  sim.on_power_loss(rng, false);
  real = open_disk(dir.path(), true);
  ASSERT_EQ(difference(sim, *real), "");
  EXPECT_EQ(real->read("log.0"), std::string("abcd\0e", 6) + "\xff unsynced tail");
  EXPECT_EQ(real->read("hard.0"), "term=1");
  EXPECT_EQ(real->read("vote.0"), "for=2");
  EXPECT_EQ(real->read("snap.0"), "snap");
  EXPECT_EQ(real->read("lost.0"), "");  // its name stays, as in SimDisk

  sim.on_power_loss(rng, false);  // twice in a row changes nothing more
  real = open_disk(dir.path(), true);
  EXPECT_EQ(difference(sim, *real), "");
}

RC_GTEST_PROP(RealDisk, AgreesWithSimDiskAfterAnyOperations, ()) {
  ScratchDirectory dir = scratch();
  SimDisk sim;
  auto real = open_disk(dir.path(), false);
  RC_ASSERT(real != nullptr);
  Rng rng(7);  // on_power_loss draws nothing without torn writes
  const int steps = *rc::gen::inRange(1, 31);
  for (int step = 0; step < steps; ++step) {
    const auto file = *rc::gen::element<std::string>("log.0", "hard.0", "snap.0");
    Both both{sim, *real};
    switch (*rc::gen::inRange(0, 6)) {
      case 0: both.append(file, *rc::gen::arbitrary<std::string>()); break;
      case 1: both.overwrite(file, *rc::gen::arbitrary<std::string>()); break;
      case 2: both.truncate(file, *rc::gen::inRange<size_t>(0, sim.read(file).size() + 3)); break;
      case 3: both.fsync(file); break;
      case 4:
        sim.on_kill();
        real = open_disk(dir.path(), false);
        break;
      default:
        sim.on_power_loss(rng, false);
        real = open_disk(dir.path(), true);
        break;
    }
    RC_ASSERT(real != nullptr);
    RC_ASSERT(difference(sim, *real) == "");
  }
}

TEST(RealDisk, AnyNameSurvivesAReopenUnchanged) {
  const std::vector<std::string> names = {
      "../x", "a/b", ".hidden", "x.tmp", "\xc3\xa9", ".", "..", ".tmp", "%41", "a%", "tmp", std::string("\0z", 2),
      "log.0"};
  ScratchDirectory dir = scratch();
  auto disk = open_disk(dir.path(), false);
  for (const std::string& name : names) {
    disk->append(name, name + "!");
    disk->fsync(name);
  }
  for (bool power_loss : {false, true}) {
    disk = open_disk(dir.path(), power_loss);
    std::vector<std::string> sorted = names;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(disk->files(), sorted);
    for (const std::string& name : names) EXPECT_EQ(disk->read(name), name + "!");
  }
  // Every file stays inside its directory, visible, and unlike a temporary.
  for (const char* half : {"current", "durable"}) {
    for (const std::string& entry : entries_of(fs::path(dir.path()) / half)) {
      EXPECT_NE(entry[0], '.') << entry;
      EXPECT_FALSE(entry.ends_with(".tmp")) << entry;
    }
  }
  EXPECT_EQ(entries_of(dir.path()).size(), 2U);  // current/ and durable/, nothing escaped
}

TEST(RealDisk, OnlyTheEscapedSpellingOfANameLoads) {
  EXPECT_EQ(escape_file_name("x.tmp"), "x%2Etmp");
  EXPECT_EQ(escape_file_name(".a.b"), "%2Ea.b");
  EXPECT_EQ(escape_file_name("a/b c"), "a%2Fb%20c");
  EXPECT_EQ(unescape_file_name("a%2Fb%20c"), "a/b c");
  for (const char* other : {"%41", "%2fb", ".a", "x.tmp", "%2", "%zz", "a%", ""}) {
    EXPECT_EQ(unescape_file_name(other), std::nullopt) << other;
  }
  ScratchDirectory dir = scratch();
  ASSERT_NE(open_disk(dir.path(), false), nullptr);
  write_file(fs::path(dir.path()) / "current" / "%41", "A");
  auto opened = RealDisk::open(dir.path(), false);
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("current/%41"), std::string::npos) << opened.error().message;
}

TEST(RealDisk, OpenRemovesTheTemporariesOfAKilledProcess) {
  ScratchDirectory dir = scratch();
  auto disk = open_disk(dir.path(), false);
  disk->overwrite("log.0", "kept");
  disk->fsync("log.0");
  const fs::path current = fs::path(dir.path()) / "current";
  const fs::path durable = fs::path(dir.path()) / "durable";
  write_file(current / "something.tmp", "half");
  write_file(durable / "something.tmp", "half");
  write_file(durable / "log.0.tmp", "half of an fsync");
  disk = open_disk(dir.path(), true);
  EXPECT_EQ(disk->files(), std::vector<std::string>{"log.0"});
  EXPECT_EQ(disk->read("log.0"), "kept");
  EXPECT_EQ(entries_of(current), std::vector<std::string>{"log.0"});
  EXPECT_EQ(entries_of(durable), std::vector<std::string>{"log.0"});
}

TEST(RealDisk, APowerLossCutShortByAKillIsFinishedAtTheNextOpen) {
  ScratchDirectory dir = scratch();
  auto disk = open_disk(dir.path(), false);
  disk->append("log.0", "synced");
  disk->fsync("log.0");
  disk->append("log.0", " lost");
  write_file(fs::path(dir.path()) / "power-loss-underway", "");  // as a killed open() leaves it
  disk = open_disk(dir.path(), false);
  EXPECT_EQ(disk->read("log.0"), "synced");
  EXPECT_FALSE(fs::exists(fs::path(dir.path()) / "power-loss-underway"));
}

TEST(RealDisk, OpenOnAPathThatCannotBeADirectoryFailsNamingIt) {
  ScratchDirectory dir = scratch();
  const fs::path plain = fs::path(dir.path()) / "plain";
  write_file(plain, "a regular file");
  for (const fs::path& path : {plain, plain / "below"}) {
    auto opened = RealDisk::open(path, false);
    ASSERT_FALSE(opened) << path;
    const std::string& message = opened.error().message;
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(RealDiskDeathTest, AFailedWriteEndsTheProcessNamingThePath) {
  ScratchDirectory dir = scratch();
  auto disk = open_disk(dir.path(), false);
  disk->append("log.0", "x");
  fs::remove_all(fs::path(dir.path()) / "current");
  EXPECT_EXIT(disk->append("log.0", "y"), testing::ExitedWithCode(3),
              "^faultline node: disk: .*/current/log\\.0: open: No such file or directory\n$");
  fs::remove_all(fs::path(dir.path()) / "durable");
  EXPECT_EXIT(disk->fsync("log.0"), testing::ExitedWithCode(3),
              "^faultline node: disk: .*/durable/log\\.0\\.tmp: open: No such file or directory\n$");
}

}  // namespace
}  // namespace faultline::runtime
