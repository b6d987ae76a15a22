#include "training_data.h"

#include "bindings.h"
#include "napi_arguments.h"

namespace deltaprop::addon {
namespace {
// Marks objects made by this class: unwrapping anything else (another addon's
// wrapped object, say) would be a type confusion, so dataset() checks the tag first.
constexpr napi_type_tag kTrainingDataTag = {0x6b1d8f2ce0a94c37ULL, 0x9e52b4d7a1c03f68ULL};
}  // namespace

void TrainingData::Register(Napi::Env env, Napi::Object exports) {
  exports.Set("TrainingData", DefineClass(env, "TrainingData",
                                          {InstanceAccessor<&TrainingData::Rows>("rows"),
                                           InstanceMethod<&TrainingData::SetRows>("setRows"),
                                           InstanceMethod<&TrainingData::CopyRows>("copyRows"),
                                           InstanceMethod<&TrainingData::Release>("release"),
                                           InstanceMethod<&TrainingData::TouchPages>("touchPages")}));
}

TrainingData::TrainingData(const Napi::CallbackInfo& info) : Napi::ObjectWrap<TrainingData>(info) {
  const NapiArguments list(info);
  data_ = make_dataset(read_dataset_shape(Args(list, "TrainingData", kDatasetArgs)));
  info.This().As<Napi::Object>().TypeTag(&kTrainingDataTag);
}

Napi::Value TrainingData::Rows(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(data_->rows));
}

void TrainingData::SetRows(const Napi::CallbackInfo& info) {
  const NapiArguments list(info);
  call_set_rows(Args(list, "TrainingData.setRows", kSetRowsArgs, kSetRowsOptionalArgs), *data_);
}

void TrainingData::CopyRows(const Napi::CallbackInfo& info) {
  const NapiArguments list(info);
  call_copy_rows(Args(list, "TrainingData.copyRows", kCopyRowsArgs), *data_);
}

void TrainingData::Release(const Napi::CallbackInfo&) { data_ = std::make_shared<Dataset>(); }

namespace {

// touch_pages on a libuv worker thread; the data set is kept alive, and in use, until it ends.
class TouchWorker : public Napi::AsyncWorker {
 public:
  TouchWorker(Napi::Env env, std::shared_ptr<Dataset> data)
      : Napi::AsyncWorker(env, "deltaprop.touchPages"),
        data_(data),
        in_use_(std::move(data)),
        deferred_(Napi::Promise::Deferred::New(env)) {}

  Napi::Promise promise() const { return deferred_.Promise(); }
  void Execute() override { touch_pages(*data_); }
  void OnOK() override { deferred_.Resolve(Env().Undefined()); }
  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  std::shared_ptr<Dataset> data_;
  DatasetInUse in_use_;
  Napi::Promise::Deferred deferred_;
};

}  // namespace

Napi::Value TrainingData::TouchPages(const Napi::CallbackInfo& info) {
  auto* worker = new TouchWorker(info.Env(), data_);  // deleted by node-addon-api after OnOK/OnError
  const Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

std::shared_ptr<Dataset> TrainingData::dataset(const Napi::Value& value) {
  if (!value.IsObject() || !value.As<Napi::Object>().CheckTypeTag(&kTrainingDataTag)) return nullptr;
  return Unwrap(value.As<Napi::Object>())->data_;
}

void register_training_data(Napi::Env env, Napi::Object exports) { TrainingData::Register(env, exports); }

}  // namespace deltaprop::addon
