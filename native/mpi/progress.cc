#include "progress.h"

#include <mpi.h>
#include <time.h>

#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>
#include <utility>
#include <vector>

namespace deltaprop::mpi {
namespace {

// The sleep between two rounds of MPI_Test: it adds little to a
// millisecond's allreduce, and the thread sleeps most of the time (FINDINGS
// §4: 20–100 µs cost the CPU of a blocking MPI_Allreduce; 0 µs spins).
constexpr long kPollMicros = 50;
// Right after a start, though, it polls without sleeping for this long: a
// small collective is done within it (np 2, 8 bytes: 150 µs with naps from
// the start, 25 µs with this; a 2 MiB one gains little), at a CPU cost
// bounded per start.
constexpr double kSpinSeconds = 100e-6;
// How often the local peers' pids are looked at while a collective waits.
constexpr double kLivenessSeconds = 0.1;
// MPI counts are ints: a longer buffer goes as several collectives of at
// most this many doubles, started one after the other.
constexpr size_t kMaxChunk = size_t{1} << 30;

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

void nap() {
  const timespec pause{0, kPollMicros * 1000};
  nanosleep(&pause, nullptr);
}

std::string mpi_error_text(int code) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS) return "MPI error " + std::to_string(code);
  return std::string(text, length);
}

int start_chunk(const Collective& c, double* data, int count, MPI_Request* request) {
  switch (c.op) {
    case Collective::Op::sum:
      return MPI_Iallreduce(MPI_IN_PLACE, data, count, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD, request);
    case Collective::Op::min:
      return MPI_Iallreduce(MPI_IN_PLACE, data, count, MPI_DOUBLE, MPI_MIN, MPI_COMM_WORLD, request);
    case Collective::Op::broadcast: return MPI_Ibcast(data, count, MPI_DOUBLE, c.root, MPI_COMM_WORLD, request);
  }
  return MPI_ERR_OP;
}

}  // namespace

struct Progress::Active {
  Collective* collective;
  std::vector<MPI_Request> requests;  // one per chunk; MPI_REQUEST_NULL once done
};

Progress& Progress::instance() {
  static Progress& progress = *new Progress;
  return progress;
}

void Progress::start(PeerWatch peers, double timeout_seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  peers_ = std::move(peers);
  timeout_seconds_ = timeout_seconds;
  running_ = true;
  // Detached, never joined: at exit it may be waiting for a peer that will
  // never answer, and then nothing must wait for it.
  std::thread(&Progress::loop, this).detach();
}

Failure Progress::submit(Collective* collective) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!running_ || stopping_) return Failure::finalized;
  collective->deadline = now() + timeout_seconds_;
  ++in_flight_;
  queue_.push_back(collective);
  wake_.notify_all();
  return Failure::none;
}

void Progress::fail(Failure failure, const std::string& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (broken_.load()) return;  // the first failure is the cause
  cause_ = failure;
  cause_message_ = message;
  broken_.store(true);
}

std::string Progress::cause() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return broken_.load() ? std::string(failure_code(cause_)) + ": " + cause_message_ : "";
}

bool Progress::stop() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!running_) return true;
  if (in_flight_.load() > 0) return false;
  stopping_ = true;
  wake_.notify_all();
  return wake_.wait_for(lock, std::chrono::seconds(1), [this] { return !running_; });
}

void Progress::loop() {
#ifdef __linux__
  // Linux lets a sleep overrun by the thread's timer slack, 50 µs by
  // default: as long again as the nap itself.
  prctl(PR_SET_TIMERSLACK, 1UL);
#endif
  std::deque<Active> active;
  double next_liveness_check = 0;
  double spin_until = 0;
  for (;;) {
    std::deque<Collective*> incoming;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (active.empty()) wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_ && active.empty() && queue_.empty()) {
        running_ = false;
        wake_.notify_all();
        return;
      }
      incoming.swap(queue_);
    }
    if (!incoming.empty()) spin_until = now() + kSpinSeconds;
    for (Collective* collective : incoming) begin(collective, active);
    if (!broken()) poll(active);
    if (!broken()) watch(active, next_liveness_check);
    if (broken()) {
      fail_all(active);
    } else if (!active.empty() && now() > spin_until) {
      nap();
    }
  }
}

void Progress::begin(Collective* collective, std::deque<Active>& active) {
  if (broken()) {
    settle(collective, Failure::broken, "the communicator is unusable after an earlier failure: " + cause());
    return;
  }
  Active entry{collective, {}};
  size_t offset = 0;
  do {  // at least once: a collective of no elements still takes part in the order
    const size_t count = std::min(kMaxChunk, collective->count - offset);
    MPI_Request request = MPI_REQUEST_NULL;
    collective->started = true;
    const int rc = start_chunk(*collective, collective->data + offset, static_cast<int>(count), &request);
    if (rc != MPI_SUCCESS) {
      fail(Failure::mpi_error, std::string("starting ") + op_name(collective->op) + ": " + mpi_error_text(rc));
      break;
    }
    entry.requests.push_back(request);
    offset += count;
  } while (offset < collective->count);
  active.push_back(std::move(entry));  // on failure too: fail_all settles it
}

void Progress::poll(std::deque<Active>& active) {
  for (auto it = active.begin(); it != active.end();) {
    bool done = true;
    for (MPI_Request& request : it->requests) {
      if (request == MPI_REQUEST_NULL) continue;
      int flag = 0;
      const int rc = MPI_Test(&request, &flag, MPI_STATUS_IGNORE);
      if (rc != MPI_SUCCESS) {
        fail(Failure::mpi_error, std::string(op_name(it->collective->op)) + " failed: " + mpi_error_text(rc));
        return;
      }
      done = done && flag != 0;
    }
    if (done) {
      settle(it->collective, Failure::none, "");
      it = active.erase(it);
    } else {
      ++it;
    }
  }
}

void Progress::watch(std::deque<Active>& active, double& next_liveness_check) {
  if (active.empty()) return;
  const double t = now();
  const char* waiting_for = op_name(active.front().collective->op);
  if (t >= next_liveness_check) {
    next_liveness_check = t + kLivenessSeconds;
    const int dead = peers_.dead_rank();
    if (dead >= 0) {
      fail(Failure::peer_died, "the process of rank " + std::to_string(dead) + " (pid " +
                                   std::to_string(peers_.pid(dead)) +
                                   ", on this host) died while this process waited for " + waiting_for);
      return;
    }
  }
  for (const Active& entry : active) {
    if (t <= entry.collective->deadline) continue;
    char message[320];
    std::snprintf(
        message, sizeof message,
        "%s did not complete within %g s: another process stopped taking part (it hangs, was stopped, died on "
        "another host, or runs a different number of collectives)",
        op_name(entry.collective->op), timeout_seconds_);
    fail(Failure::timeout, message);
    return;
  }
}

void Progress::fail_all(std::deque<Active>& active) {
  Failure failure;
  std::string message;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    failure = cause_;
    message = cause_message_;
  }
  // Each request is abandoned, never freed: MPI may still use its buffer.
  for (Active& entry : active) settle(entry.collective, failure, message);
  active.clear();
}

void Progress::settle(Collective* collective, Failure failure, const std::string& message) {
  collective->failure = failure;
  collective->message = message;
  --in_flight_;
  collective->settle();
}

}  // namespace deltaprop::mpi
