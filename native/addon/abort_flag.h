// `new AbortFlag()`: a flag JavaScript raises (`abort()`) and a running epoch
// reads between minibatches, from its worker thread. The epoch keeps the
// flag alive through a shared_ptr, so it never reads freed memory.
#pragma once

#include <napi.h>

#include <atomic>
#include <memory>

#include "args.h"

namespace deltaprop::addon {

class AbortFlag : public Napi::ObjectWrap<AbortFlag> {
 public:
  static void Register(Napi::Env env, Napi::Object exports);
  explicit AbortFlag(const Napi::CallbackInfo& info);

  // The flag of `value`: an AbortFlag made by this addon, or null (none); args names the call in errors.
  static std::shared_ptr<std::atomic<int>> read(const Napi::Value& value, const Args& args);

 private:
  void Abort(const Napi::CallbackInfo& info);
  Napi::Value Aborted(const Napi::CallbackInfo& info);
  std::shared_ptr<std::atomic<int>> flag_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace deltaprop::addon
