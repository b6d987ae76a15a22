// The reducer tables (reducer_api.h) that this addon hands to the main
// addon's training loop.
#pragma once

#include "reducer_api.h"

namespace deltaprop::mpi {

// Sums over the MPI world, through the progress thread. Its start and
// wait_all may be called from any thread, one caller at a time: each
// wait_all ends the round of the starts before it. wait_all returns 0, or
// the Failure (failure.h) of the round's first failure, with a message that
// begins with its code ("DISTRIBUTED_TIMEOUT: ...") so that the code
// survives being passed on as plain text.
const DeltapropReducer& world_reducer();

// For a world of one process: every sum is its input, nothing ever fails.
const DeltapropReducer& local_reducer();

}  // namespace deltaprop::mpi
