#include "test_server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace salespipe::io::http::test {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string local_url(int port, std::string_view path) {
  return "http://127.0.0.1:" + std::to_string(port) + std::string(path);
}

/// A socket bound to 127.0.0.1:port (0: any free port), or -1.
int bound_socket(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return -1;
  }
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

int port_of(int fd) {
  sockaddr_in address{};
  socklen_t size = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    return -1;
  }
  return ntohs(address.sin_port);
}

}  // namespace

std::optional<std::string> Recorded::header(std::string name) const {
  const auto found = headers.find(lower(std::move(name)));
  if (found == headers.end()) {
    return std::nullopt;
  }
  return found->second;
}

struct TestServer::Impl {
  httplib::Server server;
  std::thread thread;
  mutable std::mutex mutex;
  std::deque<Reply> script;
  Reply fallback;
  std::vector<Recorded> requests;

  void handle(const httplib::Request& request, httplib::Response& response) {
    Reply reply;
    {
      const std::lock_guard lock(mutex);
      Recorded recorded{request.method, request.path, {}, request.body, request.remote_port};
      for (const auto& [name, value] : request.headers) {
        recorded.headers.emplace(lower(name), value);
      }
      requests.push_back(std::move(recorded));
      if (script.empty()) {
        reply = fallback;
      } else {
        reply = std::move(script.front());
        script.pop_front();
      }
    }
    if (reply.delay.count() > 0) {
      std::this_thread::sleep_for(reply.delay);
    }
    response.status = reply.status;
    for (const auto& [name, value] : reply.headers) {
      response.set_header(name, value);
    }
    if (reply.drop) {
      // The headers go out with a Content-Length of 1024; the provider then gives up, and
      // cpp-httplib closes the connection with the body missing.
      response.set_content_provider(1024, "application/json",
                                    [](std::size_t /*offset*/, std::size_t /*length*/,
                                       httplib::DataSink& /*sink*/) { return false; });
    } else {
      response.set_content(reply.body, "application/json");
    }
  }
};

TestServer::TestServer(int port) : impl_(std::make_unique<Impl>()) {
  // Every batch of a long sync on one connection, as a real endpoint would allow.
  impl_->server.set_keep_alive_max_count(100'000);
  // Without TCP_NODELAY the headers and body of an answer, written separately, meet the client's
  // delayed ACK: 40 ms per request on Linux, a cost of this server rather than of the sync.
  impl_->server.set_tcp_nodelay(true);
  // SO_REUSEADDR as well as cpp-httplib's SO_REUSEPORT, so a server can take over the port of a
  // listener whose closed connections still wait in TIME_WAIT.
  impl_->server.set_socket_options([](int socket) {
    const int on = 1;
    ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    ::setsockopt(socket, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
  });
  impl_->server.Post(".*", [this](const httplib::Request& request, httplib::Response& response) {
    impl_->handle(request, response);
  });
  if (port == 0) {
    port_ = impl_->server.bind_to_any_port("127.0.0.1");
  } else if (impl_->server.bind_to_port("127.0.0.1", port)) {
    port_ = port;
  } else {
    port_ = -1;
  }
  if (port_ <= 0) {
    ADD_FAILURE() << "the test server cannot bind 127.0.0.1:" << port;
    return;
  }
  // The socket listens already, so requests sent before the thread runs wait in the backlog.
  impl_->thread = std::thread([this] { impl_->server.listen_after_bind(); });
  // cpp-httplib's stop() does nothing until the accept loop runs, so a server stopped before
  // that would never stop: wait for it (a few milliseconds at most).
  while (!impl_->server.is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

TestServer::~TestServer() {
  impl_->server.stop();
  if (impl_->thread.joinable()) {
    impl_->thread.join();
  }
}

std::string TestServer::url(std::string_view path) const { return local_url(port_, path); }

void TestServer::script(std::vector<Reply> replies) {
  const std::lock_guard lock(impl_->mutex);
  impl_->script.assign(std::make_move_iterator(replies.begin()),
                       std::make_move_iterator(replies.end()));
}

void TestServer::set_fallback(Reply reply) {
  const std::lock_guard lock(impl_->mutex);
  impl_->fallback = std::move(reply);
}

std::vector<Recorded> TestServer::requests() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

SilentCloser::SilentCloser() {
  listen_fd_ = bound_socket(0);
  if (listen_fd_ < 0 || ::listen(listen_fd_, 16) != 0) {
    ADD_FAILURE() << "the silent listener cannot listen on 127.0.0.1";
    return;
  }
  port_ = port_of(listen_fd_);
  thread_ = std::thread([this] {
    while (true) {
      {
        const std::lock_guard lock(mutex_);
        if (stopping_) {
          return;
        }
      }
      pollfd ready{listen_fd_, POLLIN, 0};
      if (::poll(&ready, 1, 20) <= 0) {
        continue;
      }
      const int connection = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (connection >= 0) {
        // Read the request first (until the client has been quiet for 50 ms): closing with
        // unread bytes would reset the connection instead of ending it with an empty reply.
        pollfd readable{connection, POLLIN, 0};
        char buffer[65536];
        while (::poll(&readable, 1, 50) > 0 && ::recv(connection, buffer, sizeof buffer, 0) > 0) {
        }
        ::close(connection);
        const std::lock_guard lock(mutex_);
        ++accepted_;
      }
    }
  });
}

SilentCloser::~SilentCloser() { stop(); }

std::string SilentCloser::url(std::string_view path) const { return local_url(port_, path); }

int SilentCloser::accepted() const {
  const std::lock_guard lock(mutex_);
  return accepted_;
}

void SilentCloser::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  if (thread_.joinable()) {
    thread_.join();
  }
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
  }
}

int closed_port() {
  const int fd = bound_socket(0);
  if (fd < 0) {
    ADD_FAILURE() << "cannot bind a socket on 127.0.0.1";
    return -1;
  }
  const int port = port_of(fd);
  ::close(fd);
  return port;
}

}  // namespace salespipe::io::http::test
