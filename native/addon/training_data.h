// A training set owned by the addon: `new TrainingData(inputs, targets, rows,
// inputWidth, outputWidth)` copies the arrays once per fit. Epochs share it
// through a shared_ptr, so an epoch running on a worker thread never reads
// memory JavaScript can modify, detach or free.
#pragma once

#include <napi.h>

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
};

class TrainingData : public Napi::ObjectWrap<TrainingData> {
 public:
  static void Register(Napi::Env env, Napi::Object exports);
  explicit TrainingData(const Napi::CallbackInfo& info);

  // The dataset of argument i, which must be a TrainingData made by this addon.
  static std::shared_ptr<const Dataset> read(const Args& args, size_t i);

 private:
  Napi::Value Rows(const Napi::CallbackInfo& info);
  std::shared_ptr<const Dataset> data_;
};

}  // namespace deltaprop::addon
