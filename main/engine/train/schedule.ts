/** Learning rate: linear warm-up, then cosine decay to `floor` × peak at the last step. */
export interface Schedule {
  peak: number;
  warmupSteps: number;
  totalSteps: number;
  floor: number;
}

export function learningRate(s: Schedule, step: number): number {
  if (step < s.warmupSteps) return (s.peak * (step + 1)) / s.warmupSteps;
  const span = Math.max(1, s.totalSteps - s.warmupSteps);
  const progress = Math.min(1, (step - s.warmupSteps) / span);
  return s.peak * (s.floor + (1 - s.floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}

/**
 * Adam's bias correction folded into the step size and epsilon, so the graph needs no step count:
 * lr·m̂/(√v̂ + ε) = lr_t·m/(√v + ε_t) with lr_t = lr·√(1−β2ᵗ)/(1−β1ᵗ), ε_t = ε·√(1−β2ᵗ).
 */
export function biasCorrected(lr: number, eps: number, beta1: number, beta2: number, step: number): { lr: number; eps: number } {
  const t = step + 1;
  const c2 = Math.sqrt(1 - beta2 ** t);
  return { lr: (lr * c2) / (1 - beta1 ** t), eps: eps * c2 };
}
