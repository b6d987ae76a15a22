#include "training_data.h"

#include <algorithm>
#include <string>

#include "bindings.h"

namespace deltaprop::addon {
namespace {
// Marks objects made by this class: unwrapping anything else (another addon's
// wrapped object, say) would be a type confusion, so read() checks the tag first.
constexpr napi_type_tag kTrainingDataTag = {0x6b1d8f2ce0a94c37ULL, 0x9e52b4d7a1c03f68ULL};

// The most doubles one TrainingData holds: far inside what a vector can index.
constexpr index_t kMaxValues = index_t{1} << 40;

void refuse_while_training(const Args& args, const Dataset& data) {
  if (data.epochs_running.load() != 0) args.fail("data", "cannot change rows while an epoch trains on them");
}
}  // namespace

void TrainingData::Register(Napi::Env env, Napi::Object exports) {
  exports.Set("TrainingData", DefineClass(env, "TrainingData", {InstanceAccessor<&TrainingData::Rows>("rows"),
                                                                 InstanceMethod<&TrainingData::SetRows>("setRows"),
                                                                 InstanceMethod<&TrainingData::CopyRows>("copyRows")}));
}

// new TrainingData(rows, inputWidth, outputWidth)
TrainingData::TrainingData(const Napi::CallbackInfo& info) : Napi::ObjectWrap<TrainingData>(info) {
  const Args args(info, "TrainingData", 3);
  const index_t rows = args.integer(0, "rows", 1);
  const index_t input_width = args.integer(1, "inputWidth", 1);
  const index_t output_width = args.integer(2, "outputWidth", 1);
  if (rows * (input_width + output_width) > kMaxValues) {
    args.fail("rows", "expected at most " + std::to_string(kMaxValues) + " values in all, got " + std::to_string(rows) +
                          " × (" + std::to_string(input_width) + " + " + std::to_string(output_width) + ")");
  }
  auto data = std::make_shared<Dataset>();
  data->rows = rows;
  data->input_width = input_width;
  data->output_width = output_width;
  data->inputs.resize(static_cast<size_t>(rows * input_width));  // std::bad_alloc becomes a JS error
  data->targets.resize(static_cast<size_t>(rows * output_width));
  data_ = std::move(data);
  info.This().As<Napi::Object>().TypeTag(&kTrainingDataTag);
}

Napi::Value TrainingData::Rows(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(data_->rows));
}

// setRows(start, inputs, targets, count): rows [start, start + count) from the first count rows of the arrays.
void TrainingData::SetRows(const Napi::CallbackInfo& info) {
  const Args args(info, "TrainingData.setRows", 4);
  Dataset& d = *data_;
  const index_t start = args.integer(0, "start", 0, d.rows);
  const auto inputs = args.float64(1, "inputs");
  const auto targets = args.float64(2, "targets");
  const index_t count = args.integer(3, "count", 0, d.rows - start);
  args.require_length("inputs", inputs, count * d.input_width);
  args.require_length("targets", targets, count * d.output_width);
  refuse_while_training(args, d);
  std::copy(inputs.data, inputs.data + count * d.input_width, d.inputs.begin() + start * d.input_width);
  std::copy(targets.data, targets.data + count * d.output_width, d.targets.begin() + start * d.output_width);
}

// copyRows(target, start, count): rows [start, start + count) to [target, target + count), as memmove.
void TrainingData::CopyRows(const Napi::CallbackInfo& info) {
  const Args args(info, "TrainingData.copyRows", 3);
  Dataset& d = *data_;
  const index_t target = args.integer(0, "target", 0, d.rows);
  const index_t start = args.integer(1, "start", 0, d.rows);
  const index_t count = args.integer(2, "count", 0, d.rows - std::max(target, start));
  refuse_while_training(args, d);
  const auto move = [&](std::vector<double>& values, index_t width) {
    std::copy(values.begin() + start * width, values.begin() + (start + count) * width, values.begin() + target * width);
  };
  if (target > start) {
    // Overlapping towards the end: copy backwards.
    const auto move_back = [&](std::vector<double>& values, index_t width) {
      std::copy_backward(values.begin() + start * width, values.begin() + (start + count) * width,
                         values.begin() + (target + count) * width);
    };
    move_back(d.inputs, d.input_width);
    move_back(d.targets, d.output_width);
    return;
  }
  move(d.inputs, d.input_width);
  move(d.targets, d.output_width);
}

bool TrainingData::is(const Napi::Value& value) {
  return value.IsObject() && value.As<Napi::Object>().CheckTypeTag(&kTrainingDataTag);
}

std::shared_ptr<Dataset> TrainingData::read(const Args& args, size_t i) {
  const Napi::Value v = args.value(i);
  if (!is(v)) args.fail("data", "expected a TrainingData made by this addon");
  return Unwrap(v.As<Napi::Object>())->data_;
}

void register_training_data(Napi::Env env, Napi::Object exports) { TrainingData::Register(env, exports); }

}  // namespace deltaprop::addon
