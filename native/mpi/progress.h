// The progress thread: after MPI_Init it makes every MPI call of the
// process.
//
// Open MPI makes no progress on a nonblocking collective outside MPI calls,
// so something must keep calling MPI_Test while JavaScript (or backprop)
// computes; polling with a short sleep does that at the CPU cost of a
// blocking call (FINDINGS §4). One thread also gives the one order MPI needs:
// collectives start in the order they were submitted, which the callers make
// the same on every process. And because no caller ever blocks inside MPI,
// the thread can give up on a collective: at its deadline, when a peer on
// this host dies, or when the launcher sends SIGTERM. The first such failure
// breaks the communicator for good: every collective in flight fails with it,
// every later one with Failure::broken, and MPI_Finalize is skipped (it would
// wait for the dead peer).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>

#include "collective.h"
#include "peers.h"

namespace deltaprop::mpi {

class Progress {
 public:
  // The process's one instance. Never destroyed: a thread still waiting on
  // its condition variable would make exit() hang in its destructor.
  static Progress& instance();

  // Starts the thread; each collective must finish within timeout_seconds of
  // its submission.
  void start(PeerWatch peers, double timeout_seconds);

  // Queues `collective` and takes ownership (Failure::none), or refuses it
  // (Failure::finalized: the thread has stopped) and leaves it to the caller.
  Failure submit(Collective* collective);

  // Breaks the communicator: what is in flight fails with `failure`.
  void fail(Failure failure, const std::string& message);
  // "DISTRIBUTED_TIMEOUT: ...": the failure that broke it, or "".
  std::string cause() const;

  bool broken() const { return broken_.load(); }
  size_t in_flight() const { return in_flight_.load(); }

  // Stops the thread, before MPI_Finalize. Refuses (false) while collectives
  // are in flight: MPI_Finalize must not run with requests pending.
  bool stop();

 private:
  struct Active;

  void loop();
  void begin(Collective* collective, std::deque<Active>& active);
  void poll(std::deque<Active>& active);
  void watch(std::deque<Active>& active, double& next_liveness_check);
  void fail_all(std::deque<Active>& active);
  void settle(Collective* collective, Failure failure, const std::string& message);

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Collective*> queue_;
  bool running_ = false;
  bool stopping_ = false;
  std::atomic<bool> broken_{false};
  Failure cause_ = Failure::none;  // the failure that broke it, with its message
  std::string cause_message_;
  std::atomic<size_t> in_flight_{0};
  PeerWatch peers_;
  double timeout_seconds_ = 0;
};

}  // namespace deltaprop::mpi
