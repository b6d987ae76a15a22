#include "train.h"

#include <algorithm>
#include <vector>

#include "loss.h"
#include "metrics.h"

namespace deltaprop {
namespace {

// The step taken from a whole gradient (clipped first when the job clips):
// what a clipping epoch and a data-parallel one share.
void step_whole_gradient(const Engine& engine, const EpochJob& job, double* grads, std::int64_t t) {
  const Layout& layout = *job.layout;
  if (job.clip_norm > 0.0) clip_gradient_norm(layout.parameter_count, grads, job.clip_norm);
  step_parameters(*engine.kernels, layout, make_step(job.optimizer, job.learning_rate, t, 0.0), grads, job.params,
                  job.state);
}

// Hands each layer's slice of the gradient (its weights, then its biases) to
// the reducer as soon as backprop has finished it.
class LayerSums final : public LayerGradientListener {
 public:
  LayerSums(const Layout& layout, double* grads, GradientReducer& reducer)
      : layout_(layout), grads_(grads), reducer_(reducer) {}

  void layer_done(index_t l) override {
    const index_t size = layout_.weight_count(l) + (layout_.bias ? layout_.sizes[l + 1] : 0);
    reducer_.start(grads_ + layout_.weight_offsets[l], size);
  }

  // The same sums, in the same order, for a process with no rows in this
  // minibatch: every process must start every one.
  void every_layer() {
    for (index_t l = layout_.layer_count() - 1; l >= 0; --l) layer_done(l);
  }

 private:
  const Layout& layout_;
  double* grads_;
  GradientReducer& reducer_;
};

// One step of a data-parallel epoch: the gradient of this process's rows
// (a sum over them), summed over every process, then the step every process
// takes alike: scaled for Mean over the global minibatch, L2 and clipping as
// a lone process applies them. Returns the data loss of this process's rows,
// summed.
double data_parallel_step(const Engine& engine, const EpochJob& job, const Batch& mine, index_t global_rows,
                          std::vector<double>& gradient, Workspace& ws, std::int64_t t) {
  double* grads = gradient.data();
  const Layout& layout = *job.layout;
  Objective summed = job.objective;
  summed.reduction = Reduction::Sum;
  summed.l2 = 0.0;
  LayerSums sums(layout, grads, *job.data_parallel->reducer);
  double loss = 0.0;
  if (mine.rows > 0) {
    loss = gradients(engine, layout, summed, job.params, mine, grads, ws, nullptr, &sums);
  } else {
    std::fill(grads, grads + layout.parameter_count, 0.0);
    sums.every_layer();
  }
  try {
    job.data_parallel->reducer->wait_all();
  } catch (...) {
    // A failed sum may still be written by the transport later (MPI never
    // cancels it): the gradient it was summing must outlive the process.
    new std::vector<double>(std::move(gradient));  // deliberately never freed
    throw;
  }
  if (job.objective.reduction == Reduction::Mean) {
    const double inverse = 1.0 / static_cast<double>(global_rows);
    for (index_t i = 0; i < layout.parameter_count; ++i) grads[i] *= inverse;
  }
  const double l2_scale = l2_gradient_scale(job.objective, static_cast<double>(global_rows));
  for (index_t l = 0; l < layout.layer_count(); ++l) add_l2_gradient(layout, l, l2_scale, job.params, grads);
  step_whole_gradient(engine, job, grads, t);
  return loss;
}

}  // namespace

EpochResult train_epoch(const Engine& engine, const EpochJob& job) {
  const Layout& layout = *job.layout;
  const index_t batch = std::max<index_t>(1, std::min(job.batch_size, job.count));
  const DataParallel* parallel = job.data_parallel;
  const index_t ranks = parallel != nullptr ? parallel->ranks : 1;
  const index_t rank = parallel != nullptr ? parallel->rank : 0;
  // Every process visits the same global minibatches; its share of one is
  // `batch` rows from rank × batch (none when the last one is short).
  const index_t global_batch = batch * ranks;
  const index_t n_out = layout.outputs();
  const Activation output = layout.activations.back();
  Workspace ws(layout, batch, job.dropout_rates);
  const Dropout dropout{job.dropout_rates, job.random};
  const Dropout* masks = job.dropout_rates != nullptr ? &dropout : nullptr;
  // Inputs are read in place through the order; only the (narrow) targets
  // and the weights are gathered.
  std::vector<double> T(static_cast<size_t>(batch * n_out));
  std::vector<double> weights(job.weights != nullptr ? static_cast<size_t>(batch) : 0);
  const bool whole_gradient = job.clip_norm > 0.0 || parallel != nullptr;
  std::vector<double> grads(whole_gradient ? static_cast<size_t>(layout.parameter_count) : 0);
  const bool mean = job.objective.reduction == Reduction::Mean;

  EpochResult result;
  result.loss_sum = job.loss_sum_start;
  std::int64_t t = job.steps_taken;
  for (index_t global_start = 0; global_start < job.count; global_start += global_batch) {
    if (job.abort != nullptr && job.abort->load(std::memory_order_relaxed) != 0) break;
    const index_t global_rows = std::min(global_batch, job.count - global_start);
    const index_t start = global_start + std::min(rank * batch, global_rows);
    const index_t n = std::min(batch, global_start + global_rows - start);
    for (index_t r = 0; r < n; ++r) {
      const double* src = job.targets + job.order[start + r] * n_out;
      for (index_t j = 0; j < n_out; ++j)
        T[static_cast<size_t>(r * n_out + j)] = src[j];  // a few values: no memmove call
      if (job.weights != nullptr) weights[static_cast<size_t>(r)] = job.weights[job.order[start + r]];
    }
    const Batch minibatch{{job.inputs, job.order + start, job.input_columns},
                          T.data(),
                          n,
                          job.weights != nullptr ? weights.data() : nullptr};
    const double normaliser = minibatch.normaliser();
    // Weighted, a minibatch of total weight 0 takes no step; it still runs
    // forward (drawing its dropout masks, as the js engine does) for the counts.
    const bool takes_step = job.weights == nullptr || normaliser > 0.0;
    double loss = 0.0;
    if (!takes_step) {
      training_forward(engine, layout, job.params, minibatch, ws, masks);
    } else if (parallel != nullptr) {
      loss = data_parallel_step(engine, job, minibatch, global_rows, grads, ws, ++t);
    } else if (job.clip_norm > 0.0) {
      loss = gradients(engine, layout, job.objective, job.params, minibatch, grads.data(), ws, masks);
      step_whole_gradient(engine, job, grads.data(), ++t);
    } else {
      loss = training_step(engine, layout, job.objective, job.params, job.optimizer, job.state, ++t, job.learning_rate,
                           minibatch, ws, masks);
    }
    // The output activations are the minibatch's, from before its update.
    result.correct += count_correct(output, n, n_out, ws.activations.back(), T.data());
    result.floored += count_floored(job.objective.loss, n * n_out, ws.activations.back(), T.data());
    // A data-parallel step's loss is already a sum over this process's rows.
    if (takes_step) result.loss_sum += mean && parallel == nullptr ? loss * normaliser : loss;
    result.minibatches += 1;
    result.rows += n;
    result.weight_sum += normaliser;
    if (takes_step) result.steps += 1;
  }
  return result;
}

}  // namespace deltaprop
