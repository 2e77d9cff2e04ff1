#include "io/warehouse/interrupt.hpp"

#include <fmt/format.h>
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstring>
#include <system_error>
#include <thread>

#include "core/error.hpp"
#include "io/warehouse/temp_folders.hpp"

namespace salespipe::io::warehouse {
namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

/// Ends the process by `signal` with its default action, as if no one had caught it, so the
/// parent sees WIFSIGNALED (a shell prints 128 + the signal number).
[[noreturn]] void end_by(int signal) noexcept {
  struct sigaction action {};
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  ::sigaction(signal, &action, nullptr);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, signal);
  // raise() leaves the signal pending on this thread, where unblocking it lets the default
  // action end the process.
  ::raise(signal);
  ::pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
  ::_exit(128 + signal);  // not reached: the default action of these signals ends the process
}

/// The interrupt thread: waits for one of `signals`, removes the temps, ends the process.
[[noreturn]] void wait_and_clean(sigset_t signals, const InterruptOptions& options) {
  int signal = 0;
  while (::sigwait(&signals, &signal) != 0) {
  }
  detail::TempFolders& folders = detail::TempFolders::instance();
  // Kept until the process ends: no temp folder is made and no output renamed after this.
  std::unique_lock<std::mutex> held = folders.lock();
  folders.remove_all(held);
  if (options.on_signal) {
    try {
      options.on_signal(signal);
    } catch (...) {
      // Saying what happened is a courtesy; ending by the signal is what matters.
    }
  }
  end_by(signal);
}

}  // namespace

void install_interrupt_cleanup(InterruptOptions options) {
  // Signal dispositions are process-wide, so whether it is installed is too.
  static std::atomic<bool> installed{false};
  if (installed.exchange(true)) {
    return;
  }
  sigset_t signals;
  sigemptyset(&signals);
  bool any = false;
  for (const int signal : kSignals) {
    struct sigaction current {};
    if (::sigaction(signal, nullptr, &current) == 0 && current.sa_handler != SIG_IGN) {
      sigaddset(&signals, signal);
      any = true;
    }
  }
  if (!any) {
    return;
  }
  sigset_t previous;
  ::pthread_sigmask(SIG_BLOCK, &signals, &previous);
  try {
    std::thread([signals, options = std::move(options)]() {
      wait_and_clean(signals, options);
    }).detach();
  } catch (const std::system_error& error) {
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    throw Error(ErrorKind::Internal,
                fmt::format("cannot start the thread that cleans up on Ctrl-C: {}", error.what()));
  }
}

}  // namespace salespipe::io::warehouse
