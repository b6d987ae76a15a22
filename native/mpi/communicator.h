// MPI_Init and MPI_Finalize, once per process. MPI's state belongs to the
// process, not to a JavaScript environment, so this is process-global and a
// second init (from a worker_thread, say) is refused.
#pragma once

#include <string>

namespace deltaprop::mpi {

struct WorldInfo {
  int rank;
  int size;
  std::string thread_level;  // as MPI provided it
  std::string library;       // MPI_Get_library_version's first line
};

// Initializes MPI, learns which peers share this host, starts the progress
// thread and registers the finalize-at-exit hook. Throws std::runtime_error
// saying what failed.
WorldInfo init_world(double timeout_seconds);

enum class Finalize {
  done,    // finalized now, or already (or MPI was never initialized)
  broken,  // skipped: MPI_Finalize synchronises with every peer, so it would hang on a dead one
  busy,    // skipped: collectives are in flight
};

// MPI_Finalize, from JavaScript or at exit, unless it must be skipped.
// Throws std::runtime_error when MPI_Finalize itself fails.
Finalize finalize_world();

}  // namespace deltaprop::mpi
