// ServiceTest: a MemoryServiceImpl over a real SQLite store in a fresh folder, at a fixed
// time, for the service's unit tests.
#pragma once

#include <gtest/gtest.h>

#include <future>
#include <memory>

#include "service/memory_service_impl.h"
#include "storage/sqlite/sqlite_store.h"
#include "temp_dir.h"
#include "text/analyzer.h"
#include "unit/test_clocks.h"

namespace loci::service::testing {

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(Limits{}); }

  // (Re)opens the store and the service over the same database, with `limits`.
  void Open(const Limits& limits, EmbeddingSetup embedding = {},
            const LlmPreferenceExtractor* preference_model = nullptr) {
    service_.reset();
    store_.reset();
    auto store = storage::sqlite::SqliteStore::Open({.path = dir_.Path("loci.db")});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    service_ = std::make_unique<MemoryServiceImpl>(*store_, analyzer_, clock_, limits, embedding,
                                                   nullptr, preference_model);
  }

  // service_->Store, waited for.
  Result<StoreResult> StoreAndWait(StoreCommand command) {
    return StoreAndWait(caller_, std::move(command));
  }
  Result<StoreResult> StoreAndWait(const Caller& caller, StoreCommand command) {
    std::promise<Result<StoreResult>> promise;
    service_->Store(caller, std::move(command),
                    [&promise](Result<StoreResult> result) { promise.set_value(result); });
    return promise.get_future().get();
  }

  loci::testing::TempDir dir_;
  text::Analyzer analyzer_;
  loci::testing::FixedClock clock_;
  std::unique_ptr<storage::sqlite::SqliteStore> store_;
  std::unique_ptr<MemoryServiceImpl> service_;
  Caller caller_{"t1", "", "r"};
};

}  // namespace loci::service::testing
