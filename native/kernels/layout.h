// The shape of a network and where each layer's parameters live in the one
// parameter buffer (mirrors src/backend/layout.ts).
#pragma once

#include <vector>

#include "codes.h"

namespace deltaprop {

// W(l) (sizes[l] × sizes[l+1]) then b(l), layer after layer. Built only from
// inputs the addon has already checked.
struct Layout {
  std::vector<index_t> sizes;            // [inputs, units of layer 0, ..., outputs]
  std::vector<Activation> activations;   // one per layer
  bool bias = true;
  std::vector<index_t> weight_offsets;   // start of W(l)
  std::vector<index_t> bias_offsets;     // start of b(l), or -1 without biases
  index_t parameter_count = 0;

  Layout(std::vector<index_t> sizes, std::vector<Activation> activations, bool bias);
  index_t layer_count() const { return static_cast<index_t>(activations.size()); }
  index_t inputs() const { return sizes.front(); }
  index_t outputs() const { return sizes.back(); }
  index_t weight_count(index_t l) const { return sizes[l] * sizes[l + 1]; }
};

}  // namespace deltaprop
