#pragma once

// Real HTTP servers on 127.0.0.1 for the sync tests: a cpp-httplib server that records every
// request and answers from a script, and a bare listener that closes every connection at once.

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace salespipe::io::http::test {

/// One scripted answer.
struct Reply {
  int status = 200;
  std::string body = R"({"status":"ok"})";
  std::vector<std::pair<std::string, std::string>> headers{};
  /// Send the status line and headers promising a body, then close the connection: the request
  /// was received (and recorded), the answer is lost.
  bool drop = false;
  /// Wait this long before answering (to run into the client's timeout).
  std::chrono::milliseconds delay{0};
};

/// One request as the server received it.
struct Recorded {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  ///< lower-cased names, first value of each
  std::string body;
  int remote_port = -1;  ///< the client's port: equal for requests on one kept-alive connection

  /// The header's value, nullopt when absent (name in any case).
  std::optional<std::string> header(std::string name) const;
};

/// A cpp-httplib server answering POST on every path: first the scripted replies in order, then
/// `fallback` for every further request. Started by the constructor, stopped by the destructor.
class TestServer {
 public:
  /// Binds 127.0.0.1 on `port`, or on a free port when 0; fails the test when it cannot.
  explicit TestServer(int port = 0);
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  int port() const noexcept { return port_; }
  /// http://127.0.0.1:<port><path>
  std::string url(std::string_view path = "/sync") const;

  /// Replaces the script.
  void script(std::vector<Reply> replies);
  /// The answer once the script is used up (default: 200 with a small JSON body).
  void set_fallback(Reply reply);
  /// Every request received so far, in order.
  std::vector<Recorded> requests() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

/// A listener on 127.0.0.1 that accepts every connection, reads the request and closes the
/// connection without a word (a client sees an empty reply). Stopped by stop() or the destructor,
/// after which the port is free.
class SilentCloser {
 public:
  SilentCloser();
  ~SilentCloser();
  SilentCloser(const SilentCloser&) = delete;
  SilentCloser& operator=(const SilentCloser&) = delete;

  int port() const noexcept { return port_; }
  std::string url(std::string_view path = "/sync") const;
  /// Connections accepted so far.
  int accepted() const;
  void stop();

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  mutable std::mutex mutex_;
  int accepted_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

/// A port on 127.0.0.1 where nothing listens (a server bound it and let it go).
int closed_port();

}  // namespace salespipe::io::http::test
