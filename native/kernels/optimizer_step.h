// The plain data of one optimizer step: what the ISA row pass
// (KernelSet::optimizer_step) applies. optimizer.h builds it and says what
// each optimizer does; this header only exists so that kernel_set.h can name
// the types without depending on the rest of the optimizer module.
#pragma once

#include "codes.h"

namespace deltaprop {

// An optimizer and its settings, as src/optimizers.ts resolves them.
struct OptimizerSettings {
  Optimizer type = Optimizer::Sgd;
  double momentum = 0.0;      // sgd: μ
  bool nesterov = false;      // sgd
  double beta1 = 0.9;         // adam, adamw
  double beta2 = 0.999;       // adam, adamw
  double epsilon = 1e-8;      // adam, adamw, rmsprop
  double weight_decay = 0.0;  // adamw: λ (weights only)
  double alpha = 0.99;        // rmsprop
};

// Weights take the objective's L2 term and AdamW's decay; biases take neither.
enum class ParameterKind { Weights, Biases };

// The optimizer's state for the parameters at hand, at the same offsets:
// sgd with momentum keeps V in `first`; adam and adamw m in `first` and v in
// `second`; rmsprop v in `first`. Unused slots are null.
struct OptimizerSlots {
  double* first = nullptr;
  double* second = nullptr;
};

// One minibatch's step: the settings plus the constants derived from the
// learning rate and the step count, computed once (make_step).
struct OptimizerStep {
  OptimizerSettings settings;
  double learning_rate = 0.0;  // η
  // λ·(1/W for 'mean', W the batch's normaliser: loss.h): the L2 term added
  // to a weight's gradient, g + l2_scale·W.
  // 0 when the gradient already holds it (gradients() adds it itself).
  double l2_scale = 0.0;
  double step_size = 0.0;                 // adam, adamw: η / (1 − β₁ᵗ)
  double inverse_sqrt_correction2 = 1.0;  // adam, adamw: 1 / √(1 − β₂ᵗ)
  double decay_factor = 1.0;              // adamw: 1 − ηλ
};

}  // namespace deltaprop
