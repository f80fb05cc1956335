// A scriptable MemoryService for the HTTP layer's tests: records what each route passed in and
// answers what the test set up. Thread-safety: calls and inspection are guarded by one mutex;
// set results before issuing requests.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "service/memory_service.h"

namespace loci::http::testing {

// What a FakeUserExport yields and what was asked of it. Shared with the test, which may look
// at it while the export runs on a server worker.
struct FakeExportScript {
  service::ExportHeader header;
  std::vector<std::vector<model::Message>> pages;
  std::vector<std::vector<service::AuditEntry>> audit_pages;  // after the messages
  std::optional<std::size_t> fail_at_page;  // NextPage of this page fails (Unavailable)
  std::atomic<int> pages_read{0};
  std::atomic<bool> destroyed{false};
};

class FakeUserExport : public service::UserExport {
 public:
  explicit FakeUserExport(std::shared_ptr<FakeExportScript> script) : script_(std::move(script)) {}
  ~FakeUserExport() override { script_->destroyed = true; }
  const service::ExportHeader& header() const override { return script_->header; }
  Result<std::vector<model::Message>> NextPage() override {
    const std::size_t page = static_cast<std::size_t>(script_->pages_read++);
    if (script_->fail_at_page && *script_->fail_at_page == page) {
      return Unavailable("storage went away");
    }
    if (page >= script_->pages.size()) return std::vector<model::Message>();
    return script_->pages[page];
  }
  Result<std::vector<service::AuditEntry>> NextAuditPage() override {
    if (audit_pages_read_ >= script_->audit_pages.size()) {
      return std::vector<service::AuditEntry>();
    }
    return script_->audit_pages[audit_pages_read_++];
  }

 private:
  std::shared_ptr<FakeExportScript> script_;
  std::size_t audit_pages_read_ = 0;
};

class FakeMemoryService : public service::MemoryService {
 public:
  void Store(const service::Caller& caller, service::StoreCommand command,
             std::function<void(Result<service::StoreResult>)> done) override {
    {
      std::lock_guard lock(mutex);
      last_caller = caller;
      last_store = command;
    }
    Result<service::StoreResult> result = store_result;
    if (store_on_other_thread) {
      // As the storage writer would: answer later, from another thread.
      std::thread([done = std::move(done), result]() mutable { done(std::move(result)); }).detach();
    } else {
      done(std::move(result));
    }
  }

  bool StoreIsAtHand(const service::Caller& caller, const std::string& user_id) override {
    std::lock_guard lock(mutex);
    ++store_at_hand_calls;
    last_caller = caller;
    last_user_id = user_id;
    return store_at_hand;
  }

  Result<std::shared_ptr<const service::ContextPack>> Context(
      const service::Caller& caller, const service::ContextQuery& query) override {
    {
      std::lock_guard lock(mutex);
      last_caller = caller;
      last_context = query;
    }
    if (on_context) on_context();
    if (throw_in_context) throw std::runtime_error("secret exception detail");
    if (!context_result.ok()) return context_result.status();
    return std::make_shared<const service::ContextPack>(*context_result);
  }

  std::shared_ptr<const service::ContextPack> CachedContext(
      const service::Caller& caller, const service::ContextQuery& query) override {
    std::lock_guard lock(mutex);
    ++cached_context_calls;
    last_caller = caller;
    last_context = query;
    if (throw_in_cached_context) throw std::runtime_error("secret exception detail");
    return cached_context;
  }

  Result<service::SearchResult> Search(const service::Caller& caller,
                                       const service::SearchQuery& query) override {
    std::lock_guard lock(mutex);
    last_caller = caller;
    last_search = query;
    return search_result;
  }

  Result<service::UserErasureResult> EraseUser(const service::Caller& caller,
                                               const std::string& user_id) override {
    std::lock_guard lock(mutex);
    last_caller = caller;
    last_user_id = user_id;
    if (!erase_user_result.ok()) return erase_user_result;
    service::UserErasureResult result = *erase_user_result;
    result.user_id = user_id;
    return result;
  }

  Result<std::vector<model::SessionInfo>> Sessions(const service::Caller& caller,
                                                   const std::string& user_id) override {
    std::lock_guard lock(mutex);
    last_caller = caller;
    last_user_id = user_id;
    return sessions_result;
  }

  Result<std::vector<model::Message>> SessionMessages(
      const service::Caller& caller, const service::SessionPageQuery& query) override {
    std::lock_guard lock(mutex);
    last_caller = caller;
    last_page = query;
    return page_result;
  }

  Result<std::int64_t> EraseSession(const service::Caller& caller, const std::string& user_id,
                                    const std::string& session_id) override {
    std::lock_guard lock(mutex);
    last_caller = caller;
    last_user_id = user_id;
    last_session_id = session_id;
    return erase_session_result;
  }

  Status EraseMessage(const service::Caller& caller, const std::string& user_id,
                      const std::string& message_id) override {
    std::lock_guard lock(mutex);
    last_caller = caller;
    last_user_id = user_id;
    last_message_id = message_id;
    return erase_message_status;
  }

  Result<std::unique_ptr<service::UserExport>> Export(const service::Caller& caller,
                                                      const std::string& user_id) override {
    std::lock_guard lock(mutex);
    last_caller = caller;
    last_user_id = user_id;
    if (!export_status.ok()) return export_status;
    export_script->header.user_id = user_id;
    return std::unique_ptr<service::UserExport>(std::make_unique<FakeUserExport>(export_script));
  }

  Result<model::PrivacySettings> Privacy(const service::Caller& caller,
                                         const std::string& user_id) override {
    std::lock_guard lock(mutex);
    last_caller = caller;
    last_user_id = user_id;
    return privacy_result;
  }

  Result<model::PrivacySettings> UpdatePrivacy(const service::Caller& caller,
                                               const service::PrivacyUpdate& update) override {
    std::lock_guard lock(mutex);
    last_caller = caller;
    last_user_id = update.user_id;
    last_privacy_change = update.change;
    if (!privacy_result.ok()) return privacy_result;
    return update.change.AppliedTo(*privacy_result);
  }

  Status Ready() override { return ready; }
  std::vector<service::ComponentStatus> Components() override { return components; }

  std::vector<service::ComponentStatus> components;

  // What the routes passed in.
  std::mutex mutex;
  service::Caller last_caller;
  std::optional<service::StoreCommand> last_store;
  std::optional<service::ContextQuery> last_context;
  std::optional<service::SearchQuery> last_search;
  std::optional<service::SessionPageQuery> last_page;
  std::string last_user_id;
  std::string last_session_id;
  std::string last_message_id;
  std::optional<model::PrivacyChange> last_privacy_change;

  // What the service answers.
  Result<service::StoreResult> store_result = service::StoreResult{"s1", {"m_1"}, 1, 0};
  bool store_on_other_thread = false;
  bool store_at_hand = false;  // StoreIsAtHand's answer
  int store_at_hand_calls = 0;
  Result<service::ContextPack> context_result = service::ContextPack{};
  std::function<void()> on_context;
  bool throw_in_context = false;
  std::shared_ptr<const service::ContextPack> cached_context;  // CachedContext's answer
  int cached_context_calls = 0;
  bool throw_in_cached_context = false;
  Result<service::SearchResult> search_result = service::SearchResult{};
  Result<service::UserErasureResult> erase_user_result = service::UserErasureResult{};
  Result<std::vector<model::SessionInfo>> sessions_result = std::vector<model::SessionInfo>{};
  Result<std::vector<model::Message>> page_result = std::vector<model::Message>{};
  Result<std::int64_t> erase_session_result = std::int64_t{0};
  Status erase_message_status;
  Status export_status;
  std::shared_ptr<FakeExportScript> export_script = std::make_shared<FakeExportScript>();
  Result<model::PrivacySettings> privacy_result = model::PrivacySettings{};
  Status ready;
};

// A message as the service would return it.
inline model::Message SampleMessage(std::string id, std::int64_t seq) {
  model::Message message;
  message.seq = seq;
  message.id = std::move(id);
  message.user_id = "u1";
  message.session_id = "s1";
  message.role = model::Role::kUser;
  message.content = "I moved to Lisbon last spring.";
  message.created_at = 1'796'022'771'123;  // 2026-11-30T07:12:51.123Z
  message.metadata_json = R"({"dia_id":"D1:3"})";
  message.token_count = 9;
  return message;
}

}  // namespace loci::http::testing
