#include "layout.h"

#include <utility>

namespace deltaprop {

Layout::Layout(std::vector<index_t> sizes_in, std::vector<Activation> activations_in, bool bias_in)
    : sizes(std::move(sizes_in)), activations(std::move(activations_in)), bias(bias_in) {
  for (index_t l = 0; l < layer_count(); ++l) {
    weight_offsets.push_back(parameter_count);
    parameter_count += weight_count(l);
    bias_offsets.push_back(bias ? parameter_count : -1);
    if (bias) parameter_count += sizes[l + 1];
  }
}

}  // namespace deltaprop
