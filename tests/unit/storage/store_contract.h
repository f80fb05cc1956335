// The store contract suite: tests written against storage::Store only, so that every engine
// (SQLite now, PostgreSQL later) runs the same ones and cannot drift apart.
//
// An engine joins by instantiating the suite with a harness factory:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest,
//                            ::testing::Values(StoreEngine{"Sqlite", MakeSqliteHarness}),
//                            StoreEngineName);
// Thread-safety: a fixture is used by its test's thread; the store itself by any threads.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "storage/store.h"

namespace loci::storage::testing {

// One isolated database for one test.
class StoreHarness {
 public:
  virtual ~StoreHarness() = default;
  // A store over the harness's database; called again after the previous store is destroyed,
  // it must see everything written before (a restart).
  virtual Result<std::unique_ptr<Store>> Open() = 0;
};

struct StoreEngine {
  std::string name;
  std::function<std::unique_ptr<StoreHarness>()> make_harness;
};

// Builds a MessageFilter field by field (partial designated initializers warn on GCC 12):
// PostingSeqs(user, "term", Filter().Session("s1").Since(100)).
class Filter {
 public:
  Filter& Session(std::string session_id) {
    filter_.session_id = std::move(session_id);
    return *this;
  }
  Filter& Roles(std::vector<model::Role> roles) {
    filter_.roles = std::move(roles);
    return *this;
  }
  Filter& Since(UnixMillis since) {
    filter_.since = since;
    return *this;
  }
  Filter& Until(UnixMillis until) {
    filter_.until = until;
    return *this;
  }
  Filter& Attributes(std::vector<std::string> attributes) {
    filter_.attributes = std::move(attributes);
    return *this;
  }
  operator const MessageFilter&() const { return filter_; }  // NOLINT(google-explicit-constructor)

 private:
  MessageFilter filter_;
};

// prefix + n. (Spelled out because GCC 12 warns falsely, -Wrestrict, on "s" + to_string(n).)
inline std::string Numbered(std::string_view prefix, int n) {
  std::string name(prefix);
  name += std::to_string(n);
  return name;
}

// A request to store `messages` in the user's session.
inline AppendRequest Request(const model::UserRef& user, std::string session_id,
                             std::vector<NewMessage> messages) {
  AppendRequest request;
  request.user = user;
  request.session_id = std::move(session_id);
  request.messages = std::move(messages);
  return request;
}

inline void PrintTo(const StoreEngine& engine, std::ostream* out) { *out << engine.name; }

inline std::string StoreEngineName(const ::testing::TestParamInfo<StoreEngine>& info) {
  return info.param.name;
}

class StoreContractTest : public ::testing::TestWithParam<StoreEngine> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Store& store() { return *store_; }
  // Destroys the store and opens the same database again.
  void Reopen();

  // A message whose terms are its whitespace-separated words (counted), so tests can reason
  // about postings without the text analyzer.
  static NewMessage Message(std::string content, UnixMillis created_at,
                            model::Role role = model::Role::kUser);
  // Appends and waits; fails the test on error.
  AppendOutcome Put(const model::UserRef& user, const std::string& session_id,
                    std::vector<NewMessage> messages);
  // Put of one message; returns its id.
  std::string PutOne(const model::UserRef& user, const std::string& session_id, std::string content,
                     UnixMillis created_at, model::Role role = model::Role::kUser);
  // The seqs of a term's postings (no filter unless given).
  std::vector<std::int64_t> PostingSeqs(const model::UserRef& user, const std::string& term,
                                        const MessageFilter& filter = {});
  std::vector<model::Message> Recent(const model::UserRef& user, const std::string& session_id,
                                     int limit = 100);

  std::unique_ptr<StoreHarness> harness_;
  std::unique_ptr<Store> store_;
};

// The part of the contract that only engines meet (not layers over them, like SealedStore).
class EngineContractTest : public StoreContractTest {};

}  // namespace loci::storage::testing
