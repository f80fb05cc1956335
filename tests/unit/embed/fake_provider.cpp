#include "unit/embed/fake_provider.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>

namespace loci::testing {
namespace {

bool SendAll(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// The value of header `name` (lower-case) in `head`, or empty.
std::string Header(const std::string& head, const std::string& name) {
  std::string lower = head;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::size_t at = lower.find("\r\n" + name + ":");
  if (at == std::string::npos) return "";
  std::size_t begin = at + 3 + name.size();
  while (begin < head.size() && head[begin] == ' ') ++begin;
  return head.substr(begin, head.find("\r\n", begin) - begin);
}

}  // namespace

FakeProvider::FakeProvider() {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::listen(listener_, 64) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::abort();
  }
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

FakeProvider::~FakeProvider() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  stopping_.notify_all();
  acceptor_.join();
  for (std::thread& worker : workers_) worker.join();
  ::close(listener_);
}

std::string FakeProvider::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void FakeProvider::Enqueue(Reply reply) {
  std::lock_guard lock(mutex_);
  scripted_.push_back(std::move(reply));
}

std::vector<FakeProvider::Request> FakeProvider::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void FakeProvider::set_dimensions(int dimensions) {
  std::lock_guard lock(mutex_);
  dimensions_ = dimensions;
}

std::vector<float> FakeProvider::VectorOf(const std::string& text, int dimensions) {
  std::vector<float> vector(dimensions);
  std::size_t seed = std::hash<std::string>{}(text);
  for (float& x : vector) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    x = static_cast<float>(static_cast<int>(seed >> 40) % 1000 - 500) / 100.0f;
  }
  return vector;
}

void FakeProvider::AcceptLoop() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stop_) return;
    }
    pollfd ready{listener_, POLLIN, 0};
    if (::poll(&ready, 1, 50) <= 0) continue;
    const int connection = ::accept(listener_, nullptr, nullptr);
    if (connection < 0) continue;
    std::lock_guard lock(mutex_);
    workers_.emplace_back([this, connection] { Serve(connection); });
  }
}

void FakeProvider::Serve(int connection) {
  std::string data;
  char buffer[65536];
  std::size_t head_end;
  while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
    const ssize_t n = ::recv(connection, buffer, sizeof(buffer), 0);
    if (n <= 0) return (void)::close(connection);
    data.append(buffer, static_cast<std::size_t>(n));
  }
  const std::string head = data.substr(0, head_end);
  const std::size_t length = std::strtoul(Header(head, "content-length").c_str(), nullptr, 10);
  std::string body = data.substr(head_end + 4);
  while (body.size() < length) {
    const ssize_t n = ::recv(connection, buffer, sizeof(buffer), 0);
    if (n <= 0) return (void)::close(connection);
    body.append(buffer, static_cast<std::size_t>(n));
  }
  Request request;
  const std::size_t path_begin = head.find(' ') + 1;
  request.path = head.substr(path_begin, head.find(' ', path_begin) - path_begin);
  request.authorization = Header(head, "authorization");
  request.body = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  const Reply reply = Answer(request);
  {
    std::unique_lock lock(mutex_);
    requests_.push_back(std::move(request));
    stopping_.wait_for(lock, reply.delay, [this] { return stop_; });
  }
  std::string response = "HTTP/1.1 " + std::to_string(reply.status) + " Fake\r\n" +
                         "Content-Type: application/json\r\nConnection: close\r\n" +
                         "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
  for (const auto& [name, value] : reply.headers) response += name + ": " + value + "\r\n";
  SendAll(connection, response + "\r\n" + reply.body);
  ::close(connection);
}

FakeProvider::Reply FakeProvider::Answer(const Request& request) {
  std::lock_guard lock(mutex_);
  Reply reply;
  if (!scripted_.empty()) {
    reply = std::move(scripted_.front());
    scripted_.pop_front();
    if (reply.status != 200 || !reply.body.empty()) return reply;
  }
  if (request.path.ends_with("/embeddings") && request.body.contains("input")) {
    nlohmann::json data = nlohmann::json::array();
    const nlohmann::json& inputs = request.body["input"];
    for (std::size_t i = inputs.size(); i-- > 0;) {
      data.push_back({{"object", "embedding"},
                      {"index", i},
                      {"embedding", VectorOf(inputs[i].get<std::string>(), dimensions_)}});
    }
    reply.body = nlohmann::json{{"object", "list"}, {"data", data}}.dump();
  } else if (request.path.ends_with("/chat/completions") && request.body.contains("messages")) {
    const std::string user = request.body["messages"].back().value("content", "");
    nlohmann::json message = {{"role", "assistant"}, {"content", "echo: " + user}};
    reply.body = nlohmann::json{{"choices",
                                 {{{"index", 0}, {"message", message}, {"finish_reason", "stop"}}}}}
                     .dump();
  } else {
    reply.status = 404;
    reply.body = R"({"error":{"type":"not_found"}})";
  }
  return reply;
}

embed::OpenAiChatOptions ChatOptionsFor(const FakeProvider& provider) {
  embed::OpenAiChatOptions options;
  options.url = provider.url();
  options.model = "test-chat";
  options.http.total_timeout = std::chrono::milliseconds(300);
  options.http.max_attempts = 2;
  options.sleeper = [](std::chrono::milliseconds) {};
  return options;
}

}  // namespace loci::testing
