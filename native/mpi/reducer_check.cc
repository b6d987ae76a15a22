#include "reducer_check.h"

#include <string>
#include <vector>

#include "reducer_api.h"

namespace deltaprop::mpi {
namespace {

class ReducerCheck final : public Napi::AsyncWorker {
 public:
  ReducerCheck(Napi::Env env, const DeltapropReducer& table)
      : Napi::AsyncWorker(env), table_(table), deferred_(Napi::Promise::Deferred::New(env)) {}

  void add(Napi::TypedArrayOf<double> buffer) {
    keep_.push_back(Napi::Persistent(static_cast<Napi::Value>(buffer)));
    buffers_.push_back({buffer.Data(), buffer.ElementLength()});
  }

  Napi::Promise promise() { return deferred_.Promise(); }

  void Execute() override {
    for (const Buffer& buffer : buffers_) {
      if (table_.start(table_.context, buffer.data, buffer.count) != 0) break;  // wait_all says why
    }
    char message[512];
    status_ = table_.wait_all(table_.context, message, sizeof message);
    message_ = message;
  }

  void OnOK() override {
    Napi::Object result = Napi::Object::New(Env());
    result.Set("status", status_);
    result.Set("message", message_);
    deferred_.Resolve(result);
  }

  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  struct Buffer {
    double* data;
    size_t count;
  };

  const DeltapropReducer& table_;
  Napi::Promise::Deferred deferred_;
  std::vector<Napi::Reference<Napi::Value>> keep_;
  std::vector<Buffer> buffers_;
  int status_ = -1;
  std::string message_;
};

}  // namespace

Napi::Value check_reducer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  // The checks the main addon makes of what it is handed.
  if (info.Length() < 2 || !info[0].IsExternal() ||
      !info[0].As<Napi::External<DeltapropReducer>>().CheckTypeTag(&kDeltapropReducerTag)) {
    throw Napi::TypeError::New(env, "deltaprop_mpi checkReducer: reducer: expected a reducer table");
  }
  const DeltapropReducer* table = info[0].As<Napi::External<DeltapropReducer>>().Data();
  if (table->version != kDeltapropReducerVersion)
    throw Napi::TypeError::New(env, "deltaprop_mpi checkReducer: reducer: unknown version");
  if (!info[1].IsArray())
    throw Napi::TypeError::New(env, "deltaprop_mpi checkReducer: buffers: expected an array of Float64Array");
  Napi::Array list = info[1].As<Napi::Array>();
  auto* check = new ReducerCheck(env, *table);
  for (uint32_t i = 0; i < list.Length(); ++i) {
    Napi::Value item = list.Get(i);
    if (!item.IsTypedArray() || item.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
      delete check;
      throw Napi::TypeError::New(env, "deltaprop_mpi checkReducer: buffers: expected an array of Float64Array");
    }
    check->add(item.As<Napi::TypedArrayOf<double>>());
  }
  Napi::Promise promise = check->promise();
  check->Queue();
  return promise;
}

}  // namespace deltaprop::mpi
