#include "reducer.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>

#include "progress.h"

namespace deltaprop::mpi {
namespace {

// The sums started since the last wait_all.
struct Round {
  std::mutex mutex;
  std::condition_variable done;
  size_t outstanding = 0;
  Failure failure = Failure::none;  // the round's first
  std::string message;

  void record(Failure f, const std::string& why) {  // with mutex held
    if (f == Failure::none || failure != Failure::none) return;
    failure = f;
    message = std::string(failure_code(f)) + ": " + why;
  }
};

struct RoundSum final : Collective {
  RoundSum(Round& round, double* data, size_t count) : Collective(Op::sum, data, count, 0), round(round) {}

  void settle() override {
    {
      std::lock_guard<std::mutex> lock(round.mutex);
      round.record(failure, message);
      --round.outstanding;
    }
    round.done.notify_all();
    // A failed sum's data may still be used by MPI; it belongs to the caller,
    // who must keep it while the process lives (it should exit anyway).
    delete this;
  }

  Round& round;
};

int start_sum(void* context, double* data, size_t count) {
  Round& round = *static_cast<Round*>(context);
  Progress& progress = Progress::instance();
  std::lock_guard<std::mutex> lock(round.mutex);
  if (progress.broken()) {
    round.record(Failure::broken, "the communicator is unusable after an earlier failure: " + progress.cause());
    return static_cast<int>(Failure::broken);
  }
  auto* sum = new RoundSum(round, data, count);
  ++round.outstanding;  // before submit: the sum may settle at once, on the progress thread
  const Failure refused = progress.submit(sum);
  if (refused != Failure::none) {
    --round.outstanding;
    delete sum;
    round.record(refused, "the world was finalized");
    return static_cast<int>(refused);
  }
  return 0;
}

int wait_all_sums(void* context, char* message, size_t message_size) {
  Round& round = *static_cast<Round*>(context);
  std::unique_lock<std::mutex> lock(round.mutex);
  // No deadline here: the progress thread settles every sum by its own.
  round.done.wait(lock, [&round] { return round.outstanding == 0; });
  const Failure failure = round.failure;
  if (message != nullptr && message_size > 0) {
    const size_t length = std::min(round.message.size(), message_size - 1);
    std::memcpy(message, round.message.data(), length);
    message[length] = '\0';
  }
  round.failure = Failure::none;
  round.message.clear();
  return static_cast<int>(failure);
}

int start_identity(void*, double*, size_t) { return 0; }

int wait_all_identity(void*, char* message, size_t message_size) {
  if (message != nullptr && message_size > 0) message[0] = '\0';
  return 0;
}

}  // namespace

const DeltapropReducer& world_reducer() {
  static Round& round = *new Round;  // never destroyed: a worker may still wait on it at exit
  static const DeltapropReducer table{kDeltapropReducerVersion, &round, start_sum, wait_all_sums};
  return table;
}

const DeltapropReducer& local_reducer() {
  static const DeltapropReducer table{kDeltapropReducerVersion, nullptr, start_identity, wait_all_identity};
  return table;
}

}  // namespace deltaprop::mpi
