#include "dropout.h"

namespace deltaprop {

void draw_mask(double rate, index_t n, Xoshiro128& random, double* mask) {
  const double threshold = rate * 4294967296.0;  // exact: a power of two times the rate
  const double scale = 1.0 / (1.0 - rate);
  for (index_t i = 0; i < n; ++i) mask[i] = static_cast<double>(random.next()) >= threshold ? scale : 0.0;
}

}  // namespace deltaprop
