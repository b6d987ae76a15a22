#include "kernel_calls.h"

#include "../kernels/gemm.h"
#include "../kernels/layer.h"
#include "../kernels/loss.h"
#include "../kernels/optimizer.h"
#include "network_args.h"
#include "optimizer_args.h"

namespace deltaprop::addon {
namespace {

// Elements a rows × cols block with row stride ld spans.
index_t span(index_t rows, index_t cols, index_t ld) { return rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols; }

void check_operand(const Args& args, const char* name, const ArrayView<double>& view, index_t rows, index_t cols,
                   const char* ld_name, index_t ld) {
  if (ld < (cols > 1 ? cols : 1)) args.fail(ld_name, "row stride smaller than the row length " + std::to_string(cols));
  args.require_length(name, view, span(rows, cols, ld));
}

// The leading (rows, fanIn, fanOut) of the per-layer kernels.
struct LayerDims {
  index_t rows, fan_in, fan_out;
};

LayerDims read_layer_dims(const Args& args) {
  return {args.integer(0, "rows", 0), args.integer(1, "fanIn", 1), args.integer(2, "fanOut", 1)};
}

}  // namespace

void call_gemm(const Args& args, const Engine& engine) {
  const bool ta = args.boolean(0, "transA");
  const bool tb = args.boolean(1, "transB");
  const index_t m = args.integer(2, "m", 0);
  const index_t n = args.integer(3, "n", 0);
  const index_t k = args.integer(4, "k", 0);
  const double alpha = args.finite(5, "alpha");
  const auto A = args.float64(6, "A");
  const index_t lda = args.integer(7, "lda", 1);
  const auto B = args.float64(8, "B");
  const index_t ldb = args.integer(9, "ldb", 1);
  const double beta = args.finite(10, "beta");
  const auto C = args.float64(11, "C");
  const index_t ldc = args.integer(12, "ldc", 1);
  check_operand(args, "A", A, ta ? k : m, ta ? m : k, "lda", lda);
  check_operand(args, "B", B, tb ? n : k, tb ? k : n, "ldb", ldb);
  check_operand(args, "C", C, m, n, "ldc", ldc);
  // C is written while A and B are read, as in BLAS: by the memory they use,
  // not by which objects hold it (two views, or a SharedArrayBuffer and its clone).
  const index_t c_span = span(m, n, ldc);
  if (share_memory(A.data, span(ta ? k : m, ta ? m : k, lda), C.data, c_span))
    args.fail("C", "shares memory with A (C is written while A is read)");
  if (share_memory(B.data, span(tb ? n : k, tb ? k : n, ldb), C.data, c_span))
    args.fail("C", "shares memory with B (C is written while B is read)");
  gemm(engine, ta, tb, m, n, k, alpha, A.data, lda, B.data, ldb, beta, C.data, ldc);
}

bool call_overlaps(const Args& args) {
  const auto a = args.float64(0, "a");
  const index_t a_span = args.integer(1, "aSpan", 0);
  const auto b = args.float64(2, "b");
  const index_t b_span = args.integer(3, "bSpan", 0);
  args.require_length("a", a, a_span);
  args.require_length("b", b, b_span);
  return share_memory(a.data, a_span, b.data, b_span);
}

void call_forward_layer(const Args& args, const Engine& engine) {
  const auto [rows, fan_in, fan_out] = read_layer_dims(args);
  const auto input = args.float64(3, "input");
  const auto W = args.float64(4, "W");
  const auto b = args.optional_float64(5, "b");
  const auto f = static_cast<Activation>(args.code(6, "activation", kActivationCount));
  const auto output = args.float64(7, "output");
  args.require_length("input", input, rows * fan_in);
  args.require_length("W", W, fan_in * fan_out);
  if (b.present) args.require_length("b", b, fan_out);
  args.require_length("output", output, rows * fan_out);
  forward_layer(engine, rows, fan_in, fan_out, LayerInput{input.data}, W.data, b.data, f, output.data);
}

void call_backprop_delta(const Args& args, const Engine& engine) {
  const auto [rows, fan_in, fan_out] = read_layer_dims(args);
  const auto delta_next = args.float64(3, "deltaNext");
  const auto W = args.float64(4, "W");
  const auto f = static_cast<Activation>(args.code(5, "activation", kActivationCount));
  const auto A = args.float64(6, "A");
  const auto delta = args.float64(7, "delta");
  if (f == Activation::Softmax)
    args.fail("activation", "softmax has no element-wise derivative (it is an output activation)");
  args.require_length("deltaNext", delta_next, rows * fan_out);
  args.require_length("W", W, fan_in * fan_out);
  args.require_length("A", A, rows * fan_in);
  args.require_length("delta", delta, rows * fan_in);
  backprop_delta(engine, rows, fan_in, fan_out, delta_next.data, W.data, f, A.data, nullptr, delta.data);
}

double call_output_delta(const Args& args, const Engine& engine) {
  const index_t rows = args.integer(0, "rows", 1);
  const index_t cols = args.integer(1, "cols", 1);
  const auto loss = static_cast<Loss>(args.code(2, "loss", kLossCount));
  const auto reduction = static_cast<Reduction>(args.code(3, "reduction", kReductionCount));
  const auto f = static_cast<Activation>(args.code(4, "activation", kActivationCount));
  const auto F = args.float64(5, "F");
  const auto T = args.float64(6, "T");
  const auto delta = args.float64(7, "delta");
  const RowWeights weights = read_row_weights(args, 8, rows);
  check_loss_output(args, loss, f);
  args.require_length("F", F, rows * cols);
  args.require_length("T", T, rows * cols);
  args.require_length("delta", delta, rows * cols);
  return output_delta_and_loss(*engine.kernels, rows, cols, loss, reduction, f, F.data, T.data, delta.data,
                               weights.data());
}

void call_optimizer_step(const Args& args, const Engine& engine) {
  const Layout layout = read_layout(args, 0);
  const CheckedOptimizer optimizer = read_optimizer(args, 3, layout);
  const double learning_rate = args.finite(7, "learningRate");
  const auto grads = args.float64(8, "grads");
  const auto params = read_params(args, 9, layout);
  args.require_length("grads", grads, layout.parameter_count);
  const OptimizerState optimizer_state{optimizer.state.data, layout.parameter_count, state_slots(optimizer.settings)};
  // The gradients hold the L2 term already (gradients() adds it): no l2_scale.
  const OptimizerStep step = make_step(optimizer.settings, learning_rate, optimizer.steps_taken + 1, 0.0);
  step_parameters(*engine.kernels, layout, step, grads.data, params.data, optimizer_state);
}

void call_vector_exp(const Args& args, const Engine& engine) {
  const auto x = args.float64(0, "x");
  const auto y = args.float64(1, "y");
  args.require_length("y", y, x.length);
  engine.kernels->exp(x.length, x.data, y.data);
}

}  // namespace deltaprop::addon
