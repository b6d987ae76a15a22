// The loop every row pass shares: full vectors, then single lanes for the
// tail. Internal linkage, like everything compiled per ISA (simd/README.md).
#pragma once

#include "codes.h"

namespace {

using deltaprop::index_t;

// Runs body<Lane>(i) over [0, n): full vectors of V, then single lanes.
template <class V, class Body>
inline void for_each_lane(index_t n, Body&& body) {
  index_t i = 0;
  for (; i + V::width <= n; i += V::width) body(V{}, i);
  for (; i < n; ++i) body(typename V::Scalar{}, i);
}

}  // namespace
