#include "app/export_command.h"

#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "app/audit_command.h"
#include "app/store_setup.h"
#include "http/export_encoder.h"
#include "service/audited_memory_service.h"
#include "service/memory_service_impl.h"
#include "text/analyzer.h"
#include "util/ids.h"

namespace loci::app {
namespace {

// Where the export goes: stdout, or a file created owner-only (it holds personal data).
class Output {
 public:
  ~Output() {
    if (file_ != nullptr && file_ != stdout) std::fclose(file_);
  }

  Status Open(const std::string& path) {
    if (path.empty() || path == "-") {
      file_ = stdout;
      return Status::Ok();
    }
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return Unavailable("cannot create " + path + ": " + std::strerror(errno));
    file_ = ::fdopen(fd, "wb");
    if (file_ == nullptr) {
      ::close(fd);
      return Internal("cannot open " + path);
    }
    path_ = path;
    return Status::Ok();
  }

  Status Write(const std::string& piece) {
    if (!piece.empty() && std::fwrite(piece.data(), 1, piece.size(), file_) != piece.size()) {
      return Unavailable(std::string("cannot write the export: ") + std::strerror(errno));
    }
    return Status::Ok();
  }

  // Flushes and closes; an error here (a full disk) fails the export.
  Status Finish() {
    FILE* file = file_;
    file_ = nullptr;
    const bool ok = std::fflush(file) == 0 && (file == stdout || std::fclose(file) == 0);
    if (!ok) return Unavailable(std::string("cannot write the export: ") + std::strerror(errno));
    return Status::Ok();
  }

  // After a failure: removes a partly written file.
  void Discard() {
    if (file_ != nullptr && file_ != stdout) std::fclose(file_);
    file_ = nullptr;
    if (!path_.empty()) std::filesystem::remove(path_);
  }

 private:
  FILE* file_ = nullptr;
  std::string path_;
};

// "[#######.............]  3,584 / 10,000 messages" on one terminal line, redrawn in place.
class Progress {
 public:
  explicit Progress(std::int64_t total) : total_(total), shown_(::isatty(STDERR_FILENO) == 1) {}

  void Show(std::int64_t done) {
    if (!shown_) return;
    constexpr int kWidth = 30;
    const std::int64_t total = std::max<std::int64_t>(total_, done);
    const int filled = total == 0 ? kWidth : static_cast<int>(done * kWidth / total);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::fprintf(stderr, "\r[%s] %lld / %lld messages", bar.c_str(), static_cast<long long>(done),
                 static_cast<long long>(total));
    std::fflush(stderr);
  }

  void Done() {
    if (shown_) std::fputc('\n', stderr);
  }

 private:
  std::int64_t total_;
  bool shown_;
};

Status Export(service::MemoryService& memory, const ExportOptions& options, Output& output) {
  const http::ExportFormat format =
      options.format == "ndjson" ? http::ExportFormat::kNdjson : http::ExportFormat::kJson;
  // Recorded in the audit log as the command line's doing (no API key is involved).
  service::Caller caller{.tenant = options.tenant, .key_id = "cli", .request_id = NewRequestId()};
  ASSIGN_OR_RETURN(std::unique_ptr<service::UserExport> exported,
                   memory.Export(caller, options.user_id));
  http::ExportEncoder encoder(format);
  Progress progress(exported->header().message_count);
  std::string piece;
  encoder.Begin(exported->header(), piece);
  RETURN_IF_ERROR(output.Write(piece));
  progress.Show(0);
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<model::Message> page, exported->NextPage());
    if (page.empty()) break;
    RETURN_IF_ERROR(encoder.Messages(page, piece));
    RETURN_IF_ERROR(output.Write(piece));
    progress.Show(encoder.messages_written());
  }
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<service::AuditEntry> events, exported->NextAuditPage());
    if (events.empty()) break;
    encoder.AuditEvents(events, piece);
    RETURN_IF_ERROR(output.Write(piece));
  }
  encoder.End(piece);
  RETURN_IF_ERROR(output.Write(piece));
  progress.Done();
  return output.Finish();
}

}  // namespace

CLI::App* AddExportCommand(CLI::App& app, ExportOptions& options) {
  CLI::App* command = app.add_subcommand(
      "export", "Write everything held about a user as JSON or NDJSON (reads LOCI_DATA_DIR)");
  command->add_option("user_id", options.user_id, "The user to export")->required();
  command->add_option("--tenant", options.tenant, "The user's tenant")->capture_default_str();
  command
      ->add_option("--format", options.format, "json (one document) or ndjson (one object a line)")
      ->check(CLI::IsMember({"json", "ndjson"}))
      ->capture_default_str();
  command->add_option("--output,-o", options.output, "Write to this file instead of stdout");
  return command;
}

int RunExport(const Config& config, const ExportOptions& options) {
  const std::string path = DatabasePath(config.data_dir);
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    std::fprintf(stderr, "loci export: no database at %s (set LOCI_DATA_DIR)\n", path.c_str());
    return 1;
  }
  auto store = OpenStore(config, 1);
  if (!store.ok()) {
    std::fprintf(stderr, "loci export: cannot open the database: %s\n",
                 store.status().ToString().c_str());
    return 1;
  }
  // The export goes through the audited service, as the route's does: it is recorded, and it
  // holds the user's audit events.
  auto audit = OpenAuditLog(*store, SystemClock());
  if (!audit.ok()) {
    std::fprintf(stderr, "loci export: cannot open the audit log: %s\n",
                 audit.status().ToString().c_str());
    store->engine->Close();
    return 1;
  }
  text::Analyzer analyzer;
  service::Limits limits;
  limits.context_cache_bytes = 0;
  service::MemoryServiceImpl inner(*store->store, analyzer, SystemClock(), limits);
  service::AuditedMemoryService memory(inner, **audit);

  Output output;
  Status status = output.Open(options.output);
  if (status.ok()) status = Export(memory, options, output);
  // The export's event is durable before the store closes (had it failed, NextAuditPage
  // would have failed the export).
  (*audit)->Flush();
  if (!status.ok()) {
    output.Discard();
    if (status.code() == StatusCode::kNotFound) {
      std::fprintf(stderr, "loci export: no data is held about user \"%s\" in tenant \"%s\"\n",
                   options.user_id.c_str(), options.tenant.c_str());
    } else {
      std::fprintf(stderr, "loci export: %s\n", status.ToString().c_str());
    }
    store->engine->Close();
    return 1;
  }
  store->engine->Close();
  return 0;
}

}  // namespace loci::app
