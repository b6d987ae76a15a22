#include "layer.h"

namespace deltaprop {
namespace {

// ---------------------------------------------------------------- forward

struct BiasActivation {
  const KernelSet* kernels;
  const double* bias;  // indexed by column of the whole output, or null
  Activation f;        // element-wise
};

// Z := f(Z + 1·b) over a finished block of the output.
void bias_activate_block(const void* context, double* z, index_t ld, index_t, index_t j0, index_t rows, index_t cols) {
  const auto& e = *static_cast<const BiasActivation*>(context);
  if (ld == cols) {
    // Rows that follow each other are one run: the activation takes it in one
    // call, with full vectors even for a layer narrower than a vector; the
    // bias varies along a row, so it is added row by row first.
    if (e.bias != nullptr)
      for (index_t r = 0; r < rows; ++r)
        for (index_t j = 0; j < cols; ++j) z[r * ld + j] += e.bias[j0 + j];
    e.kernels->bias_activate(e.f, rows * cols, nullptr, z);
    return;
  }
  for (index_t r = 0; r < rows; ++r)
    e.kernels->bias_activate(e.f, cols, e.bias == nullptr ? nullptr : e.bias + j0, z + r * ld);
}

// ---------------------------------------------------------------- backward

struct MultiplyDerivative {
  const KernelSet* kernels;
  Activation f;
  const double* A;     // the activation f'(·) is taken from, laid out like δ
  const double* mask;  // a dropout mask laid out like A, or null
  index_t a_ld;
};

// δ := δ ⊙ f'(A) (⊙ mask) over a finished block of δ.
void multiply_derivative_block(const void* context, double* delta, index_t ld, index_t i0, index_t j0, index_t rows,
                               index_t cols) {
  const auto& e = *static_cast<const MultiplyDerivative*>(context);
  const bool flat = ld == cols && e.a_ld == cols;  // one run, as in bias_activate_block
  const index_t run = flat ? rows * cols : cols;
  const index_t runs = flat ? 1 : rows;
  for (index_t r = 0; r < runs; ++r) {
    const index_t at = (i0 + r) * e.a_ld + j0;
    double* d = delta + r * ld;
    e.kernels->multiply_derivative(e.f, run, e.A + at, d);
    if (e.mask != nullptr) e.kernels->multiply_mask(run, e.mask + at, d, d);
  }
}

}  // namespace

void forward_layer(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const LayerInput& input,
                   const double* W, const double* b, Activation f, double* output) {
  const BiasActivation epilogue{engine.kernels, b, f == Activation::Softmax ? Activation::Identity : f};
  GemmOptions options;
  options.a_rows = input.rows;
  options.a_columns = input.columns;
  if (b != nullptr || epilogue.f != Activation::Identity) options.epilogue = {&bias_activate_block, &epilogue};
  gemm(engine, false, false, rows, fan_out, fan_in, 1.0, input.data, fan_in, W, fan_out, 0.0, output, fan_out, options);
  if (f == Activation::Softmax)
    for (index_t r = 0; r < rows; ++r) engine.kernels->softmax(fan_out, output + r * fan_out);
}

void backprop_delta(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const double* delta_next,
                    const double* W, Activation f, const double* A, const double* mask, double* delta) {
  const MultiplyDerivative epilogue{engine.kernels, f, A, mask, fan_in};
  GemmOptions options;
  if (f != Activation::Identity || mask != nullptr) options.epilogue = {&multiply_derivative_block, &epilogue};
  gemm(engine, false, true, rows, fan_in, fan_out, 1.0, delta_next, fan_out, W, fan_out, 0.0, delta, fan_in, options);
}

void column_sums(index_t rows, index_t cols, const double* delta, double* dB) {
  for (index_t j = 0; j < cols; ++j) dB[j] = 0.0;
  for (index_t r = 0; r < rows; ++r)
    for (index_t j = 0; j < cols; ++j) dB[j] += delta[r * cols + j];
}

void weight_gradients(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const LayerInput& input,
                      const double* delta, double* dW, double* dB) {
  GemmOptions options;
  options.a_rows = input.rows;
  options.a_columns = input.columns;
  gemm(engine, true, false, fan_in, fan_out, rows, 1.0, input.data, fan_in, delta, fan_out, 0.0, dW, fan_out, options);
  if (dB != nullptr) column_sums(rows, fan_out, delta, dB);
}

void weight_step(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const LayerInput& input,
                 const double* delta, const OptimizerStep& step, const ParameterBlock& W, const ParameterBlock& b,
                 double* dW_scratch, double* dB_scratch) {
  const WeightStepContext context{engine.kernels, &step, W, fan_out};
  GemmOptions options;
  options.a_rows = input.rows;
  options.a_columns = input.columns;
  options.epilogue = weight_step_epilogue(context);
  gemm(engine, true, false, fan_in, fan_out, rows, 1.0, input.data, fan_in, delta, fan_out, 0.0, dW_scratch, fan_out,
       options);
  if (b.values != nullptr) {
    column_sums(rows, fan_out, delta, dB_scratch);
    engine.kernels->optimizer_step(step, ParameterKind::Biases, fan_out, dB_scratch, b.values, b.state);
  }
}

}  // namespace deltaprop
