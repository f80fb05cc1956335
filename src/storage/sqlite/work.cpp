#include "storage/sqlite/work.h"

#include <optional>

#include "storage/sqlite/rows.h"

namespace loci::storage::sqlite {

namespace {

// Runs `statement` with ?1 to ?4 bound to the mark's user, kind, key and due time.
Status RunForMark(Statement& statement, std::int64_t user_ref, const WorkMark& work) {
  return statement.Bind(1, user_ref)
      .BindText(2, work.kind)
      .BindText(3, work.key)
      .Bind(4, work.due_at)
      .Run();
}

}  // namespace

Status ApplyMarkWork(Connection& db, std::int64_t user_ref, const std::vector<WorkMark>& marks) {
  for (const WorkMark& work : marks) {
    // Mostly the item is pending and due no later than this mark asks: then only its
    // generation moves, and its entry in work_by_due stays where it is.
    {
      ASSIGN_OR_RETURN(
          Statement mark,
          db.Prepare("INSERT INTO work (user_ref, kind, key, due_at) VALUES (?1, ?2, ?3, ?4)"
                     " ON CONFLICT (user_ref, kind, key) DO UPDATE SET"
                     " generation = generation + 1 WHERE due_at <= excluded.due_at"));
      RETURN_IF_ERROR(RunForMark(mark, user_ref, work));
    }
    if (db.Changes() > 0) continue;
    ASSIGN_OR_RETURN(Statement earlier,
                     db.Prepare("UPDATE work SET due_at = ?4, generation = generation + 1"
                                " WHERE user_ref = ?1 AND kind = ?2 AND key = ?3"));
    RETURN_IF_ERROR(RunForMark(earlier, user_ref, work));
  }
  return Status::Ok();
}

Status ApplyMarkUserWork(Connection& db, const model::UserRef& user,
                         const std::vector<WorkMark>& marks) {
  ASSIGN_OR_RETURN(std::optional<std::int64_t> user_ref, FindUser(db, user));
  if (!user_ref) return Status::Ok();
  return ApplyMarkWork(db, *user_ref, marks);
}

Result<std::vector<WorkItem>> ApplyClaimWork(Connection& db, UnixMillis now, UnixMillis lease_until,
                                             int limit) {
  std::vector<WorkItem> items;
  if (limit <= 0) return items;
  {
    ASSIGN_OR_RETURN(Statement due,
                     db.Prepare("SELECT u.tenant, u.user_id, w.kind, w.key, w.generation,"
                                " w.attempts FROM work w JOIN users u ON u.id = w.user_ref"
                                " WHERE w.due_at <= ?1 AND w.leased_until <= ?1"
                                " ORDER BY w.due_at LIMIT ?2"));
    due.Bind(1, now).Bind(2, limit);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, due.Step());
      if (!row) break;
      WorkItem item;
      item.user = {due.Text(0), due.Text(1)};
      item.kind = due.Text(2);
      item.key = due.Text(3);
      item.generation = due.Int(4);
      item.attempts = static_cast<int>(due.Int(5));
      items.push_back(std::move(item));
    }
  }
  // Due again when the lease ends (its claimer died), or earlier when marked meanwhile: then
  // when the new marks ask, not at once.
  ASSIGN_OR_RETURN(Statement lease, db.Prepare("UPDATE work SET leased_until = ?4, due_at = ?4"
                                               " WHERE kind = ?2 AND key = ?3"
                                               " AND user_ref = (SELECT id FROM users"
                                               " WHERE tenant = ?1 AND user_id = ?5)"));
  for (const WorkItem& item : items) {
    RETURN_IF_ERROR(lease.BindText(1, item.user.tenant)
                        .BindText(2, item.kind)
                        .BindText(3, item.key)
                        .Bind(4, lease_until)
                        .BindText(5, item.user.user_id)
                        .Run());
  }
  return items;
}

Status ApplyFinishWork(Connection& db, const WorkItem& item) {
  ASSIGN_OR_RETURN(std::optional<std::int64_t> user_ref, FindUser(db, item.user));
  if (!user_ref) return Status::Ok();
  ASSIGN_OR_RETURN(Statement finish,
                   db.Prepare("DELETE FROM work WHERE user_ref = ?1 AND kind = ?2 AND key = ?3"
                              " AND generation = ?4"));
  RETURN_IF_ERROR(finish.Bind(1, *user_ref)
                      .BindText(2, item.kind)
                      .BindText(3, item.key)
                      .Bind(4, item.generation)
                      .Run());
  if (db.Changes() > 0) return Status::Ok();
  // Marked again while it ran: release it to run again when due.
  ASSIGN_OR_RETURN(Statement release,
                   db.Prepare("UPDATE work SET leased_until = 0"
                              " WHERE user_ref = ?1 AND kind = ?2 AND key = ?3"));
  return release.Bind(1, *user_ref).BindText(2, item.kind).BindText(3, item.key).Run();
}

Status ApplyRetryWork(Connection& db, const WorkItem& item, UnixMillis due_at) {
  ASSIGN_OR_RETURN(std::optional<std::int64_t> user_ref, FindUser(db, item.user));
  if (!user_ref) return Status::Ok();
  ASSIGN_OR_RETURN(Statement retry, db.Prepare("UPDATE work SET leased_until = 0, due_at = ?4,"
                                               " attempts = attempts + 1"
                                               " WHERE user_ref = ?1 AND kind = ?2 AND key = ?3"));
  return retry.Bind(1, *user_ref)
      .BindText(2, item.kind)
      .BindText(3, item.key)
      .Bind(4, due_at)
      .Run();
}

Status ApplyReleaseAllWork(Connection& db) {
  // Claimed items are due at once: their claimer is gone.
  return db.Exec("UPDATE work SET leased_until = 0, due_at = 0 WHERE leased_until != 0");
}

}  // namespace loci::storage::sqlite
