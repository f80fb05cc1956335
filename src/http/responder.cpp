#include "http/responder.h"

#include <atomic>
#include <utility>

namespace loci::http {

struct Responder::State {
  explicit State(Sink s) : sink(std::move(s)) {}
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() {
    if (answered.exchange(true)) return;
    try {
      sink(FallbackInternalError());
    } catch (...) {  // a destructor must not throw; the connection times out instead
    }
  }

  Sink sink;
  std::atomic<bool> answered{false};
};

Responder::Responder(Sink sink) : state_(std::make_shared<State>(std::move(sink))) {}

void Responder::operator()(Response response) const {
  if (state_->answered.exchange(true)) return;
  state_->sink(std::move(response));
}

bool Responder::answered() const { return state_->answered.load(); }

Response FallbackInternalError() {
  Response response;
  response.status = 500;
  response.headers.Set("Content-Type", "application/json");
  response.body = R"({"error":{"code":"internal","message":"internal error"}})";
  return response;
}

}  // namespace loci::http
