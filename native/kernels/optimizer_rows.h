// The optimizer steps as row passes, written once as templates over a vector
// type V (see simd/README.md). Included only by kernel_impl.h, after the
// ISA's vector header. Each element
// takes exactly the operations, in the order, that optimizer.h and
// src/optimizers.ts state, so a step fused into a gemm (a block at a time)
// and a step over a whole gradient buffer give the same bits.
#pragma once

#include "lanes.h"
#include "optimizer_step.h"

namespace {

using deltaprop::OptimizerSlots;
using deltaprop::OptimizerStep;
using deltaprop::ParameterKind;

// g, plus the L2 term l2·p when there is one (none at all when l2 = 0, as a
// gradient that already holds it is seen then).
template <class L>
typename L::reg gradient_at(const double* g, const double* p, double l2, index_t i) {
  const typename L::reg gradient = L::loadu(g + i);
  return l2 != 0.0 ? L::add(gradient, L::mul(L::set1(l2), L::loadu(p + i))) : gradient;
}

// V := μV + g; p := p − η·V, or with Nesterov p := p − η·(g + μV). Without
// momentum (no V): p := p − η·g.
template <class V>
void sgd_row(const OptimizerStep& s, double l2, index_t n, const double* g, double* p, double* velocity) {
  const double mu = s.settings.momentum;
  const bool nesterov = s.settings.nesterov;
  for_each_lane<V>(n, [&](auto lane, index_t i) {
    using L = decltype(lane);
    const typename L::reg gradient = gradient_at<L>(g, p, l2, i);
    typename L::reg step = gradient;
    if (velocity != nullptr) {
      const typename L::reg v = L::add(L::mul(L::set1(mu), L::loadu(velocity + i)), gradient);
      L::storeu(velocity + i, v);
      step = nesterov ? L::add(gradient, L::mul(L::set1(mu), v)) : v;
    }
    L::storeu(p + i, L::sub(L::loadu(p + i), L::mul(L::set1(s.learning_rate), step)));
  });
}

// (AdamW first: p := p·(1 − ηλ).) m := β₁m + (1−β₁)g; v := β₂v + (1−β₂)g²;
// p := p − (η/(1−β₁ᵗ))·m / (√v·(1/√(1−β₂ᵗ)) + ε): torch.optim.Adam's order,
// with its division by √(1−β₂ᵗ) as a multiplication by the inverse.
template <class V>
void adam_row(const OptimizerStep& s, double l2, bool decay, index_t n, const double* g, double* p, double* m,
              double* v) {
  const double beta1 = s.settings.beta1;
  const double beta2 = s.settings.beta2;
  for_each_lane<V>(n, [&](auto lane, index_t i) {
    using L = decltype(lane);
    using R = typename L::reg;
    const R gradient = gradient_at<L>(g, p, l2, i);
    R param = L::loadu(p + i);
    if (decay) param = L::mul(param, L::set1(s.decay_factor));
    const R first = L::add(L::mul(L::set1(beta1), L::loadu(m + i)), L::mul(L::set1(1.0 - beta1), gradient));
    const R second =
        L::add(L::mul(L::set1(beta2), L::loadu(v + i)), L::mul(L::mul(L::set1(1.0 - beta2), gradient), gradient));
    L::storeu(m + i, first);
    L::storeu(v + i, second);
    const R denominator =
        L::add(L::mul(L::sqrt(second), L::set1(s.inverse_sqrt_correction2)), L::set1(s.settings.epsilon));
    L::storeu(p + i, L::sub(param, L::mul(L::set1(s.step_size), L::div(first, denominator))));
  });
}

// v := αv + (1−α)g²; p := p − η·g / (√v + ε).
template <class V>
void rmsprop_row(const OptimizerStep& s, double l2, index_t n, const double* g, double* p, double* v) {
  const double alpha = s.settings.alpha;
  for_each_lane<V>(n, [&](auto lane, index_t i) {
    using L = decltype(lane);
    using R = typename L::reg;
    const R gradient = gradient_at<L>(g, p, l2, i);
    const R second =
        L::add(L::mul(L::set1(alpha), L::loadu(v + i)), L::mul(L::mul(L::set1(1.0 - alpha), gradient), gradient));
    L::storeu(v + i, second);
    const R denominator = L::add(L::sqrt(second), L::set1(s.settings.epsilon));
    L::storeu(p + i, L::sub(L::loadu(p + i), L::mul(L::set1(s.learning_rate), L::div(gradient, denominator))));
  });
}

template <class V>
void optimizer_step_row(const OptimizerStep& s, ParameterKind kind, index_t n, const double* g, double* p,
                        const OptimizerSlots& state) {
  const bool weights = kind == ParameterKind::Weights;
  const double l2 = weights ? s.l2_scale : 0.0;
  switch (s.settings.type) {
    case deltaprop::Optimizer::Sgd: return sgd_row<V>(s, l2, n, g, p, state.first);
    case deltaprop::Optimizer::Adam: return adam_row<V>(s, l2, false, n, g, p, state.first, state.second);
    case deltaprop::Optimizer::AdamW: return adam_row<V>(s, l2, weights, n, g, p, state.first, state.second);
    case deltaprop::Optimizer::RmsProp: return rmsprop_row<V>(s, l2, n, g, p, state.first);
  }
}

}  // namespace
