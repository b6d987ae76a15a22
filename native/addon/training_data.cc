#include "training_data.h"

#include <string>

#include "bindings.h"

namespace deltaprop::addon {
namespace {
// Marks objects made by this class: unwrapping anything else (another addon's
// wrapped object, say) would be a type confusion, so read() checks the tag first.
constexpr napi_type_tag kTrainingDataTag = {0x6b1d8f2ce0a94c37ULL, 0x9e52b4d7a1c03f68ULL};
}  // namespace

void TrainingData::Register(Napi::Env env, Napi::Object exports) {
  exports.Set("TrainingData", DefineClass(env, "TrainingData", {InstanceAccessor<&TrainingData::Rows>("rows")}));
}

// new TrainingData(inputs, targets, rows, inputWidth, outputWidth)
TrainingData::TrainingData(const Napi::CallbackInfo& info) : Napi::ObjectWrap<TrainingData>(info) {
  const Args args(info, "TrainingData", 5);
  const auto inputs = args.float64(0, "inputs");
  const auto targets = args.float64(1, "targets");
  const index_t rows = args.integer(2, "rows", 1);
  const index_t input_width = args.integer(3, "inputWidth", 1);
  const index_t output_width = args.integer(4, "outputWidth", 1);
  args.require_length("inputs", inputs, rows * input_width);
  args.require_length("targets", targets, rows * output_width);
  auto data = std::make_shared<Dataset>();
  data->rows = rows;
  data->input_width = input_width;
  data->output_width = output_width;
  data->inputs.assign(inputs.data, inputs.data + rows * input_width);
  data->targets.assign(targets.data, targets.data + rows * output_width);
  data_ = std::move(data);
  info.This().As<Napi::Object>().TypeTag(&kTrainingDataTag);
}

Napi::Value TrainingData::Rows(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(data_->rows));
}

std::shared_ptr<const Dataset> TrainingData::read(const Args& args, size_t i) {
  const Napi::Value v = args.value(i);
  if (!v.IsObject() || !v.As<Napi::Object>().CheckTypeTag(&kTrainingDataTag)) {
    args.fail("data", "expected a TrainingData made by this addon");
  }
  return Unwrap(v.As<Napi::Object>())->data_;
}

void register_training_data(Napi::Env env, Napi::Object exports) { TrainingData::Register(env, exports); }

}  // namespace deltaprop::addon
