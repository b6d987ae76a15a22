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

Args::Args(const ArgumentList& list, const char* function, size_t count, size_t optional)
    : list_(list), function_(function) {
  if (list.length() > count || list.length() + optional < count) {
    const std::string expected =
        optional == 0 ? std::to_string(count) : std::to_string(count - optional) + " to " + std::to_string(count);
    fail("arguments", "expected " + expected + " arguments, got " + std::to_string(list.length()));
  }
}

void Args::fail(const char* name, const std::string& message) const {
  throw ArgumentError(std::string("deltaprop native ") + function_ + ": " + name + ": " + message);
}

bool Args::boolean(size_t i, const char* name) const {
  const auto value = list_.boolean(i);
  if (!value) fail(name, "expected a boolean");
  return *value;
}

double Args::number(size_t i, const char* name) const {
  const auto x = list_.number(i);
  if (!x) fail(name, "expected a number");
  return *x;
}

double Args::finite(size_t i, const char* name) const {
  const double x = number(i, name);
  if (!std::isfinite(x)) fail(name, "expected a finite number, got " + format_number(x));
  return x;
}

index_t Args::integer(size_t i, const char* name, index_t min, index_t max) const {
  const double x = finite(i, name);
  if (x != std::floor(x) || x < static_cast<double>(min) || x > static_cast<double>(max)) {
    fail(name,
         "expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " + format_number(x));
  }
  return static_cast<index_t>(x);
}

int Args::code(size_t i, const char* name, int count) const { return static_cast<int>(integer(i, name, 0, count - 1)); }

template <typename T>
ArrayView<T> Args::typed(size_t i, const char* name, ElementType type, const char* expected) const {
  const auto array = list_.typed_array(i);
  if (!array || array->type != type) fail(name, std::string("expected ") + expected);
  return {static_cast<T*>(array->data), array->length, true};
}

ArrayView<double> Args::float64(size_t i, const char* name) const {
  return typed<double>(i, name, ElementType::Float64, "a Float64Array");
}

ArrayView<double> Args::optional_float64(size_t i, const char* name) const {
  if (list_.is_absent(i)) return {};
  return float64(i, name);
}

ArrayView<std::int32_t> Args::int32(size_t i, const char* name) const {
  return typed<std::int32_t>(i, name, ElementType::Int32, "an Int32Array");
}

ArrayView<std::uint32_t> Args::uint32(size_t i, const char* name) const {
  return typed<std::uint32_t>(i, name, ElementType::Uint32, "a Uint32Array");
}

std::vector<ArrayView<double>> Args::float64_list(size_t i, const char* name, index_t count) const {
  const auto length = list_.list_length(i);
  if (!length) fail(name, "expected an array of Float64Array");
  if (*length != static_cast<size_t>(count))
    fail(name, "expected " + std::to_string(count) + " arrays, got " + std::to_string(*length));
  const std::vector<RawArray> elements = list_.typed_array_list(i);
  // Reading the elements can run JavaScript that changes the array's length.
  if (elements.size() != static_cast<size_t>(count)) fail(name, "changed its length while it was read");
  std::vector<ArrayView<double>> views;
  for (const RawArray& element : elements) {
    if (element.type != ElementType::Float64) fail(name, "expected every element to be a Float64Array");
    views.push_back({static_cast<double*>(element.data), element.length, true});
  }
  return views;
}

void Args::require_length(const char* name, const ArrayView<double>& view, index_t needed) const {
  if (view.length < needed) {
    fail(name, "expected at least " + std::to_string(needed) + " elements, got " + std::to_string(view.length));
  }
}

void Args::require_weights(const char* name, const double* values, index_t n) const {
  for (index_t i = 0; i < n; ++i) {
    if (!(std::isfinite(values[i]) && values[i] >= 0.0)) {
      fail(name, "expected finite weights ≥ 0, got " + format_number(values[i]) + " at row " + std::to_string(i));
    }
  }
}

}  // namespace deltaprop::addon
