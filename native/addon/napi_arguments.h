// The ArgumentList of an N-API call: what Args reads in the addon.
#pragma once

#include <napi.h>

#include "args.h"

namespace deltaprop::addon {

class NapiArguments : public ArgumentList {
 public:
  explicit NapiArguments(const Napi::CallbackInfo& info) : info_(info) {}

  Napi::Env env() const { return info_.Env(); }
  Napi::Value value(size_t i) const { return info_[i]; }

  size_t length() const override { return info_.Length(); }
  bool is_absent(size_t i) const override;
  std::optional<bool> boolean(size_t i) const override;
  std::optional<double> number(size_t i) const override;
  std::optional<RawArray> typed_array(size_t i) const override;
  std::optional<size_t> list_length(size_t i) const override;
  std::vector<RawArray> typed_array_list(size_t i) const override;

 private:
  const Napi::CallbackInfo& info_;
};

}  // namespace deltaprop::addon
