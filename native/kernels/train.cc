#include "train.h"

#include <algorithm>
#include <vector>

#include "sgd.h"

namespace deltaprop {

double train_epoch(const Engine& engine, const EpochJob& job) {
  const Layout& layout = *job.layout;
  const index_t batch = std::min(job.batch_size, job.rows);
  const index_t n_in = layout.inputs();
  const index_t n_out = layout.outputs();
  Workspace ws(layout, batch);
  std::vector<double> X(static_cast<size_t>(batch * n_in));
  std::vector<double> T(static_cast<size_t>(batch * n_out));
  std::vector<double> grads(static_cast<size_t>(layout.parameter_count));
  const bool mean = job.objective.reduction == Reduction::Mean;

  double total = 0.0;
  for (index_t start = 0; start < job.rows; start += batch) {
    const index_t n = std::min(batch, job.rows - start);
    for (index_t r = 0; r < n; ++r) {
      const index_t src = job.order[start + r];
      std::copy_n(job.inputs + src * n_in, n_in, X.data() + r * n_in);
      std::copy_n(job.targets + src * n_out, n_out, T.data() + r * n_out);
    }
    const double loss = gradients(engine, layout, job.objective, job.params, X.data(), T.data(), n, grads.data(), ws);
    total += mean ? loss * static_cast<double>(n) : loss;
    sgd_update(job.params, grads.data(), job.velocity, layout.parameter_count, job.learning_rate, job.momentum);
  }
  const double data = mean ? total / static_cast<double>(job.rows) : total;
  return data + l2_penalty(layout, job.objective, job.params, job.rows);
}

}  // namespace deltaprop
