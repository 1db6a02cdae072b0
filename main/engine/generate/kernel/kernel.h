// Shared by the generation kernels: step.c (one stream's step) and streams.c (the streams' state).
#ifndef KERNEL_H
#define KERNEL_H

#include <wasm_simd128.h>

// e^x for x in [-87, 87] (clamped), relative error ~2e-7: x = n ln2 + r, e^r by a degree-6
// polynomial (Cephes expf), 2^n by the exponent bits.
static inline v128_t exp4(v128_t x) {
  x = wasm_f32x4_min(wasm_f32x4_max(x, wasm_f32x4_splat(-87.0f)), wasm_f32x4_splat(87.0f));
  v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.9875691500e-4f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.3981999507e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(8.3334519073e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(4.1665795894e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.6666665459e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(5.0000001201e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, r), r), wasm_f32x4_add(r, wasm_f32x4_splat(1.0f)));
  v128_t scale = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  return wasm_f32x4_mul(p, scale);
}

typedef struct {
  int L, R, G, S, head, Q;
} Dims;

// One stream's inputs and outputs for a step (see step.c).
typedef struct {
  const float *x0, *cond;
  float *const *past, *const *tap;
  float *logits, *scratch;
} StepStream;

// Scratch floats a stream's step takes (with slack), as stream-state.ts allocates them.
#define STEP_SCRATCH(d) ((d).R + 2 * (d).G + (d).G / 2 + (d).R + 2 * (d).S + (d).head + 16)

void step(const Dims *d, const float *weights, const StepStream *stream);
void step2(const Dims *d, const float *weights, const StepStream *pair);

#endif
