#include "http/connection.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "http/error_mapping.h"
#include "http/request_id.h"

namespace loci::http::internal {
namespace http = beast::http;

namespace {

constexpr std::size_t kReadChunk = std::size_t{16} * 1024;
const beast::string_view kRequestIdField(kRequestIdHeader.data(), kRequestIdHeader.size());
// After an error answer, how long and how much to keep reading (and discarding) so the client
// receives the answer instead of a reset caused by its unread upload.
constexpr std::chrono::milliseconds kMaxLinger{2000};

bool IsParseError(const beast::error_code& ec) {
  return ec.category() == beast::http::make_error_code(http::error::bad_method).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message &&
         ec != http::error::need_more;
}

// The status line and header fields of `response`, with X-Request-Id when it has none.
template <class Body>
void FillHeader(http::response<Body>& message, unsigned version, const Response& response,
                const std::string& request_id_header) {
  message.version(version);
  message.result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : response.headers.entries()) message.set(name, value);
  if (!response.headers.Has(kRequestIdHeader)) {
    message.set(kRequestIdField,
                ResolveRequestId(request_id_header.empty()
                                     ? std::nullopt
                                     : std::optional<std::string_view>(request_id_header)));
  }
}

// A body of shared, immutable bytes (Response::shared_body), written from where they are.
struct SharedBody {
  using value_type = std::shared_ptr<const std::string>;

  static std::uint64_t size(const value_type& body) { return body ? body->size() : 0; }

  class writer {
   public:
    using const_buffers_type = asio::const_buffer;

    template <bool isRequest, class Fields>
    writer(const http::header<isRequest, Fields>& /*header*/, const value_type& body)
        : body_(body) {}

    void init(beast::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(beast::error_code& ec) {
      ec = {};
      if (!body_ || body_->empty()) return boost::none;
      return {{const_buffers_type(body_->data(), body_->size()), false}};
    }

   private:
    const value_type& body_;
  };
};

// Runs `work`, answering 500 when it throws. The API handler has its own catch-all: a backstop.
template <class Work>
void Backstop(const Responder& respond, std::string_view what, const Work& work) {
  try {
    work();
  } catch (const std::exception& e) {
    spdlog::error("http: {} threw: {}", what, e.what());
    respond(FallbackInternalError());
  } catch (...) {
    spdlog::error("http: {} threw a non-exception", what);
    respond(FallbackInternalError());
  }
}

}  // namespace

// A streamed answer in progress. The strand owns it; a worker touches `body` and `piece` only
// between ProducePiece and OnPiece, while the strand leaves them alone.
struct Connection::Streaming {
  explicit Streaming(std::shared_ptr<BodyStream> stream) : body(std::move(stream)) {}

  http::response<http::empty_body> header;
  std::optional<http::response_serializer<http::empty_body>> serializer;
  std::shared_ptr<BodyStream> body;
  std::string piece;
  bool chunked = true;  // false for HTTP/1.0: the body then ends when the connection closes
  bool keep_alive = false;
};

// An answer being written: the message, and the serializer that tracks how much of it went.
template <class Body>
struct Connection::Outgoing {
  http::response<Body> message;
  http::response_serializer<Body> serializer{message};
};

ConnectionHub::ConnectionHub(ServerOptions options, RequestHandler handler,
                             asio::thread_pool& workers)
    : options_(std::move(options)), handler_(std::move(handler)), workers_(workers) {}

void ConnectionHub::Dispatch(Request request, Responder respond) {
  const Defer defer = [this, respond](std::function<void()> work) {
    asio::post(workers_, [respond, work = std::move(work)] {
      Backstop(respond, "deferred request work", work);
    });
  };
  Backstop(respond, "request handler", [&] { handler_(std::move(request), respond, defer); });
}

void ConnectionHub::RunOnWorker(std::function<void()> work) {
  asio::post(workers_, std::move(work));
}

ConnectionHub::Admission ConnectionHub::Add(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mutex_);
  if (stopping()) return Admission::kStopping;
  const bool over = connections_.size() >= options_.max_connections;
  connections_.emplace(connection.get(), connection);
  return over ? Admission::kOverCapacity : Admission::kAccepted;
}

void ConnectionHub::Remove(Connection* connection) {
  std::shared_ptr<Connection> released;  // destroyed outside the lock
  std::lock_guard lock(mutex_);
  const auto it = connections_.find(connection);
  if (it == connections_.end()) return;
  released = std::move(it->second);
  connections_.erase(it);
  if (connections_.empty()) drained_.notify_all();
}

std::vector<std::shared_ptr<Connection>> ConnectionHub::BeginStop() {
  std::lock_guard lock(mutex_);
  stopping_.store(true, std::memory_order_release);
  std::vector<std::shared_ptr<Connection>> open;
  open.reserve(connections_.size());
  for (const auto& [key, connection] : connections_) open.push_back(connection);
  return open;
}

bool ConnectionHub::WaitDrained(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return drained_.wait_until(lock, deadline, [this] { return connections_.empty(); });
}

void ConnectionHub::Clear() {
  std::unordered_map<Connection*, std::shared_ptr<Connection>> left;
  {
    std::lock_guard lock(mutex_);
    left.swap(connections_);
  }
}

Connection::Connection(Socket socket, ConnectionHub& hub) : hub_(hub), stream_(std::move(socket)) {}

void Connection::Start() {
  // Writes first try the socket directly (Send): it must answer "would block", not wait.
  beast::error_code ignored;
  stream_.socket().non_blocking(true, ignored);
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadNext(); });
}

void Connection::Reject() {
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    self->phase_ = Phase::kHandling;
    self->FailAndClose(ErrorResponse(503, "unavailable", "too many connections; retry later"));
  });
}

void Connection::BeginShutdown() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->phase_ == Phase::kIdle || self->phase_ == Phase::kReading) self->Close();
    // kHandling and kWriting close after their answer (hub_.stopping() turns keep-alive off);
    // kLingering closes on its own.
  });
}

void Connection::Deliver(Response response) {
  // On the strand (a handler answering at once) this writes now; elsewhere it queues.
  asio::dispatch(stream_.get_executor(),
                 [self = shared_from_this(), response = std::move(response)]() mutable {
                   self->OnAnswer(std::move(response));
                 });
}

void Connection::ReadNext() {
  if (phase_ == Phase::kClosed) return;
  if (hub_.stopping()) return Close();
  const ServerOptions& options = hub_.options();
  parser_.emplace();
  parser_->body_limit(options.max_body_bytes);
  parser_->header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  if (buffer_.size() > 0) return ParseBuffered();  // a pipelined request is already here
  // Waiting for the next request may take the idle timeout; once its first byte arrives, the
  // whole request must arrive within the read timeout.
  phase_ = Phase::kIdle;
  stream_.expires_after(options.idle_timeout);
  stream_.async_read_some(buffer_.prepare(kReadChunk),
                          [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                            self->OnFirstBytes(ec, bytes);
                          });
}

void Connection::OnFirstBytes(beast::error_code ec, std::size_t bytes) {
  if (phase_ == Phase::kClosed) return;
  if (ec) return Close();  // idle timeout, the client left, or shutdown
  buffer_.commit(bytes);
  ParseBuffered();
}

void Connection::ParseBuffered() {
  // Most requests arrive whole in one read: parsing them here saves the asynchronous reads
  // their trips through the event loop. Only a request not all here yet reads on.
  phase_ = Phase::kReading;
  beast::error_code ec;
  while (buffer_.size() > 0 && !parser_->is_done()) {
    const std::size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == http::error::need_more) break;
    if (ec) return OnReadError(ec);
    if (used == 0) break;
  }
  if (parser_->is_done()) return DispatchRequest();
  if (!parser_->is_header_done()) return ReadHeader();
  stream_.expires_after(hub_.options().read_timeout);
  OnHeader(beast::error_code());
}

void Connection::ReadHeader() {
  phase_ = Phase::kReading;
  stream_.expires_after(hub_.options().read_timeout);
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
}

void Connection::OnHeader(beast::error_code ec) {
  if (phase_ == Phase::kClosed) return;
  if (ec) return OnReadError(ec);
  if (parser_->is_done()) return DispatchRequest();
  const auto& header = parser_->get();
  if (header.version() >= 11 && beast::iequals(header[http::field::expect], "100-continue")) {
    // The client waits for this before sending its body (curl does for larger bodies).
    auto interim = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                      header.version());
    in_flight_write_ = interim;
    http::async_write(stream_, *interim,
                      [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                        self->in_flight_write_.reset();
                        if (self->phase_ == Phase::kClosed) return;
                        if (write_ec) return self->Close();
                        self->ReadBody();
                      });
    return;
  }
  ReadBody();
}

void Connection::ReadBody() {
  // The read deadline set for the header covers the body too.
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) {
                     if (self->phase_ == Phase::kClosed) return;
                     if (ec) return self->OnReadError(ec);
                     self->DispatchRequest();
                   });
}

void Connection::OnReadError(beast::error_code ec) {
  const ServerOptions& options = hub_.options();
  if (ec == http::error::body_limit) {
    return FailAndClose(ErrorResponse(
        413, "payload_too_large",
        "request body exceeds the limit of " + std::to_string(options.max_body_bytes) + " bytes"));
  }
  if (ec == http::error::header_limit) {
    return FailAndClose(ErrorResponse(431, "header_too_large",
                                      "request header exceeds the limit of " +
                                          std::to_string(options.max_header_bytes) + " bytes"));
  }
  if (IsParseError(ec)) {
    spdlog::debug("http: malformed request: {}", ec.message());
    return FailAndClose(ErrorResponse(400, "invalid_argument", "malformed HTTP request"));
  }
  // Timeout, end of stream, reset: nobody to answer.
  spdlog::debug("http: connection dropped while reading: {}", ec.message());
  Close();
}

void Connection::DispatchRequest() {
  stream_.expires_never();  // the handler's time is not the client's fault
  phase_ = Phase::kHandling;
  http::request<http::string_body> message = parser_->release();
  parser_.reset();
  version_ = message.version();
  keep_alive_ = message.keep_alive();
  head_ = message.method() == http::verb::head;
  request_id_header_ = std::string(message[kRequestIdField]);

  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  request.version = static_cast<int>(message.version());
  for (const auto& field : message) {
    request.headers.Add(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  hub_.Dispatch(std::move(request), MakeResponder());
}

Responder Connection::MakeResponder() {
  return Responder([weak = weak_from_this(), gate = hub_.gate()](Response response) {
    std::shared_lock lock(gate->mutex);
    if (!gate->open) return;  // the server has stopped; nobody is listening any more
    if (auto self = weak.lock()) self->Deliver(std::move(response));
  });
}

void Connection::OnAnswer(Response response) {
  if (phase_ != Phase::kHandling) return;  // closed meanwhile (shutdown deadline)
  Write(std::move(response), /*linger=*/false);
}

void Connection::FailAndClose(Response response) {
  // The request (if any) is unusable: answer from what the header gave, then close.
  if (parser_) {
    version_ = parser_->get().version() == 10 ? 10 : 11;
    request_id_header_ = std::string(parser_->get()[kRequestIdField]);
  }
  head_ = false;
  keep_alive_ = false;
  response.close = true;
  Write(std::move(response), /*linger=*/true);
}

void Connection::Write(Response response, bool linger) {
  const bool keep_alive = keep_alive_ && !response.close && !hub_.stopping();
  if (response.stream && !linger) return WriteStreamed(std::move(response), keep_alive);
  if (response.shared_body) {
    auto outgoing = std::make_shared<Outgoing<SharedBody>>();
    outgoing->message.body() = std::move(response.shared_body);
    return Send(std::move(outgoing), response, keep_alive, linger);
  }
  auto outgoing = std::make_shared<Outgoing<http::string_body>>();
  outgoing->message.body() = std::move(response.body);
  Send(std::move(outgoing), response, keep_alive, linger);
}

template <class Body>
void Connection::Send(std::shared_ptr<Outgoing<Body>> outgoing, const Response& response,
                      bool keep_alive, bool linger) {
  http::response<Body>& message = outgoing->message;
  FillHeader(message, version_, response, request_id_header_);
  message.keep_alive(keep_alive);
  message.prepare_payload();
  if (head_) message.body() = {};  // HEAD: the length of the body, without the body

  phase_ = Phase::kWriting;
  // The socket takes most answers whole at once: written here, they need no asynchronous
  // write. What it cannot take now is written asynchronously, under the write timeout.
  beast::error_code ec;
  http::write(stream_.socket(), outgoing->serializer, ec);
  if (ec != asio::error::would_block && ec != asio::error::try_again) {
    return OnWritten(ec, keep_alive, linger);
  }
  in_flight_write_ = outgoing;
  stream_.expires_after(hub_.options().write_timeout);
  http::async_write(
      stream_, outgoing->serializer,
      [self = shared_from_this(), keep_alive, linger](beast::error_code write_ec, std::size_t) {
        self->OnWritten(write_ec, keep_alive, linger);
      });
}

void Connection::OnWritten(beast::error_code ec, bool keep_alive, bool linger) {
  in_flight_write_.reset();
  if (phase_ == Phase::kClosed) return;
  if (ec) return Close();
  if (linger) return Linger();
  if (!keep_alive) return Close();
  ReadNext();
}

void Connection::WriteStreamed(Response response, bool keep_alive) {
  auto streaming = std::make_shared<Streaming>(std::move(response.stream));
  streaming->chunked = version_ >= 11;
  // HTTP/1.0 has no chunked encoding: the end of the connection is the end of the body.
  streaming->keep_alive = keep_alive && streaming->chunked;
  FillHeader(streaming->header, version_, response, request_id_header_);
  streaming->header.keep_alive(streaming->keep_alive);
  if (streaming->chunked) streaming->header.chunked(true);
  streaming->serializer.emplace(streaming->header);
  if (head_) streaming->body.reset();  // HEAD: the header of the answer, without the body

  phase_ = Phase::kWriting;
  streaming_ = streaming;
  stream_.expires_after(hub_.options().write_timeout);
  http::async_write_header(stream_, *streaming->serializer,
                           [self = shared_from_this()](beast::error_code ec, std::size_t) {
                             if (self->phase_ == Phase::kClosed) return;
                             if (ec) return self->Close();
                             if (!self->streaming_->body) {  // HEAD
                               const bool keep_alive = self->streaming_->keep_alive;
                               self->streaming_.reset();
                               return self->OnWritten(ec, keep_alive, /*linger=*/false);
                             }
                             self->ProducePiece();
                           });
}

void Connection::ProducePiece() {
  stream_.expires_never();  // making the piece is not the client's time
  hub_.RunOnWorker([self = shared_from_this(), streaming = streaming_] {
    Result<bool> more = false;
    try {
      more = streaming->body->Next(streaming->piece);
    } catch (const std::exception& e) {
      more = Internal(std::string("body stream threw: ") + e.what());
    } catch (...) {
      more = Internal("body stream threw a non-exception");
    }
    asio::post(self->stream_.get_executor(),
               [self, more = std::move(more)]() mutable { self->OnPiece(std::move(more)); });
  });
}

void Connection::OnPiece(Result<bool> more) {
  if (phase_ == Phase::kClosed || !streaming_) return;
  if (!more.ok()) {
    // The status line went out long ago: all that is left is not to end the body, so that
    // the client sees it cut short.
    spdlog::error("http: streamed response failed mid-body: {}", more.status().ToString());
    streaming_.reset();
    return Close();
  }
  Streaming& streaming = *streaming_;
  stream_.expires_after(hub_.options().write_timeout);
  if (!*more) {
    const bool keep_alive = streaming.keep_alive;
    if (!streaming.chunked) {
      streaming_.reset();
      return OnWritten(beast::error_code(), /*keep_alive=*/false, /*linger=*/false);
    }
    return asio::async_write(
        stream_, http::make_chunk_last(),
        [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
          self->streaming_.reset();
          self->OnWritten(ec, keep_alive, /*linger=*/false);
        });
  }
  if (streaming.piece.empty()) return ProducePiece();  // an empty chunk would end the body
  const asio::const_buffer piece(streaming.piece.data(), streaming.piece.size());
  auto on_written = [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->OnPieceWritten(ec);
  };
  if (streaming.chunked) {
    asio::async_write(stream_, http::make_chunk(piece), std::move(on_written));
  } else {
    asio::async_write(stream_, piece, std::move(on_written));
  }
}

void Connection::OnPieceWritten(beast::error_code ec) {
  if (phase_ == Phase::kClosed || !streaming_) return;
  if (ec) {  // the client left or stopped reading (write timeout): stop producing
    spdlog::debug("http: streamed response not delivered: {}", ec.message());
    streaming_.reset();
    return Close();
  }
  ProducePiece();
}

void Connection::Linger() {
  phase_ = Phase::kLingering;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  buffer_.clear();
  lingered_bytes_ = 0;
  stream_.expires_after(
      std::min<std::chrono::milliseconds>(kMaxLinger, hub_.options().read_timeout));
  stream_.async_read_some(buffer_.prepare(kReadChunk),
                          [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                            self->OnLingerRead(ec, bytes);
                          });
}

void Connection::OnLingerRead(beast::error_code ec, std::size_t bytes) {
  if (phase_ == Phase::kClosed) return;
  lingered_bytes_ += bytes;
  const std::size_t max_linger_bytes =
      std::max<std::size_t>(4 * hub_.options().max_body_bytes, std::size_t{1024} * 1024);
  if (ec || lingered_bytes_ > max_linger_bytes || hub_.stopping()) return Close();
  stream_.async_read_some(buffer_.prepare(kReadChunk),
                          [self = shared_from_this()](beast::error_code read_ec, std::size_t n) {
                            self->OnLingerRead(read_ec, n);
                          });
}

void Connection::Close() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.close();
  parser_.reset();
  streaming_.reset();  // a piece being made still finishes, and is then dropped
  hub_.Remove(this);   // the caller's handler still holds a reference
}

}  // namespace loci::http::internal
