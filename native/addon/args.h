// Reading and checking the arguments of an addon call. Every failure throws
// an ArgumentError naming the function and the argument (node-addon-api turns
// it into a JS exception); nothing that reaches the kernels can make them
// read or write out of bounds.
//
// Args knows nothing of Node: it reads an ArgumentList, which the addon
// implements over N-API's CallbackInfo (napi_arguments.h) and the fuzzer over
// bytes (fuzz/addon_fuzzer.cc), so the fuzzer runs exactly these checks.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "../kernels/codes.h"

namespace deltaprop::addon {

// Shortest text that reads back as the same double (integers print as integers).
std::string format_number(double x);

// Whether the first `a_span` elements at a and the first `b_span` at b share memory (by address).
bool share_memory(const double* a, index_t a_span, const double* b, index_t b_span);

// Largest dimension accepted from JS; keeps every product of two in int64 range.
constexpr index_t kMaxDimension = 0x7fffffff;

class ArgumentError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// A typed array's memory as the caller holds it.
enum class ElementType { Float64, Int32, Uint32, Other };
struct RawArray {
  ElementType type = ElementType::Other;
  void* data = nullptr;
  index_t length = 0;
};

// The values of one call, as JavaScript passed them.
class ArgumentList {
 public:
  virtual ~ArgumentList() = default;
  virtual size_t length() const = 0;
  virtual bool is_absent(size_t i) const = 0;  // null or undefined (as is any i ≥ length())
  virtual std::optional<bool> boolean(size_t i) const = 0;
  virtual std::optional<double> number(size_t i) const = 0;
  virtual std::optional<RawArray> typed_array(size_t i) const = 0;
  // The length of an array argument; nullopt if it is not one.
  virtual std::optional<size_t> list_length(size_t i) const = 0;
  // The elements of an array argument, every element read before any data
  // pointer is taken: reading one can run JavaScript (an index getter) that
  // detaches another. An element that is not a typed array has type Other.
  virtual std::vector<RawArray> typed_array_list(size_t i) const = 0;
};

template <typename T>
struct ArrayView {
  T* data = nullptr;
  index_t length = 0;
  bool present = false;  // false for an optional argument given as null/undefined
};

class Args {
 public:
  // `count` arguments, of which the last `optional` may be left out (they
  // then read as undefined, as JavaScript has them).
  Args(const ArgumentList& list, const char* function, size_t count, size_t optional = 0);

  bool is_absent(size_t i) const { return list_.is_absent(i); }
  bool boolean(size_t i, const char* name) const;
  double finite(size_t i, const char* name) const;
  // Any number, NaN and ±Infinity included (for a running sum an epoch only adds to).
  double number(size_t i, const char* name) const;
  index_t integer(size_t i, const char* name, index_t min, index_t max = kMaxDimension) const;
  int code(size_t i, const char* name, int count) const;
  ArrayView<double> float64(size_t i, const char* name) const;
  ArrayView<double> optional_float64(size_t i, const char* name) const;
  ArrayView<std::int32_t> int32(size_t i, const char* name) const;
  ArrayView<std::uint32_t> uint32(size_t i, const char* name) const;
  // An array of `count` Float64Arrays.
  std::vector<ArrayView<double>> float64_list(size_t i, const char* name, index_t count) const;

  // Throws unless `view` holds at least `needed` elements.
  void require_length(const char* name, const ArrayView<double>& view, index_t needed) const;

  // Throws unless each of the n values is a weight: finite and ≥ 0.
  void require_weights(const char* name, const double* values, index_t n) const;

  [[noreturn]] void fail(const char* name, const std::string& message) const;

 private:
  template <typename T>
  ArrayView<T> typed(size_t i, const char* name, ElementType type, const char* expected) const;

  const ArgumentList& list_;
  const char* function_;
};

}  // namespace deltaprop::addon
