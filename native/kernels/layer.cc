#include "layer.h"

namespace deltaprop {

void forward_layer(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const double* input,
                   const std::int32_t* input_rows, const double* W, const double* b, Activation f, double* output) {
  GemmFusion fusion;
  fusion.a_rows = input_rows;
  fusion.kind = GemmFusion::Kind::BiasActivation;
  fusion.activation = f == Activation::Softmax ? Activation::Identity : f;
  fusion.bias = b;
  gemm(engine, false, false, rows, fan_out, fan_in, 1.0, input, fan_in, W, fan_out, 0.0, output, fan_out, fusion);
  if (f == Activation::Softmax)
    for (index_t r = 0; r < rows; ++r) engine.kernels->softmax(fan_out, output + r * fan_out);
}

void backprop_delta(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const double* delta_next,
                    const double* W, Activation f, const double* A, double* delta) {
  GemmFusion fusion;
  fusion.kind = GemmFusion::Kind::MultiplyDerivative;
  fusion.activation = f;
  fusion.source = const_cast<double*>(A);  // only read by this epilogue
  fusion.source_ld = fan_in;
  gemm(engine, false, true, rows, fan_in, fan_out, 1.0, delta_next, fan_out, W, fan_out, 0.0, delta, fan_in, fusion);
}

void weight_gradients(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const double* input,
                      const std::int32_t* input_rows, const double* delta, double* dW, double* dB) {
  GemmFusion fusion;
  fusion.a_rows = input_rows;
  fusion.column_sums = dB;
  gemm(engine, true, false, fan_in, fan_out, rows, 1.0, input, fan_in, delta, fan_out, 0.0, dW, fan_out, fusion);
}

void weight_step(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const double* input,
                 const std::int32_t* input_rows, const double* delta, double* W, double* b, double* vW, double* vb,
                 const SgdStep& step, double* dW_scratch, double* dB_scratch) {
  GemmFusion fusion;
  fusion.a_rows = input_rows;
  fusion.column_sums = b != nullptr ? dB_scratch : nullptr;
  fusion.kind = GemmFusion::Kind::Sgd;
  fusion.source = W;
  fusion.source_ld = fan_out;
  fusion.velocity = vW;
  fusion.step = step;
  gemm(engine, true, false, fan_in, fan_out, rows, 1.0, input, fan_in, delta, fan_out, 0.0, dW_scratch, fan_out, fusion);
  // Biases are not penalised; their column sums are complete once the gemm returns.
  if (b != nullptr) engine.kernels->sgd_step(fan_out, dB_scratch, b, vb, step.learning_rate, step.momentum, 0.0);
}

}  // namespace deltaprop
