// A training set owned by the addon: `new TrainingData(rows, inputWidth,
// outputWidth, weighted)` allocates it (zeroed) and `setRows(start, inputs,
// targets, count, weights?)` copies rows in (and their weights, exactly when
// the set is weighted), so that JavaScript can fill it a few rows at a time
// (from number[][] or a stream) without ever holding a second full copy.
// Epochs share it through a shared_ptr, so an epoch running on a worker
// thread never reads memory JavaScript can modify, detach or free. Rows are
// only written while no epoch runs on it (setRows refuses otherwise).
// `touchPages()` maps the set's fresh pages on a worker thread (a Promise),
// so that the copy filling them runs at memory speed on the JavaScript
// thread; setRows is refused meanwhile.
// `release()` lets go of the rows at once (an epoch still running keeps them
// until it ends) and leaves an empty set of 0 rows: fit calls it when done,
// so the next fit's buffer reuses freed memory instead of faulting in fresh
// pages, and the memory does not wait for the garbage collector.
#pragma once

#include <napi.h>

#include <memory>

#include "dataset.h"

namespace deltaprop::addon {

class TrainingData : public Napi::ObjectWrap<TrainingData> {
 public:
  static void Register(Napi::Env env, Napi::Object exports);
  explicit TrainingData(const Napi::CallbackInfo& info);

  // The dataset of `value`, or null when it is not a TrainingData made by this addon.
  static std::shared_ptr<Dataset> dataset(const Napi::Value& value);

 private:
  Napi::Value Rows(const Napi::CallbackInfo& info);
  void SetRows(const Napi::CallbackInfo& info);
  void CopyRows(const Napi::CallbackInfo& info);
  void Release(const Napi::CallbackInfo& info);
  Napi::Value TouchPages(const Napi::CallbackInfo& info);
  std::shared_ptr<Dataset> data_;
};

}  // namespace deltaprop::addon
