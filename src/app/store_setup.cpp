#include "app/store_setup.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "app/master_key.h"
#include "storage/sealed_store.h"

namespace loci::app {

Status PrepareDataDir(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return Unavailable("cannot create LOCI_DATA_DIR " + dir + ": " + error.message());
  ::chmod(dir.c_str(), S_IRWXU);
  return Status::Ok();
}

std::string DatabasePath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "loci.db").string();
}

Result<OpenedStore> OpenStore(const Config& config, int readers, Sealing sealing) {
  RETURN_IF_ERROR(PrepareDataDir(config.data_dir));
  RETURN_IF_ERROR(crypto::Initialize());
  storage::sqlite::SqliteOptions options;
  options.path = DatabasePath(config.data_dir);
  options.readers = readers;
  ASSIGN_OR_RETURN(std::unique_ptr<storage::sqlite::SqliteStore> engine,
                   storage::sqlite::SqliteStore::Open(options));
  OpenedStore opened;
  opened.engine = std::move(engine);
  ASSIGN_OR_RETURN(opened.master_key, ResolveMasterKey(config, *opened.engine));
  opened.store =
      std::make_shared<storage::SealedStore>(opened.engine, crypto::MasterKey(opened.master_key));
  return opened;
}

Result<std::unique_ptr<DataDirLock>> DataDirLock::Acquire(const std::string& data_dir) {
  std::string path = (std::filesystem::path(data_dir) / "loci.lock").string();
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) return Unavailable("cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Conflict("another loci process (a server or a key rotation) is using " + data_dir);
  }
  return std::make_unique<DataDirLock>(fd);
}

DataDirLock::~DataDirLock() { ::close(fd_); }

}  // namespace loci::app
