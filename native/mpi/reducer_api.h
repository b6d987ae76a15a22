/* The table through which the main addon's training loop sums gradients over
 * MPI without linking MPI: the MPI addon (built only where MPI is installed)
 * fills one and hands it to JavaScript as a napi External tagged with
 * kDeltapropReducerTag; the main addon checks the tag and the version before
 * using it. Plain C types only, so that the two addons, built apart, agree on
 * it. Change the layout only together with kDeltapropReducerVersion. */
#ifndef DELTAPROP_REDUCER_API_H
#define DELTAPROP_REDUCER_API_H

#include <node_api.h>
#include <stddef.h>
#include <stdint.h>

#define kDeltapropReducerVersion 1u

struct DeltapropReducer {
  uint32_t version; /* kDeltapropReducerVersion */
  void* context;
  /* Starts an in-place sum of data[0, count) over every process; the sums
   * run in the order they were started (the same on every process). 0, or
   * nonzero when the link is already broken (wait_all then says why). Called
   * from a worker thread. */
  int (*start)(void* context, double* data, size_t count);
  /* Blocks until every started sum is done (0) or one failed: nonzero, with
   * the reason in message (NUL-terminated, at most message_size bytes). A
   * failure (a process died, a deadline passed) breaks the link for good. */
  int (*wait_all)(void* context, char* message, size_t message_size);
};

static const napi_type_tag kDeltapropReducerTag = {0x3c1f6a8e9b2d4475ULL, 0xa86e0d3f51c7b912ULL};

#endif
