#include "args.h"

#include <cmath>
#include <cstdint>
#include <cstdio>

namespace deltaprop::addon {

std::string format_number(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", x);
  return text;
}

bool share_memory(const double* a, index_t a_span, const double* b, index_t b_span) {
  if (a_span == 0 || b_span == 0) return false;
  const auto start_a = reinterpret_cast<std::uintptr_t>(a);
  const auto start_b = reinterpret_cast<std::uintptr_t>(b);
  return start_a < start_b + static_cast<std::uintptr_t>(b_span) * sizeof(double) &&
         start_b < start_a + static_cast<std::uintptr_t>(a_span) * sizeof(double);
}

namespace {

// The typed array of argument i, if it is one of `type`.
template <typename T>
ArrayView<T> typed_array(const Args& args, size_t i, const char* name, napi_typedarray_type type, const char* expected) {
  const Napi::Value v = args.value(i);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type) args.fail(name, std::string("expected ") + expected);
  auto array = v.As<Napi::TypedArrayOf<T>>();
  return {array.Data(), static_cast<index_t>(array.ElementLength()), true};
}

}  // namespace

Args::Args(const Napi::CallbackInfo& info, const char* function, size_t count) : info_(info), function_(function) {
  if (info.Length() != count) {
    fail("arguments", "expected " + std::to_string(count) + " arguments, got " + std::to_string(info.Length()));
  }
}

void Args::fail(const char* name, const std::string& message) const {
  throw Napi::Error::New(env(), std::string("deltaprop native ") + function_ + ": " + name + ": " + message);
}

bool Args::boolean(size_t i, const char* name) const {
  if (!info_[i].IsBoolean()) fail(name, "expected a boolean");
  return info_[i].As<Napi::Boolean>().Value();
}

double Args::finite(size_t i, const char* name) const {
  if (!info_[i].IsNumber()) fail(name, "expected a number");
  const double x = info_[i].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(x)) fail(name, "expected a finite number, got " + format_number(x));
  return x;
}

index_t Args::integer(size_t i, const char* name, index_t min, index_t max) const {
  const double x = finite(i, name);
  if (x != std::floor(x) || x < static_cast<double>(min) || x > static_cast<double>(max)) {
    fail(name, "expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " + format_number(x));
  }
  return static_cast<index_t>(x);
}

int Args::code(size_t i, const char* name, int count) const {
  return static_cast<int>(integer(i, name, 0, count - 1));
}

ArrayView<double> Args::float64(size_t i, const char* name) const {
  return typed_array<double>(*this, i, name, napi_float64_array, "a Float64Array");
}

ArrayView<double> Args::optional_float64(size_t i, const char* name) const {
  if (info_[i].IsNull() || info_[i].IsUndefined()) return {};
  return float64(i, name);
}


ArrayView<std::int32_t> Args::int32(size_t i, const char* name) const {
  return typed_array<std::int32_t>(*this, i, name, napi_int32_array, "an Int32Array");
}

ArrayView<std::uint32_t> Args::uint32(size_t i, const char* name) const {
  return typed_array<std::uint32_t>(*this, i, name, napi_uint32_array, "a Uint32Array");
}

void Args::require_length(const char* name, const ArrayView<double>& view, index_t needed) const {
  if (view.length < needed) {
    fail(name, "expected at least " + std::to_string(needed) + " elements, got " + std::to_string(view.length));
  }
}

}  // namespace deltaprop::addon
