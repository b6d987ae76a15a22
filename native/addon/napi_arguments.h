// The ArgumentList of an N-API call, or of one array inside a call (a list
// of calls' arguments, as trainEpochsAsync takes): what Args reads in the addon.
#pragma once

#include <napi.h>

#include <vector>

#include "args.h"

namespace deltaprop::addon {

class NapiArguments : public ArgumentList {
 public:
  explicit NapiArguments(const Napi::CallbackInfo& info);
  // The elements of a JavaScript array, each read once now (an index getter runs at most once).
  explicit NapiArguments(const Napi::Array& list);

  Napi::Env env() const { return env_; }
  // Argument i, undefined past the end (as JavaScript has it).
  Napi::Value value(size_t i) const { return i < values_.size() ? values_[i] : env_.Undefined(); }

  size_t length() const override { return values_.size(); }
  bool is_absent(size_t i) const override;
  std::optional<bool> boolean(size_t i) const override;
  std::optional<double> number(size_t i) const override;
  std::optional<RawArray> typed_array(size_t i) const override;
  std::optional<size_t> list_length(size_t i) const override;
  std::vector<RawArray> typed_array_list(size_t i) const override;

 private:
  Napi::Env env_;
  std::vector<Napi::Value> values_;
};

}  // namespace deltaprop::addon
