#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace deltaprop {

// A grow-only scratch array of doubles aligned to a cache line, so packed
// panels never straddle lines. Contents are not preserved across growth.
class AlignedBuffer {
 public:
  double* reserve(std::size_t count) {
    if (count > capacity_) {
      storage_.reset(new double[count + kAlign / sizeof(double)]);
      capacity_ = count;
    }
    const auto address = reinterpret_cast<std::uintptr_t>(storage_.get());
    return reinterpret_cast<double*>((address + kAlign - 1) & ~static_cast<std::uintptr_t>(kAlign - 1));
  }

 private:
  static constexpr std::size_t kAlign = 64;
  std::unique_ptr<double[]> storage_;
  std::size_t capacity_ = 0;
};

}  // namespace deltaprop
