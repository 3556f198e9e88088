#pragma once
// Running the faultline executable from an end-to-end test: a scratch directory per test
// binary, and the exit code, stdout and stderr of one shell command run in it.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace faultline::testing {

struct CommandResult {
  int exit_code;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A fresh directory under the test temp dir, named after `prefix` and this process.
// A fresh directory per process (mkdtemp): one named by the pid alone could be left over by
// an earlier run whose process had the same pid, with its campaigns still in it (a CI run
// failed when `--out again` already held a campaign).
inline std::string make_work_dir(const std::string& prefix) {
  std::string pattern = (std::filesystem::path(::testing::TempDir()) / (prefix + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
  return pattern;
}

// Runs `command` with the shell in `work_dir`, with no standard input.
inline CommandResult run_in(const std::string& work_dir, const std::string& command) {
  std::string out = work_dir + "/stdout", err = work_dir + "/stderr";
  std::string line = "cd " + work_dir + " && (" + command + ") >" + out + " 2>" + err + " </dev/null";
  int status = std::system(line.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

inline int line_count(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace faultline::testing
