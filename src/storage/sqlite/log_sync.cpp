#include "storage/sqlite/log_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace loci::storage::sqlite {
namespace {

Status SystemError(std::string_view what, int error) {
  std::string message = "sqlite: ";
  message += what;
  message += ": ";
  message += std::strerror(error);  // NOLINT(concurrency-mt-unsafe): glibc's is thread-safe
  return Unavailable(std::move(message));
}

int OpenFile(const std::string& path, int flags) {
  int fd = -1;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC);  // NOLINT(cppcoreguidelines-pro-type-vararg)
  } while (fd < 0 && errno == EINTR);
  return fd;
}

}  // namespace

Result<std::unique_ptr<LogFile>> LogFile::Open(const std::string& log_path) {
  // Read-write: fdatasync needs no more, but some systems refuse to sync a read-only descriptor.
  int fd = OpenFile(log_path, O_RDWR);
  if (fd < 0) return SystemError("cannot open the write-ahead log", errno);
  auto log = std::make_unique<LogFile>(fd);
  std::string folder = std::filesystem::path(log_path).parent_path().string();
  int folder_fd = OpenFile(folder.empty() ? "." : folder, O_RDONLY | O_DIRECTORY);
  if (folder_fd < 0) return SystemError("cannot open the database's folder", errno);
  int synced = ::fsync(folder_fd);
  int sync_error = errno;
  ::close(folder_fd);
  if (synced != 0) return SystemError("cannot sync the database's folder", sync_error);
  return log;
}

LogFile::~LogFile() { ::close(fd_); }

Status LogFile::Sync() {
  // No retry on EINTR or any other error: after a failed sync the kernel may have dropped the
  // pages it could not write, and a second call would report success for them.
  if (::fdatasync(fd_) != 0) return SystemError("cannot sync the write-ahead log", errno);
  return Status::Ok();
}

}  // namespace loci::storage::sqlite
