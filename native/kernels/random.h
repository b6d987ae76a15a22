// xoshiro128**, the generator of src/random.ts, word for word: the native
// engine draws dropout masks from the network's dropout stream exactly as
// the js engine does, so the two train alike.
#pragma once

#include <cstdint>

namespace deltaprop {

struct Xoshiro128 {
  std::uint32_t s[4];

  std::uint32_t next() {
    const std::uint32_t result = rotl(s[1] * 5u, 7) * 9u;
    const std::uint32_t t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

 private:
  static std::uint32_t rotl(std::uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
};

}  // namespace deltaprop
