#include "network_calls.h"

#include <vector>

#include "../kernels/network.h"
#include "network_args.h"

namespace deltaprop::addon {

void call_forward(const Args& args, const Engine& engine) {
  const Layout layout = read_layout(args, 0);
  // Reading the list's elements can run JavaScript, which could detach any
  // array: the list comes before any other data pointer is taken.
  const auto outputs = args.float64_list(6, "outputs", layout.layer_count());
  const auto params = read_params(args, 3, layout);
  const auto inputs = args.float64(4, "inputs");
  const index_t rows = args.integer(5, "rows", 0);
  const InputScaling scaling = read_input_scaling(args, 7, layout);
  args.require_length("inputs", inputs, rows * layout.inputs());
  std::vector<double*> output_data;
  for (index_t l = 0; l < layout.layer_count(); ++l) {
    const auto& output = outputs[static_cast<size_t>(l)];
    if (output.length < rows * layout.sizes[l + 1]) {
      args.fail("outputs",
                "layer " + std::to_string(l) + " needs " + std::to_string(rows * layout.sizes[l + 1]) + " elements");
    }
    output_data.push_back(output.data);
  }
  forward_pass(engine, layout, params.data, {inputs.data, nullptr, scaling.columns()}, rows, output_data.data());
}

double call_gradients(const Args& args, const Engine& engine) {
  const Layout layout = read_layout(args, 0);
  const Objective objective = read_objective(args, 3, layout.activations.back());
  const auto params = read_params(args, 6, layout);
  const auto inputs = args.float64(7, "inputs");
  const auto targets = args.float64(8, "targets");
  const index_t rows = args.integer(9, "rows", 1);
  const auto grads = args.float64(10, "grads");
  const InputScaling scaling = read_input_scaling(args, 11, layout);
  const RowWeights weights = read_row_weights(args, 13, rows);
  args.require_length("inputs", inputs, rows * layout.inputs());
  args.require_length("targets", targets, rows * layout.outputs());
  args.require_length("grads", grads, layout.parameter_count);
  Workspace workspace(layout, rows);
  const Batch batch{{inputs.data, nullptr, scaling.columns()}, targets.data, rows, weights.data()};
  const double data = gradients(engine, layout, objective, params.data, batch, grads.data, workspace);
  return data + l2_penalty(layout, objective, params.data, batch.normaliser());
}

}  // namespace deltaprop::addon
