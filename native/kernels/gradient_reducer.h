// How a data-parallel epoch sums each minibatch's gradient over the
// processes training together: every process hands over each layer's slice
// as soon as backprop has finished it, so its sum travels while the layers
// below are still being back-propagated, then waits for all of them before
// its optimizer step. The kernels know only this interface; the addon
// implements it over the optional MPI addon (native/mpi/reducer_api.h).
#pragma once

#include "codes.h"

namespace deltaprop {

class GradientReducer {
 public:
  virtual ~GradientReducer() = default;
  // data[0, count) := its sum over every process, in place, some time before
  // wait_all returns. Every process starts the same slices in the same order.
  virtual void start(double* data, index_t count) = 0;
  // Returns when every started sum is done; throws std::runtime_error, saying
  // why, when one failed (a process died, a deadline passed).
  virtual void wait_all() = 0;
};

// This process's part in a data-parallel epoch: it is `rank` of `ranks`, and
// its share of each global minibatch of ranks × batch_size rows of the order
// is the batch_size rows from rank × batch_size.
struct DataParallel {
  GradientReducer* reducer;
  index_t rank;
  index_t ranks;
};

}  // namespace deltaprop
