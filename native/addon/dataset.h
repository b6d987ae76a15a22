// A training set owned by the addon (see training_data.h for its JS face),
// and the calls that make and fill it, each decoding and checking its
// arguments. Free of N-API, so the bindings and the fuzzer run the same code.
#pragma once

#include <atomic>
#include <memory>
#include "args.h"
#include "zeroed_array.h"

namespace deltaprop::addon {

struct Dataset {
  index_t rows = 0;
  index_t input_width = 0;
  index_t output_width = 0;
  bool weighted = false;
  ZeroedArray inputs;   // rows × input_width
  ZeroedArray targets;  // rows × output_width
  ZeroedArray weights;  // rows when weighted (a row not set yet weighs 0), else empty
  std::atomic<int> epochs_running{0};

  // Each row's weight, or null: every row weighs 1.
  const double* row_weights() const { return weighted ? weights.data() : nullptr; }
};

// Counts the work running on a dataset (epochs, the first touch of its
// pages), so that setRows refuses meanwhile.
class DatasetInUse {
 public:
  explicit DatasetInUse(std::shared_ptr<Dataset> data) : data_(std::move(data)) {
    if (data_) data_->epochs_running.fetch_add(1);
  }
  ~DatasetInUse() {
    if (data_) data_->epochs_running.fetch_sub(1);
  }
  DatasetInUse(const DatasetInUse&) = delete;
  DatasetInUse& operator=(const DatasetInUse&) = delete;

 private:
  std::shared_ptr<Dataset> data_;
};

// Writes one zero into every page of the dataset's (zeroed) arrays, so that
// the kernel maps them now: the first touch of fresh pages costs more than
// the copy into them (1.7 against 7 to 11 GB/s here), and done on a worker
// thread it leaves the copy that fills the rows at memory speed.
void touch_pages(Dataset& data);

// The most doubles one dataset holds: far inside what a vector can index.
constexpr index_t kMaxDatasetValues = index_t{1} << 40;

// new TrainingData(rows, inputWidth, outputWidth, weighted): checked sizes, zeroed rows.
struct DatasetShape {
  index_t rows, input_width, output_width;
  bool weighted;
};
constexpr size_t kDatasetArgs = 4;
DatasetShape read_dataset_shape(const Args& args);
std::shared_ptr<Dataset> make_dataset(const DatasetShape& shape);  // std::bad_alloc becomes a JS error

// setRows(start, inputs, targets, count, weights?): rows [start, start + count)
// from the first count rows of the arrays. Weights (finite, ≥ 0) are given
// exactly when the set is weighted; the last argument may be left out.
constexpr size_t kSetRowsArgs = 5;
constexpr size_t kSetRowsOptionalArgs = 1;
void call_set_rows(const Args& args, Dataset& data);

// copyRows(target, start, count): rows [start, start + count) to [target, target + count), as memmove, weights too.
constexpr size_t kCopyRowsArgs = 3;
void call_copy_rows(const Args& args, Dataset& data);

}  // namespace deltaprop::addon
