// StoreUserExport: the UserExport that MemoryServiceImpl hands out, reading the user's sessions
// once and then the messages page by page from the store (Store::UserMessages), up to the
// newest message that existed when the export began. It holds no audit event (the audited
// decorator adds them).
// Thread-safety: as UserExport; the store is borrowed and must outlive the export.
#pragma once

#include <memory>

#include "service/memory_service.h"
#include "storage/store.h"

namespace loci::service {

class StoreUserExport final : public UserExport {
 public:
  // Reads the user's sessions and summaries; the header holds them and `privacy`, the user's
  // settings.
  // NotFound when the user holds no message; the store's errors.
  // REQUIRES: page_messages >= 1.
  static Result<std::unique_ptr<UserExport>> Begin(storage::Store& store, model::UserRef user,
                                                   model::PrivacySettings privacy, UnixMillis now,
                                                   int page_messages);

  StoreUserExport(storage::Store& store, model::UserRef user, ExportHeader header,
                  std::int64_t through_seq, int page_messages);

  const ExportHeader& header() const override { return header_; }
  Result<std::vector<model::Message>> NextPage() override;

 private:
  storage::Store& store_;
  model::UserRef user_;
  ExportHeader header_;
  std::int64_t through_seq_;  // the newest message when the export began
  std::int64_t after_seq_ = 0;
  int page_messages_;
  bool done_ = false;
};

}  // namespace loci::service
