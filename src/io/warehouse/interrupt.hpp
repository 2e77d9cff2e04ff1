#pragma once

#include <functional>

namespace salespipe::io::warehouse {

/// What install_interrupt_cleanup() does besides the cleanup.
struct InterruptOptions {
  /// Called on the interrupt thread once the temps are removed, just before the process ends
  /// (the CLI says what happened there). Empty: nothing is called.
  std::function<void(int signal)> on_signal;
};

/// Ctrl-C and `kill` (DESIGN.md section 11.3): on SIGINT, SIGTERM or SIGHUP the temp folders of
/// this process's staged outputs are removed, and the process then ends by that same signal (a
/// shell shows status 130, 143 or 129). Each output is left its previous or its new version: a
/// signal during StagedOutputs::commit() waits for the renames to finish.
///
/// How: the signals are blocked in the calling thread, and so in every thread started after it,
/// and one thread waits for them with sigwait(). The cleanup thus runs as ordinary code (no
/// async-signal-safety limits), and workers are never interrupted mid-call. A signal ignored at
/// the call (nohup, a script's background job) stays ignored.
///
/// Call it once from main before any other thread starts; later calls do nothing. Processes
/// started afterwards inherit the blocked mask, so a caller that runs programs must unblock the
/// signals in the child. Throws Error{Internal} when the thread cannot start (the mask is
/// restored first).
void install_interrupt_cleanup(InterruptOptions options = {});

}  // namespace salespipe::io::warehouse
