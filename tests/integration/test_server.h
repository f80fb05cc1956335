// TestServer: runs the real `loci serve` binary as a child process for one test.
//
// The child gets a clean environment (only what the test names, plus PATH), runs in a
// temporary folder (so no stray .env is read), listens on a free port and announces it on
// stdout; its stderr is collected for assertion messages. The destructor stops a child still
// running (SIGTERM, then SIGKILL) and removes the temporary folder unless the test failed.
//
// Thread-safety: a TestServer is used from the thread that made it; stderr() may be called from
// any thread.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "temp_dir.h"

namespace loci::integration {

using loci::testing::TempDir;  // temp_dir.h

using Environment = std::map<std::string, std::string>;

// What a process that ran to its end left behind.
struct ExitInfo {
  bool exited = false;  // false: killed by a signal (see `signal`) or still running at timeout
  int code = -1;
  int signal = 0;
  bool timed_out = false;
  std::string stdout_text;
  std::string stderr_text;
};

class TestServer {
 public:
  // Starts `LOCI_BINARY serve` with LOCI_LISTEN=127.0.0.1:0, LOCI_DATA_DIR=`data_dir`,
  // LOG_LEVEL=info and `environment` on top (an empty value removes a variable), in
  // `work_dir`. Waits up to `startup_timeout` for the "listening on" line. Returns nullptr
  // and sets `*error` (with the child's stderr) when it does not come.
  static std::unique_ptr<TestServer> Start(
      const std::string& work_dir, const std::string& data_dir, const Environment& environment,
      std::string* error, std::chrono::milliseconds startup_timeout = std::chrono::seconds(20));

  // Runs `LOCI_BINARY args...` to its end (or kills it after `timeout`) and reports how it
  // ended, for configuration checks.
  static ExitInfo RunToExit(const std::vector<std::string>& args, const std::string& work_dir,
                            const Environment& environment,
                            std::chrono::milliseconds timeout = std::chrono::seconds(20));

  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  const std::string& host() const { return host_; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }

  // True while the child has not exited.
  bool Running();

  // Sends `signal` and waits up to `timeout` for the child to exit. Returns how it ended;
  // `timed_out` when it was still running (it is then killed with SIGKILL).
  ExitInfo Stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(20));

  // SIGKILL and reap, as a crash would.
  ExitInfo Kill() { return Stop(SIGKILL); }

  // Everything the child wrote to stderr so far (the last `max_bytes` of it).
  std::string stderr_text(std::size_t max_bytes = 16 * 1024) const;

 private:
  TestServer() = default;

  pid_t pid_ = -1;
  bool reaped_ = false;
  int wait_status_ = 0;
  std::string host_ = "127.0.0.1";
  int port_ = 0;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::thread stdout_reader_;
  std::thread stderr_reader_;
  mutable std::mutex mutex_;
  std::string stdout_text_;
  std::string stderr_text_;
};

}  // namespace loci::integration
