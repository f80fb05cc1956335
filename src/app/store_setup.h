// Opens the store stack every command uses: the data folder, the SQLite engine, the master
// key (master_key.h), and the sealing layer over the engine.
#pragma once

#include <memory>
#include <string>

#include "app/config.h"
#include "crypto/primitives.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/store.h"
#include "util/status.h"

namespace loci::app {

struct OpenedStore {
  std::shared_ptr<storage::sqlite::SqliteStore> engine;  // ciphertext; Close and Checkpoint
  std::shared_ptr<storage::Store> store;                 // the sealed store services use
  crypto::SecretKey master_key;
};

// Creates the data folder when missing (owner-only: it holds personal data).
Status PrepareDataDir(const std::string& dir);

// The database file in `data_dir`.
std::string DatabasePath(const std::string& data_dir);

// Whether the store seals what it keeps. Always on, except in the benchmark build's plaintext
// server (bench/loci_plaintext.cpp), which measures what sealing costs.
enum class Sealing { kOn, kOffForBenchmarks };

// The whole stack: the engine, the master key, the sealing layer. `readers`: the most reads
// at once (say, the worker count).
Result<OpenedStore> OpenStore(const Config& config, int readers, Sealing sealing = Sealing::kOn);

// Holds an exclusive lock on a data folder while alive: one server (or a master-key rotation)
// at a time, since each keeps caches that another process's writes would make stale.
class DataDirLock {
 public:
  // Conflict when another process holds it.
  static Result<std::unique_ptr<DataDirLock>> Acquire(const std::string& data_dir);
  explicit DataDirLock(int fd) : fd_(fd) {}
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  int fd_;
};

}  // namespace loci::app
