// Inverted dropout during training, mirrored by src/backend/js/dropout.ts. For a layer
// with rate p, each unit of each row is kept when the next 32-bit draw of the
// dropout stream is ≥ p·2³² (draws in row-major order), and a kept unit is
// scaled by 1/(1 − p), so that the expected activation is unchanged and
// prediction needs no rescaling. The mask holds that factor or 0:
//   forward   Ã = A ⊙ M (what the next layer reads)
//   backward  δ = ((δ'·Wᵀ) ⊙ f'(A)) ⊙ M
#pragma once

#include "codes.h"
#include "random.h"

namespace deltaprop {

// The rate of each layer (0: none; the output layer's is 0) and the generator the masks come from.
struct Dropout {
  const double* rates;
  Xoshiro128* random;
};

// mask[i] := 1/(1 − rate) when draw i keeps the unit, else 0, for i < n.
void draw_mask(double rate, index_t n, Xoshiro128& random, double* mask);

}  // namespace deltaprop
