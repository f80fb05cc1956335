// FakeProvider: a small local HTTP server on 127.0.0.1 (port 0) that speaks the two
// OpenAI-compatible protocols Loci calls (/v1/embeddings, /v1/chat/completions), and can be
// told to answer otherwise: slowly, with an error status, a Retry-After, malformed JSON.
// It stands in for the paid providers, which unit tests must not call.
// Without a scripted reply, embeddings are deterministic per input text (the data items in
// reverse order, so clients must match them by index) and a chat answer is "echo: " and the
// user message. Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "embed/openai_chat_model.h"

namespace loci::testing {

class FakeProvider {
 public:
  struct Reply {
    int status = 200;
    std::string body;  // empty with status 200: the protocol's default answer
    std::vector<std::pair<std::string, std::string>> headers;
    std::chrono::milliseconds delay{0};  // before answering
  };
  struct Request {
    std::string path;
    std::string authorization;  // the Authorization header, or empty
    nlohmann::json body;        // null when not JSON
  };

  FakeProvider();
  ~FakeProvider();
  FakeProvider(const FakeProvider&) = delete;
  FakeProvider& operator=(const FakeProvider&) = delete;

  // "http://127.0.0.1:<port>".
  std::string url() const;
  // The next requests get these replies, in order, before the default answers resume.
  void Enqueue(Reply reply);
  // Every request received so far.
  std::vector<Request> requests() const;
  void set_dimensions(int dimensions);

  // The default embedding of `text`: deterministic, not normalized.
  static std::vector<float> VectorOf(const std::string& text, int dimensions);

 private:
  void AcceptLoop();
  void Serve(int connection);
  Reply Answer(const Request& request);

  int listener_ = -1;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable stopping_;
  bool stop_ = false;
  std::deque<Reply> scripted_;
  std::vector<Request> requests_;
  int dimensions_ = 8;
  std::thread acceptor_;
  std::vector<std::thread> workers_;
};

// Chat client options for tests against `provider`: model "test-chat", a 300 ms timeout, two
// attempts and no real sleep between them.
embed::OpenAiChatOptions ChatOptionsFor(const FakeProvider& provider);

}  // namespace loci::testing
