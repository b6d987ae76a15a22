// Accuracy as evaluate() defines it, mirrored by src/backend/js/metrics.ts: for a
// softmax output a row is correct when the argmax of its outputs is that of
// its targets; for a sigmoid output each output counts, correct when it and
// its target fall on the same side of 0.5. A non-finite output is never
// correct (a row with one never is).
#pragma once

#include "codes.h"

namespace deltaprop {

// Whether `output` has an accuracy at all (sigmoid or softmax).
bool has_accuracy(Activation output);

// How many rows (softmax) or outputs (sigmoid) of F (rows × cols) are correct for T.
index_t count_correct(Activation output, index_t rows, index_t cols, const double* F, const double* T);

}  // namespace deltaprop
