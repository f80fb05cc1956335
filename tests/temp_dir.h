// TempDir: a fresh folder under the system's temporary folder (TMPDIR), removed with
// everything in it when the object goes, unless the current test failed: then it is kept and
// its path printed, to look at the database and logs. Shared by the unit and integration tests.
// Thread-safety: path() and Path() may be called from any thread.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>

namespace loci::testing {

class TempDir {
 public:
  TempDir() {
    // mkdtemp replaces the trailing six characters with a unique name.
    std::string pattern = (std::filesystem::temp_directory_path() / "loci-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~TempDir() {
    if (::testing::UnitTest::GetInstance()->current_test_info() != nullptr &&
        ::testing::Test::HasFailure()) {
      std::cerr << "[ kept     ] " << path_ << " (the test failed)\n";
      return;
    }
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // The path of `name` inside the folder.
  std::string Path(std::string_view name) const {
    return (std::filesystem::path(path_) / name).string();
  }

 private:
  std::string path_;
};

}  // namespace loci::testing
