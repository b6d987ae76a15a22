// How a collective can fail. The values are also what the reducer table's
// wait_all returns (reducer_api.h: 0 is success), and failure_code() names
// each as the DeltapropError code JavaScript sees (src/distributed/errors.ts
// keeps the same list; the addon exports this one and a test compares them).
#pragma once

namespace deltaprop::mpi {

enum class Failure : int {
  none = 0,
  timeout = 1,     // not done by the deadline: a peer hangs, was stopped, or runs other collectives
  peer_died = 2,   // a process on this host that takes part is gone
  terminated = 3,  // the launcher sent SIGTERM: it is ending the job
  mpi_error = 4,   // MPI returned an error code
  broken = 5,      // asked for after an earlier failure broke the communicator
  finalized = 6,   // asked for after finalize
};

inline constexpr int kFailureKinds = 7;

// "DISTRIBUTED_TIMEOUT" and so on; "" for none.
const char* failure_code(Failure failure);

}  // namespace deltaprop::mpi
