#include "layer.h"

#include "gemm.h"

namespace deltaprop {

void forward_layer(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const double* input,
                   const double* W, const double* b, Activation f, double* output) {
  GemmEpilogue epilogue;
  epilogue.kind = GemmEpilogue::Kind::BiasActivation;
  epilogue.activation = f == Activation::Softmax ? Activation::Identity : f;
  epilogue.bias = b;
  gemm(engine, false, false, rows, fan_out, fan_in, 1.0, input, fan_in, W, fan_out, 0.0, output, fan_out, epilogue);
  if (f == Activation::Softmax)
    for (index_t r = 0; r < rows; ++r) engine.kernels->softmax(fan_out, output + r * fan_out);
}

void backprop_delta(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const double* delta_next,
                    const double* W, Activation f, const double* A, double* delta) {
  GemmEpilogue epilogue;
  epilogue.kind = GemmEpilogue::Kind::MultiplyDerivative;
  epilogue.activation = f;
  epilogue.source = A;
  epilogue.source_ld = fan_in;
  gemm(engine, false, true, rows, fan_in, fan_out, 1.0, delta_next, fan_out, W, fan_out, 0.0, delta, fan_in, epilogue);
}

void weight_gradients(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const double* input,
                      const double* delta, double* dW, double* dB) {
  GemmEpilogue epilogue;
  epilogue.column_sums = dB;
  gemm(engine, true, false, fan_in, fan_out, rows, 1.0, input, fan_in, delta, fan_out, 0.0, dW, fan_out, epilogue);
}

}  // namespace deltaprop
