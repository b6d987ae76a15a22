// A training set owned by the addon: `new TrainingData(rows, inputWidth,
// outputWidth)` allocates it (zeroed) and `setRows(start, inputs, targets,
// count)` copies rows in, so that JavaScript can fill it a few rows at a time
// (from number[][] or a stream) without ever holding a second full copy.
// Epochs share it through a shared_ptr, so an epoch running on a worker
// thread never reads memory JavaScript can modify, detach or free. Rows are
// only written while no epoch runs on it (setRows refuses otherwise).
#pragma once

#include <napi.h>

#include <atomic>
#include <memory>
#include <vector>

#include "../kernels/codes.h"
#include "args.h"

namespace deltaprop::addon {

struct Dataset {
  index_t rows = 0;
  index_t input_width = 0;
  index_t output_width = 0;
  std::vector<double> inputs;   // rows × input_width
  std::vector<double> targets;  // rows × output_width
  std::atomic<int> epochs_running{0};
};

class TrainingData : public Napi::ObjectWrap<TrainingData> {
 public:
  static void Register(Napi::Env env, Napi::Object exports);
  explicit TrainingData(const Napi::CallbackInfo& info);

  // The dataset of argument i, which must be a TrainingData made by this addon.
  static std::shared_ptr<Dataset> read(const Args& args, size_t i);
  static bool is(const Napi::Value& value);

 private:
  Napi::Value Rows(const Napi::CallbackInfo& info);
  void SetRows(const Napi::CallbackInfo& info);
  void CopyRows(const Napi::CallbackInfo& info);
  std::shared_ptr<Dataset> data_;
};

}  // namespace deltaprop::addon
