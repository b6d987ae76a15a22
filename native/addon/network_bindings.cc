// Whole-network passes: forward, and gradients by backpropagation.
#include <vector>

#include "../kernels/network.h"
#include "args.h"
#include "bindings.h"
#include "network_args.h"
#include "state.h"

namespace deltaprop::addon {
namespace {

// forward(sizes, activations, bias, params, inputs, rows, outputs[], inputShift | null, inputSpread | null)
void Forward(const Napi::CallbackInfo& info) {
  const Args args(info, "forward", 9);
  const Layout layout = read_layout(args, 0);
  // Reading the list's elements can run JavaScript (an index getter), which
  // could detach any array: read them all before taking any data pointer.
  if (!args.value(6).IsArray()) args.fail("outputs", "expected an array of Float64Array, one per layer");
  const auto list = args.value(6).As<Napi::Array>();
  if (list.Length() != static_cast<uint32_t>(layout.layer_count())) {
    args.fail("outputs", "expected " + std::to_string(layout.layer_count()) + " arrays (one per layer)");
  }
  std::vector<Napi::Value> elements;
  for (index_t l = 0; l < layout.layer_count(); ++l) elements.push_back(list.Get(static_cast<uint32_t>(l)));

  const auto params = read_params(args, 3, layout);
  const auto inputs = args.float64(4, "inputs");
  const index_t rows = args.integer(5, "rows", 0);
  const InputScaling scaling = read_input_scaling(args, 7, layout);
  args.require_length("inputs", inputs, rows * layout.inputs());
  std::vector<double*> outputs;
  for (index_t l = 0; l < layout.layer_count(); ++l) {
    const Napi::Value& v = elements[static_cast<size_t>(l)];
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
      args.fail("outputs", "expected every element to be a Float64Array");
    }
    auto array = v.As<Napi::Float64Array>();
    if (static_cast<index_t>(array.ElementLength()) < rows * layout.sizes[l + 1]) {
      args.fail("outputs", "layer " + std::to_string(l) + " needs " + std::to_string(rows * layout.sizes[l + 1]) + " elements");
    }
    outputs.push_back(array.Data());
  }
  forward_pass(state(args.env()).engine(), layout, params.data, {inputs.data, nullptr, scaling.columns()}, rows, outputs.data());
}

// gradients(sizes, activations, bias, loss, reduction, l2, params, inputs, targets, rows, grads,
//           inputShift | null, inputSpread | null) → loss
Napi::Value Gradients(const Napi::CallbackInfo& info) {
  const Args args(info, "gradients", 13);
  const Layout layout = read_layout(args, 0);
  const Objective objective = read_objective(args, 3, layout.activations.back());
  const auto params = read_params(args, 6, layout);
  const auto inputs = args.float64(7, "inputs");
  const auto targets = args.float64(8, "targets");
  const index_t rows = args.integer(9, "rows", 1);
  const auto grads = args.float64(10, "grads");
  const InputScaling scaling = read_input_scaling(args, 11, layout);
  args.require_length("inputs", inputs, rows * layout.inputs());
  args.require_length("targets", targets, rows * layout.outputs());
  args.require_length("grads", grads, layout.parameter_count);
  Workspace workspace(layout, rows);
  const Batch batch{{inputs.data, nullptr, scaling.columns()}, targets.data, rows};
  const double data = gradients(state(args.env()).engine(), layout, objective, params.data, batch, grads.data, workspace);
  return Napi::Number::New(args.env(), data + l2_penalty(layout, objective, params.data, rows));
}

}  // namespace

void register_network(Napi::Env env, Napi::Object exports) {
  exports.Set("forward", Napi::Function::New(env, Forward, "forward"));
  exports.Set("gradients", Napi::Function::New(env, Gradients, "gradients"));
}

}  // namespace deltaprop::addon
