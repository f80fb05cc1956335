#include "http/server.h"

#include <spdlog/spdlog.h>

#include <mutex>
#include <thread>
#include <vector>

#include "http/connection.h"
#include "util/this_thread.h"

namespace loci::http {

using internal::Connection;
using internal::ConnectionHub;
namespace asio = internal::asio;
using tcp = internal::tcp;

namespace {

struct HostPort {
  std::string host;
  std::string port;
};

// "host:port" or "[v6]:port"; nullopt when the shape is wrong.
std::optional<HostPort> SplitListen(const std::string& listen) {
  std::string host;
  std::string rest;
  if (!listen.empty() && listen.front() == '[') {
    const size_t close = listen.find(']');
    if (close == std::string::npos) return std::nullopt;
    host = listen.substr(1, close - 1);
    rest = listen.substr(close + 1);
  } else {
    const size_t colon = listen.rfind(':');
    if (colon == std::string::npos) return std::nullopt;
    host = listen.substr(0, colon);
    rest = listen.substr(colon);
  }
  if (host.empty() || rest.size() < 2 || rest.front() != ':') return std::nullopt;
  std::string port = rest.substr(1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535) {
    return std::nullopt;
  }
  return HostPort{host, port};
}

}  // namespace

class Server::Core {
 public:
  Core(ServerOptions options, RequestHandler handler)
      : io_(std::max(1, options.io_threads)),
        acceptor_(asio::make_strand(io_)),
        retry_timer_(acceptor_.get_executor()),
        workers_(static_cast<std::size_t>(std::max(1, options.worker_threads))),
        hub_(std::move(options), std::move(handler), workers_) {}

  ~Core() { Stop(); }

  Status Start() {
    std::lock_guard lock(control_mutex_);
    if (started_ || stopped_) return Internal("server already started");
    const ServerOptions& options = hub_.options();
    if (options.max_body_bytes == 0 || options.max_header_bytes == 0 ||
        options.max_connections == 0) {
      return InvalidArgument("server limits must be positive");
    }
    const std::optional<HostPort> address = SplitListen(options.listen);
    if (!address) return InvalidArgument("listen address must be host:port, got " + options.listen);

    boost::system::error_code ec;
    tcp::resolver resolver(io_);
    const auto endpoints = resolver.resolve(
        address->host, address->port, tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec || endpoints.empty()) {
      return InvalidArgument("cannot resolve listen address " + options.listen);
    }
    const tcp::endpoint endpoint = endpoints.begin()->endpoint();
    const std::string where = "cannot listen on " + options.listen + ": ";
    if (acceptor_.open(endpoint.protocol(), ec)) return Unavailable(where + ec.message());
    if (acceptor_.set_option(asio::socket_base::reuse_address(true), ec)) {
      return Unavailable(where + ec.message());
    }
    if (acceptor_.bind(endpoint, ec)) return Unavailable(where + ec.message());
    if (acceptor_.listen(asio::socket_base::max_listen_connections, ec)) {
      return Unavailable(where + ec.message());
    }
    port_ = acceptor_.local_endpoint(ec).port();

    started_ = true;
    Accept();
    for (int i = 0; i < std::max(1, options.io_threads); ++i) {
      io_threads_.emplace_back([this] {
        NameThisThread("loci-io");
        RunIo();
      });
    }
    spdlog::info("http: listening on {} (port {})", options.listen, port_);
    return Status::Ok();
  }

  int port() const { return port_; }

  void Stop() {
    std::lock_guard lock(control_mutex_);
    if (stopped_) return;
    stopped_ = true;
    if (!started_) return;

    // 1. No new connections; idle ones close, busy ones finish their answer and close.
    asio::post(acceptor_.get_executor(), [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      retry_timer_.cancel();
    });
    for (const auto& connection : hub_.BeginStop()) connection->BeginShutdown();

    // 2. Bounded wait for in-flight requests.
    const auto deadline = std::chrono::steady_clock::now() + hub_.options().shutdown_timeout;
    if (!hub_.WaitDrained(deadline)) {
      spdlog::warn("http: shutdown timeout; closing connections with requests still in flight");
    }

    // 3. Answers arriving from now on are dropped; then stop the threads.
    {
      std::unique_lock gate_lock(hub_.gate()->mutex);
      hub_.gate()->open = false;
    }
    work_.reset();
    io_.stop();
    for (std::thread& thread : io_threads_) thread.join();
    io_threads_.clear();
    workers_.stop();
    workers_.join();
    hub_.Clear();  // sockets close while their io_context still exists
    spdlog::info("http: stopped");
  }

 private:
  void RunIo() {
    while (true) {
      try {
        io_.run();
        return;
      } catch (const std::exception& e) {  // a bug; keep serving the other connections
        spdlog::error("http: exception on an I/O thread: {}", e.what());
      }
    }
  }

  void Accept() {
    acceptor_.async_accept(asio::make_strand(io_),
                           [this](boost::system::error_code ec, internal::Socket socket) {
                             OnAccept(ec, std::move(socket));
                           });
  }

  void OnAccept(boost::system::error_code ec, internal::Socket socket) {
    if (ec == asio::error::operation_aborted || hub_.stopping()) return;
    if (ec) {
      // Typically out of file descriptors: back off briefly instead of spinning.
      spdlog::warn("http: accept failed: {}", ec.message());
      retry_timer_.expires_after(std::chrono::milliseconds(50));
      retry_timer_.async_wait([this](boost::system::error_code wait_ec) {
        if (!wait_ec && !hub_.stopping()) Accept();
      });
      return;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto connection = std::make_shared<Connection>(std::move(socket), hub_);
    switch (hub_.Add(connection)) {
      case ConnectionHub::Admission::kAccepted:
        connection->Start();
        break;
      case ConnectionHub::Admission::kOverCapacity:
        connection->Reject();
        break;
      case ConnectionHub::Admission::kStopping:
        return;
    }
    Accept();
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  asio::thread_pool workers_;
  ConnectionHub hub_;
  std::vector<std::thread> io_threads_;
  std::mutex control_mutex_;
  bool started_ = false;
  bool stopped_ = false;
  int port_ = 0;
};

Server::Server(ServerOptions options, RequestHandler handler)
    : core_(std::make_unique<Core>(std::move(options), std::move(handler))) {}

Server::~Server() = default;

Status Server::Start() { return core_->Start(); }

int Server::port() const { return core_->port(); }

void Server::Stop() { core_->Stop(); }

}  // namespace loci::http
