// Reading and checking the arguments of an addon call. Every failure throws a
// Napi::Error (a JS exception) naming the function and the argument; nothing
// that reaches the kernels can make them read or write out of bounds.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

#include "../kernels/codes.h"

namespace deltaprop::addon {

// Shortest text that reads back as the same double (integers print as integers).
std::string format_number(double x);

// Whether the first `a_span` elements at a and the first `b_span` at b share memory (by address).
bool share_memory(const double* a, index_t a_span, const double* b, index_t b_span);

// Largest dimension accepted from JS; keeps every product of two in int64 range.
constexpr index_t kMaxDimension = 0x7fffffff;

template <typename T>
struct ArrayView {
  T* data = nullptr;
  index_t length = 0;
  bool present = false;  // false for an optional argument given as null/undefined
};

class Args {
 public:
  Args(const Napi::CallbackInfo& info, const char* function, size_t count);

  Napi::Env env() const { return info_.Env(); }
  Napi::Value value(size_t i) const { return info_[i]; }

  bool boolean(size_t i, const char* name) const;
  double finite(size_t i, const char* name) const;
  index_t integer(size_t i, const char* name, index_t min, index_t max = kMaxDimension) const;
  int code(size_t i, const char* name, int count) const;
  ArrayView<double> float64(size_t i, const char* name) const;
  ArrayView<double> optional_float64(size_t i, const char* name) const;
  ArrayView<std::int32_t> int32(size_t i, const char* name) const;
  ArrayView<std::uint32_t> uint32(size_t i, const char* name) const;

  // Throws unless `view` holds at least `needed` elements.
  void require_length(const char* name, const ArrayView<double>& view, index_t needed) const;

  [[noreturn]] void fail(const char* name, const std::string& message) const;

 private:
  const Napi::CallbackInfo& info_;
  const char* function_;
};

}  // namespace deltaprop::addon
