// Internal to the server (included by server.cpp and connection.cpp only; it pulls in Beast):
// one client connection's state machine, and what connections share with the server.
//
// A connection alternates: wait for a request (idle timeout) → read it whole (read timeout,
// header and body limits) → hand it to the request handler, on the strand (which answers at
// once or defers its work to a worker) → write the answer (write timeout) → again, or close. A
// streamed answer (Response::stream) is written as its header, then piece after piece: a worker
// makes a piece, the strand writes it (write timeout per piece), and only then is the next piece
// asked for. Everything a connection does runs on its strand; only Deliver is called from other
// threads.
#pragma once

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "http/responder.h"
#include "http/server.h"

namespace loci::http::internal {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
// A connection's executor: a strand of the server's io_context, by its concrete type (an
// asio::any_io_executor would allocate on every asynchronous operation).
using Strand = asio::strand<asio::io_context::executor_type>;
using Socket = asio::basic_stream_socket<tcp, Strand>;

class Connection;

// Lets answers reach connections only while the I/O side is alive. A Responder called after
// the server stopped (say, by a storage thread finishing late) finds the gate closed and drops
// its answer instead of touching a destroyed io_context.
struct ResponseGate {
  std::shared_mutex mutex;
  bool open = true;  // guarded by mutex
};

// What every connection of one server shares. Owned by the server; outlives every connection
// method call (connections only run on the server's threads, which Stop joins).
class ConnectionHub {
 public:
  enum class Admission { kAccepted, kOverCapacity, kStopping };

  ConnectionHub(ServerOptions options, RequestHandler handler, asio::thread_pool& workers);

  const ServerOptions& options() const { return options_; }
  const std::shared_ptr<ResponseGate>& gate() const { return gate_; }
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }

  // Runs the handler for a complete request on the calling thread (the connection's strand),
  // with a Defer that runs work on the worker pool. An exception from either answers 500.
  void Dispatch(Request request, Responder respond);
  // Runs `work` on the worker pool (producing a piece of a streamed body).
  void RunOnWorker(std::function<void()> work);

  // Keeps `connection` alive until Remove. kOverCapacity still registers it (it answers 503
  // and closes); kStopping does not.
  Admission Add(const std::shared_ptr<Connection>& connection);
  void Remove(Connection* connection);

  // Marks the server stopping and returns the open connections.
  std::vector<std::shared_ptr<Connection>> BeginStop();
  // Waits until every connection has closed or `deadline` passes; true when all closed.
  bool WaitDrained(std::chrono::steady_clock::time_point deadline);
  // Drops the hub's references (closing what is left). REQUIRES: the I/O threads are joined.
  void Clear();

 private:
  ServerOptions options_;
  RequestHandler handler_;
  asio::thread_pool& workers_;
  std::shared_ptr<ResponseGate> gate_ = std::make_shared<ResponseGate>();
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable drained_;
  std::unordered_map<Connection*, std::shared_ptr<Connection>> connections_;  // guarded
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Socket socket, ConnectionHub& hub);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Starts serving requests.
  void Start();
  // Answers 503 (too many connections) and closes.
  void Reject();
  // Closes now if no request is being handled; otherwise closes after writing its answer.
  void BeginShutdown();
  // Writes `response` as the answer to the request being handled: at once when called on the
  // connection's strand, else soon after. Any thread.
  void Deliver(Response response);

 private:
  enum class Phase { kIdle, kReading, kHandling, kWriting, kLingering, kClosed };

  void ReadNext();
  void OnFirstBytes(beast::error_code ec, std::size_t bytes);
  void ParseBuffered();
  void ReadHeader();
  void OnHeader(beast::error_code ec);
  void ReadBody();
  void OnReadError(beast::error_code ec);
  void DispatchRequest();
  Responder MakeResponder();
  void OnAnswer(Response response);
  void Write(Response response, bool linger);
  template <class Body>
  struct Outgoing;
  // Writes `outgoing`'s message, given its body, with the rest of `response` (status, header
  // fields).
  template <class Body>
  void Send(std::shared_ptr<Outgoing<Body>> outgoing, const Response& response, bool keep_alive,
            bool linger);
  void OnWritten(beast::error_code ec, bool keep_alive, bool linger);
  // The streamed answer: header, then pieces until the stream ends, fails or the client goes.
  void WriteStreamed(Response response, bool keep_alive);
  void ProducePiece();
  void OnPiece(Result<bool> more);
  void OnPieceWritten(beast::error_code ec);
  void FailAndClose(Response response);
  void Linger();
  void OnLingerRead(beast::error_code ec, std::size_t bytes);
  void Close();

  ConnectionHub& hub_;
  beast::basic_stream<tcp, Strand> stream_;
  beast::flat_buffer buffer_;
  std::optional<beast::http::request_parser<beast::http::string_body>> parser_;
  std::shared_ptr<void> in_flight_write_;  // the message being written
  struct Streaming;
  std::shared_ptr<Streaming> streaming_;  // the streamed answer being written, if any
  Phase phase_ = Phase::kIdle;
  // Of the request being handled:
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_ = false;
  std::string request_id_header_;
  std::size_t lingered_bytes_ = 0;
};

}  // namespace loci::http::internal
