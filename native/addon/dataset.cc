#include "dataset.h"

#include <algorithm>
#include <string>

namespace deltaprop::addon {
namespace {

// Rows are only written while no epoch runs on them.
void refuse_while_training(const Args& args, const Dataset& data) {
  if (data.epochs_running.load() != 0) args.fail("data", "cannot change rows while an epoch trains on them");
}

}  // namespace

DatasetShape read_dataset_shape(const Args& args) {
  const index_t rows = args.integer(0, "rows", 1);
  const index_t input_width = args.integer(1, "inputWidth", 1);
  const index_t output_width = args.integer(2, "outputWidth", 1);
  const bool weighted = args.boolean(3, "weighted");
  const index_t weight_width = weighted ? 1 : 0;
  if (rows * (input_width + output_width + weight_width) > kMaxDatasetValues) {
    args.fail("rows", "expected at most " + std::to_string(kMaxDatasetValues) + " values in all, got " +
                          std::to_string(rows) + " × (" + std::to_string(input_width) + " + " +
                          std::to_string(output_width) + " + " + std::to_string(weight_width) + ")");
  }
  return {rows, input_width, output_width, weighted};
}

std::shared_ptr<Dataset> make_dataset(const DatasetShape& shape) {
  auto data = std::make_shared<Dataset>();
  data->rows = shape.rows;
  data->input_width = shape.input_width;
  data->output_width = shape.output_width;
  data->weighted = shape.weighted;
  data->inputs = ZeroedArray(static_cast<size_t>(shape.rows * shape.input_width));
  data->targets = ZeroedArray(static_cast<size_t>(shape.rows * shape.output_width));
  if (shape.weighted) data->weights = ZeroedArray(static_cast<size_t>(shape.rows));
  return data;
}

void call_set_rows(const Args& args, Dataset& d) {
  const index_t start = args.integer(0, "start", 0, d.rows);
  const auto inputs = args.float64(1, "inputs");
  const auto targets = args.float64(2, "targets");
  const index_t count = args.integer(3, "count", 0, d.rows - start);
  const auto weights = args.optional_float64(4, "weights");
  args.require_length("inputs", inputs, count * d.input_width);
  args.require_length("targets", targets, count * d.output_width);
  if (weights.present != d.weighted) {
    args.fail("weights", d.weighted ? "expected a Float64Array: this TrainingData is weighted"
                                    : "expected none: this TrainingData was made unweighted");
  }
  if (d.weighted) {
    args.require_length("weights", weights, count);
    // Checked where they are, then copied: nothing runs in between, and the
    // set's own memory is never JavaScript's, so no array can alias it.
    args.require_weights("weights", weights.data, count);
  }
  refuse_while_training(args, d);
  std::copy(inputs.data, inputs.data + count * d.input_width, d.inputs.data() + start * d.input_width);
  std::copy(targets.data, targets.data + count * d.output_width, d.targets.data() + start * d.output_width);
  if (d.weighted) std::copy(weights.data, weights.data + count, d.weights.data() + start);
}

void call_copy_rows(const Args& args, Dataset& d) {
  const index_t target = args.integer(0, "target", 0, d.rows);
  const index_t start = args.integer(1, "start", 0, d.rows);
  const index_t count = args.integer(2, "count", 0, d.rows - std::max(target, start));
  refuse_while_training(args, d);
  // Overlapping towards the end: copy backwards.
  const auto move = [&](ZeroedArray& values, index_t width) {
    double* first = values.data() + start * width;
    double* last = values.data() + (start + count) * width;
    if (target > start) {
      std::copy_backward(first, last, values.data() + (target + count) * width);
    } else {
      std::copy(first, last, values.data() + target * width);
    }
  };
  move(d.inputs, d.input_width);
  move(d.targets, d.output_width);
  if (d.weighted) move(d.weights, 1);
}

void touch_pages(Dataset& d) {
  constexpr index_t kPageDoubles = 4096 / sizeof(double);
  const auto touch = [](double* values, index_t count) {
    // volatile: the stores write zeros over zeros, which the compiler would otherwise drop.
    volatile double* v = values;
    for (index_t i = 0; i < count; i += kPageDoubles) v[i] = 0.0;
  };
  if (d.inputs.data() != nullptr) touch(d.inputs.data(), d.rows * d.input_width);
  if (d.targets.data() != nullptr) touch(d.targets.data(), d.rows * d.output_width);
  if (d.weights.data() != nullptr) touch(d.weights.data(), d.rows);
}

}  // namespace deltaprop::addon
