#include "failure.h"

namespace deltaprop::mpi {

const char* failure_code(Failure failure) {
  switch (failure) {
    case Failure::none: return "";
    case Failure::timeout: return "DISTRIBUTED_TIMEOUT";
    case Failure::peer_died: return "DISTRIBUTED_PEER_DIED";
    case Failure::terminated: return "DISTRIBUTED_TERMINATED";
    case Failure::mpi_error: return "DISTRIBUTED_MPI_ERROR";
    case Failure::broken: return "DISTRIBUTED_BROKEN";
    case Failure::finalized: return "DISTRIBUTED_FINALIZED";
  }
  return "DISTRIBUTED_MPI_ERROR";
}

}  // namespace deltaprop::mpi
