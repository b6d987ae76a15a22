// The other processes of the job that run on this host, watched by pid.
//
// Open MPI 4 never turns a dead peer into an error: a collective with one
// just stays pending (FINDINGS: MPI_Test says "not yet" until our deadline).
// A peer on this host can be seen to die directly, though, ~100 ms after the
// fact instead of at the deadline or at mpirun's SIGTERM a second later.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace deltaprop::mpi {

// Equal for two processes exactly when a pid means the same process to both:
// the same boot of the same machine and the same pid namespace (containers on
// one host share the boot but not the namespace).
uint64_t pid_space_identity();

class PeerWatch {
 public:
  PeerWatch() = default;
  // pids[r]: rank r's pid when it shares this process's pid space, else 0
  // (this process's own entry is 0 too).
  explicit PeerWatch(std::vector<int> pids) : pids_(std::move(pids)) {}

  // The first watched rank whose process has exited (or is a zombie), or -1.
  int dead_rank() const;
  int pid(int rank) const { return pids_[rank]; }

 private:
  std::vector<int> pids_;
};

}  // namespace deltaprop::mpi
