#include "integration/test_server.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#ifndef LOCI_BINARY
#error "LOCI_BINARY must name the server binary"
#endif

namespace loci::integration {
namespace {

using Clock = std::chrono::steady_clock;

struct Child {
  pid_t pid = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
};

// Starts LOCI_BINARY with `args` in `work_dir` with exactly `environment` (plus PATH).
// Returns pid -1 and sets `*error` on failure.
Child Spawn(const std::vector<std::string>& args, const std::string& work_dir,
            const Environment& environment, std::string* error) {
  Child child;
  // Everything the child needs is built before fork: after it only async-signal-safe calls.
  std::vector<std::string> arg_strings = {LOCI_BINARY};
  arg_strings.insert(arg_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : arg_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings;
  if (environment.count("PATH") == 0) env_strings.push_back("PATH=/usr/local/bin:/usr/bin:/bin");
  for (const auto& [name, value] : environment) env_strings.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);

  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    *error = "pipe2 failed";
    return child;
  }
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    *error = "pipe2 failed";
    return child;
  }
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    *error = "fork failed";
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) close(fd);
    return child;
  }
  if (pid == 0) {
    // The server must not outlive a test binary that crashed or was killed.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    if (chdir(work_dir.c_str()) != 0) _exit(126);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  child.pid = pid;
  child.stdout_fd = out_pipe[0];
  child.stderr_fd = err_pipe[0];
  return child;
}

// Appends everything readable from `fd` to `*sink` until EOF.
void Drain(int fd, std::mutex* mutex, std::string* sink) {
  char buffer[4096];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    std::lock_guard<std::mutex> lock(*mutex);
    sink->append(buffer, static_cast<std::size_t>(n));
  }
}

// Waits for `pid` up to `timeout`; returns true and sets `*status` when it exited.
bool WaitFor(pid_t pid, std::chrono::milliseconds timeout, int* status) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    pid_t result = waitpid(pid, status, WNOHANG);
    if (result == pid) return true;
    if (result < 0 && errno != EINTR) return true;  // not our child any more
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void FillExit(int status, ExitInfo* info) {
  if (WIFEXITED(status)) {
    info->exited = true;
    info->code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    info->signal = WTERMSIG(status);
  }
}

std::string Tail(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  return "…" + text.substr(text.size() - max_bytes);
}

}  // namespace

std::unique_ptr<TestServer> TestServer::Start(const std::string& work_dir,
                                              const std::string& data_dir,
                                              const Environment& environment, std::string* error,
                                              std::chrono::milliseconds startup_timeout) {
  Environment env = {
      {"LOCI_LISTEN", "127.0.0.1:0"}, {"LOCI_DATA_DIR", data_dir}, {"LOG_LEVEL", "info"}};
  for (const auto& [name, value] : environment) {
    if (value.empty()) {
      env.erase(name);
    } else {
      env[name] = value;
    }
  }
  Child child = Spawn({"serve"}, work_dir, env, error);
  if (child.pid < 0) return nullptr;

  std::unique_ptr<TestServer> server(new TestServer());
  server->pid_ = child.pid;
  server->stdout_fd_ = child.stdout_fd;
  server->stderr_fd_ = child.stderr_fd;
  TestServer* raw = server.get();
  server->stderr_reader_ =
      std::thread([raw] { Drain(raw->stderr_fd_, &raw->mutex_, &raw->stderr_text_); });

  // Read stdout until the announcement line, the child's end, or the deadline.
  const std::string prefix = "listening on http://";
  const auto deadline = Clock::now() + startup_timeout;
  std::string seen;
  bool announced = false;
  while (!announced) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      *error = "no 'listening on' line within " + std::to_string(startup_timeout.count()) + " ms";
      break;
    }
    pollfd descriptor{child.stdout_fd, POLLIN, 0};
    int ready = poll(&descriptor, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    char buffer[1024];
    ssize_t n = read(child.stdout_fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *error = "the server closed stdout (exited?) before announcing its port";
      break;
    }
    seen.append(buffer, static_cast<std::size_t>(n));
    std::size_t newline;
    while ((newline = seen.find('\n')) != std::string::npos) {
      std::string line = seen.substr(0, newline);
      seen.erase(0, newline + 1);
      if (line.rfind(prefix, 0) != 0) continue;
      std::string address = line.substr(prefix.size());
      while (!address.empty() && (address.back() == '\r' || address.back() == '/')) {
        address.pop_back();
      }
      std::size_t colon = address.rfind(':');
      if (colon == std::string::npos) {
        *error = "cannot parse the announcement '" + line + "'";
        break;
      }
      server->host_ = address.substr(0, colon);
      server->port_ = std::atoi(address.c_str() + colon + 1);
      if (server->port_ <= 0) {
        *error = "cannot parse the port in '" + line + "'";
        break;
      }
      announced = true;
      break;
    }
    if (!error->empty()) break;
  }
  {
    std::lock_guard<std::mutex> lock(server->mutex_);
    server->stdout_text_ = seen;
  }
  server->stdout_reader_ =
      std::thread([raw] { Drain(raw->stdout_fd_, &raw->mutex_, &raw->stdout_text_); });
  if (!announced) {
    ExitInfo info = server->Stop(SIGKILL, std::chrono::seconds(5));
    *error += "; exit code " + std::to_string(info.code) + ", signal " +
              std::to_string(info.signal) + "; stdout: " + Tail(info.stdout_text, 2000) +
              "; stderr: " + Tail(info.stderr_text, 8000);
    return nullptr;
  }
  return server;
}

ExitInfo TestServer::RunToExit(const std::vector<std::string>& args, const std::string& work_dir,
                               const Environment& environment, std::chrono::milliseconds timeout) {
  ExitInfo info;
  std::string error;
  Child child = Spawn(args, work_dir, environment, &error);
  if (child.pid < 0) {
    info.stderr_text = "spawn failed: " + error;
    return info;
  }
  std::mutex mutex;
  std::thread out([&] { Drain(child.stdout_fd, &mutex, &info.stdout_text); });
  std::thread err([&] { Drain(child.stderr_fd, &mutex, &info.stderr_text); });
  int status = 0;
  if (!WaitFor(child.pid, timeout, &status)) {
    info.timed_out = true;
    kill(child.pid, SIGKILL);
    waitpid(child.pid, &status, 0);
  }
  out.join();
  err.join();
  close(child.stdout_fd);
  close(child.stderr_fd);
  FillExit(status, &info);
  return info;
}

TestServer::~TestServer() {
  if (!reaped_) Stop(SIGTERM, std::chrono::seconds(15));
}

bool TestServer::Running() {
  if (reaped_) return false;
  int status = 0;
  pid_t result = waitpid(pid_, &status, WNOHANG);
  if (result == pid_) {
    reaped_ = true;
    wait_status_ = status;
    return false;
  }
  return result == 0;
}

ExitInfo TestServer::Stop(int signal, std::chrono::milliseconds timeout) {
  ExitInfo info;
  if (!reaped_) {
    kill(pid_, signal);
    int status = 0;
    if (!WaitFor(pid_, timeout, &status)) {
      info.timed_out = true;
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
    reaped_ = true;
    wait_status_ = status;
  }
  if (stdout_reader_.joinable()) stdout_reader_.join();
  if (stderr_reader_.joinable()) stderr_reader_.join();
  if (stdout_fd_ >= 0) close(stdout_fd_);
  if (stderr_fd_ >= 0) close(stderr_fd_);
  stdout_fd_ = stderr_fd_ = -1;
  FillExit(wait_status_, &info);
  std::lock_guard<std::mutex> lock(mutex_);
  info.stdout_text = stdout_text_;
  info.stderr_text = stderr_text_;
  return info;
}

std::string TestServer::stderr_text(std::size_t max_bytes) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return Tail(stderr_text_, max_bytes);
}

}  // namespace loci::integration
