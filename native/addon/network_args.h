// Reading a network's layout and objective from addon arguments, with every
// rule the kernels rely on checked (sizes, codes, softmax only at the output,
// loss/output pairing, parameter count).
#pragma once

#include <vector>

#include "../kernels/network.h"
#include "args.h"

namespace deltaprop::addon {

// Arguments i, i+1, i+2: sizes (Int32Array), activations (Int32Array), bias (boolean).
Layout read_layout(const Args& args, size_t i);

// Arguments i, i+1, i+2: loss code, reduction code, l2 ≥ 0; checked against the output activation.
Objective read_objective(const Args& args, size_t i, Activation output);

// Argument i: the parameter buffer, exactly layout.parameter_count long.
ArrayView<double> read_params(const Args& args, size_t i, const Layout& layout);

// A network's input scaling: x is read as (x − shift[j]) / spread[j]; empty for none.
struct InputScaling {
  std::vector<double> shift, spread;
  ColumnAffine columns() const { return shift.empty() ? ColumnAffine{} : ColumnAffine{shift.data(), spread.data()}; }
};

// Arguments i, i+1: shift and spread (Float64Array, one per input, spread > 0), or both null.
InputScaling read_input_scaling(const Args& args, size_t i, const Layout& layout);

// Per-row weights of a call (loss.h), copied before they are checked, so that
// what was checked is what the kernels read, whatever the call later writes
// into memory the caller's array may share (params, grads, delta).
struct RowWeights {
  bool present = false;        // false: every row weighs 1
  std::vector<double> values;  // one per row when present

  const double* data() const { return present ? values.data() : nullptr; }
};

// Argument i: null, or a Float64Array of exactly `rows` weights, each finite and ≥ 0.
RowWeights read_row_weights(const Args& args, size_t i, index_t rows);

// The loss/output pairing the δ formulas need: mse with any element-wise
// activation, binary cross-entropy with sigmoid, cross-entropy with softmax.
void check_loss_output(const Args& args, Loss loss, Activation output);

}  // namespace deltaprop::addon
