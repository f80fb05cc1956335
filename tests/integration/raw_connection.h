// RawConnection: a plain TCP connection for tests that must put exact bytes on the wire
// (pipelining, chunked bodies, HTTP/1.0, garbage), which an HTTP client would not send.
// Thread-safety: one thread at a time.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace loci::integration {

class RawConnection {
 public:
  // Connects to host:port; connected() tells whether it worked.
  RawConnection(const std::string& host, int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }

  // Writes all of `bytes`; false when the connection failed.
  bool Send(const std::string& bytes);

  // Reads until `done(received so far)` holds, the peer closes, or `timeout` passes. Returns
  // everything received on this connection so far.
  std::string ReadUntil(const std::function<bool(const std::string&)>& done,
                        std::chrono::milliseconds timeout);

  // True once the peer closed the connection (seen by a read).
  bool peer_closed() const { return peer_closed_; }

 private:
  int fd_ = -1;
  bool peer_closed_ = false;
  std::string received_;
};

// How many times `needle` occurs in `haystack`.
int CountOccurrences(const std::string& haystack, const std::string& needle);

}  // namespace loci::integration
