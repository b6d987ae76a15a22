#include "train.h"

#include <algorithm>
#include <vector>

#include "loss.h"
#include "metrics.h"

namespace deltaprop {

EpochResult train_epoch(const Engine& engine, const EpochJob& job) {
  const Layout& layout = *job.layout;
  const index_t batch = std::max<index_t>(1, std::min(job.batch_size, job.count));
  const index_t n_out = layout.outputs();
  const Activation output = layout.activations.back();
  Workspace ws(layout, batch, job.dropout_rates);
  const Dropout dropout{job.dropout_rates, job.random};
  const Dropout* masks = job.dropout_rates != nullptr ? &dropout : nullptr;
  // Inputs are read in place through the order; only the (narrow) targets are gathered.
  std::vector<double> T(static_cast<size_t>(batch * n_out));
  std::vector<double> grads(job.clip_norm > 0.0 ? static_cast<size_t>(layout.parameter_count) : 0);
  const bool mean = job.objective.reduction == Reduction::Mean;

  EpochResult result;
  result.loss_sum = job.loss_sum_start;
  std::int64_t t = job.steps_taken;
  for (index_t start = 0; start < job.count; start += batch) {
    if (job.abort != nullptr && job.abort->load(std::memory_order_relaxed) != 0) break;
    const index_t n = std::min(batch, job.count - start);
    for (index_t r = 0; r < n; ++r) {
      const double* src = job.targets + job.order[start + r] * n_out;
      for (index_t j = 0; j < n_out; ++j) T[static_cast<size_t>(r * n_out + j)] = src[j];  // a few values: no memmove call
    }
    const Batch minibatch{{job.inputs, job.order + start, job.input_columns}, T.data(), n};
    double loss;
    if (job.clip_norm > 0.0) {
      loss = gradients(engine, layout, job.objective, job.params, minibatch, grads.data(), ws, masks);
      clip_gradient_norm(layout.parameter_count, grads.data(), job.clip_norm);
      step_parameters(*engine.kernels, layout, make_step(job.optimizer, job.learning_rate, ++t, 0.0), grads.data(),
                      job.params, job.state);
    } else {
      loss = training_step(engine, layout, job.objective, job.params, job.optimizer, job.state, ++t,
                           job.learning_rate, minibatch, ws, masks);
    }
    // The output activations are the minibatch's, from before its update.
    result.correct += count_correct(output, n, n_out, ws.activations.back(), T.data());
    result.floored += count_floored(job.objective.loss, n * n_out, ws.activations.back(), T.data());
    result.loss_sum += mean ? loss * static_cast<double>(n) : loss;
    result.minibatches += 1;
    result.rows += n;
  }
  return result;
}

}  // namespace deltaprop
