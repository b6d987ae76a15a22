#include "abort_flag.h"

#include "bindings.h"
#include "napi_arguments.h"

namespace deltaprop::addon {
namespace {
constexpr napi_type_tag kAbortFlagTag = {0x2f8c61d4b7e95a03ULL, 0xc41a9e3d72b6f580ULL};
}  // namespace

void AbortFlag::Register(Napi::Env env, Napi::Object exports) {
  exports.Set("AbortFlag", DefineClass(env, "AbortFlag",
                                       {InstanceMethod<&AbortFlag::Abort>("abort"),
                                        InstanceAccessor<&AbortFlag::Aborted>("aborted")}));
}

AbortFlag::AbortFlag(const Napi::CallbackInfo& info) : Napi::ObjectWrap<AbortFlag>(info) {
  const NapiArguments list(info);
  const Args args(list, "AbortFlag", 0);
  info.This().As<Napi::Object>().TypeTag(&kAbortFlagTag);
}

void AbortFlag::Abort(const Napi::CallbackInfo&) { flag_->store(1); }

Napi::Value AbortFlag::Aborted(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), flag_->load() != 0);
}

std::shared_ptr<std::atomic<int>> AbortFlag::read(const Napi::Value& v, const Args& args) {
  if (v.IsNull() || v.IsUndefined()) return nullptr;
  if (!v.IsObject() || !v.As<Napi::Object>().CheckTypeTag(&kAbortFlagTag))
    args.fail("abort", "expected an AbortFlag made by this addon, or null");
  return Unwrap(v.As<Napi::Object>())->flag_;
}

void register_abort_flag(Napi::Env env, Napi::Object exports) { AbortFlag::Register(env, exports); }

}  // namespace deltaprop::addon
