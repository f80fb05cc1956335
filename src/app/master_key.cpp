#include "app/master_key.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "storage/sealed_store.h"

namespace loci::app {
namespace {

// Verifies the master key: a system key that exists only to be unwrapped.
constexpr char kKeyCheck[] = "key_check";

Status FsyncPath(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Unavailable("cannot open " + path + ": " + std::strerror(errno));
  int synced = ::fsync(fd);
  ::close(fd);
  if (synced != 0) return Unavailable("cannot sync " + path + ": " + std::strerror(errno));
  return Status::Ok();
}

std::string ParentOf(const std::string& path) {
  std::string parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

}  // namespace

std::string KeyFilePath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "master.key").string();
}

std::string NextKeyFilePath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "master.key.next").string();
}

Result<std::optional<crypto::SecretKey>> ReadKeyFile(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return std::optional<crypto::SecretKey>();
    return Unavailable("cannot read " + path + ": " + std::strerror(errno));
  }
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return PermissionDenied(path + " may be read by other users; chmod 600 it");
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string line = text.str();
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  auto key = crypto::KeyFromBase64(line);
  if (!key.ok()) return InvalidArgument(path + ": " + key.status().message());
  return std::optional<crypto::SecretKey>(*key);
}

Status WriteKeyFile(const std::string& path, const crypto::SecretKey& key) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) return Unavailable("cannot write " + path + ": " + std::strerror(errno));
  std::string text = crypto::KeyToBase64(key) + "\n";
  bool written = ::fchmod(fd, S_IRUSR | S_IWUSR) == 0 &&
                 ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                 ::fsync(fd) == 0;
  int error = errno;
  ::close(fd);
  std::fill(text.begin(), text.end(), '\0');
  if (!written) return Unavailable("cannot write " + path + ": " + std::strerror(error));
  return FsyncPath(ParentOf(path), O_RDONLY | O_DIRECTORY);
}

Status ReplaceFile(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return Unavailable("cannot rename " + from + ": " + std::strerror(errno));
  }
  return FsyncPath(ParentOf(to), O_RDONLY | O_DIRECTORY);
}

Status VerifyMasterKey(storage::Store& store, const crypto::SecretKey& key) {
  return storage::LoadSystemKey(store, crypto::MasterKey(key), kKeyCheck).status();
}

Result<crypto::SecretKey> ResolveMasterKey(const Config& config, storage::Store& store) {
  if (config.encryption_key) {
    Status verified = VerifyMasterKey(store, *config.encryption_key);
    if (verified.code() == StatusCode::kCorruption) {
      return InvalidArgument("ENCRYPTION_KEY is not the key this database was made with",
                             "ENCRYPTION_KEY");
    }
    RETURN_IF_ERROR(verified);
    return *config.encryption_key;
  }
  const std::string path = KeyFilePath(config.data_dir);
  const std::string next_path = NextKeyFilePath(config.data_dir);
  ASSIGN_OR_RETURN(std::optional<crypto::SecretKey> current, ReadKeyFile(path));
  ASSIGN_OR_RETURN(std::optional<crypto::SecretKey> next, ReadKeyFile(next_path));
  if (!current && !next) {
    crypto::SecretKey created = crypto::RandomKey();
    RETURN_IF_ERROR(WriteKeyFile(path, created));
    if (Status verified = VerifyMasterKey(store, created); !verified.ok()) {
      std::filesystem::remove(path);
      if (verified.code() != StatusCode::kCorruption) return verified;
      return InvalidArgument(path +
                             " is missing, and the database was made with another master "
                             "key: restore the key file or set ENCRYPTION_KEY");
    }
    spdlog::warn("created the master key file {}", path);
    return created;
  }
  if (current) {
    Status verified = VerifyMasterKey(store, *current);
    if (verified.ok()) {
      if (next) std::filesystem::remove(next_path);  // a rotation that never committed
      return *current;
    }
    if (verified.code() != StatusCode::kCorruption) return verified;
  }
  if (next) {  // a rotation committed, then stopped before renaming the new key into place
    Status verified = VerifyMasterKey(store, *next);
    if (verified.ok()) {
      RETURN_IF_ERROR(ReplaceFile(next_path, path));
      return *next;
    }
    if (verified.code() != StatusCode::kCorruption) return verified;
  }
  return InvalidArgument(path + " is not the master key this database was made with");
}

}  // namespace loci::app
