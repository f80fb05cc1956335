// The master key that wraps every data key: ENCRYPTION_KEY when set, otherwise a key file in
// the data folder, created (mode 0600) on the first start (the server warns at every start
// that a key kept beside the data protects only against losing the database file alone).
//
// Key files hold the key in base64 and a newline. Rotation (rotate_master.h) writes the new key
// to master.key.next before re-wrapping and renames it over master.key after, so a crash at
// any point leaves one of the two files opening the database; the start picks that one.
#pragma once

#include <optional>
#include <string>

#include "app/config.h"
#include "crypto/keyring.h"
#include "storage/store.h"
#include "util/status.h"

namespace loci::app {

std::string KeyFilePath(const std::string& data_dir);
std::string NextKeyFilePath(const std::string& data_dir);

// nullopt when the file does not exist. Refuses a file that others may read.
Result<std::optional<crypto::SecretKey>> ReadKeyFile(const std::string& path);
// Writes (replacing) the key with mode 0600 and makes it durable.
Status WriteKeyFile(const std::string& path, const crypto::SecretKey& key);
// Renames `from` over `to` durably.
Status ReplaceFile(const std::string& from, const std::string& to);

// OK when `key` is the master key `store` (the unsealed engine) was made with; a fresh store
// takes it as its own.
Status VerifyMasterKey(storage::Store& store, const crypto::SecretKey& key);

// The master key for `config`, verified against `store` (see the top of this file).
Result<crypto::SecretKey> ResolveMasterKey(const Config& config, storage::Store& store);

}  // namespace loci::app
