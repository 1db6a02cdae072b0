// One WaveNet generation step for one stream, as WebAssembly SIMD (see step-kernel.ts).
//
// ONNX Runtime runs the same step as ~100 graph nodes; at one sample a step each node's dispatch
// (~0.5-1 us) costs more than its arithmetic. Here the whole step is one call: per layer one GEMV
// gives the past tap for later and the current tap ([Wpast | Wcur], R x 2G), the gate, and one
// GEMV gives the residual and skip projections (R x (R+S)); then the head. Weights are the
// folded ones (see fold.ts); the ring buffers of past taps live in the module's memory.
//
// Build: scripts/build-step-kernel.sh (clang --target=wasm32 -msimd128, no libc).

#include "kernel.h"

// y[0..M) += x[0..K) . W[K][M], M a multiple of 4. W comes packed in column panels (see
// step-kernel.ts): K x 16 floats for each 16 columns, then K x 4 for each 4 left, so the weights
// stream through in order with four accumulators in registers.
static void gemv_acc(const float *x, int K, const float *W, int M, float *y) {
  const float *w = W;
  int m = 0;
  for (; m + 16 <= M; m += 16) {
    v128_t a0 = wasm_v128_load(y + m), a1 = wasm_v128_load(y + m + 4);
    v128_t a2 = wasm_v128_load(y + m + 8), a3 = wasm_v128_load(y + m + 12);
    for (int k = 0; k < K; k++, w += 16) {
      v128_t xv = wasm_f32x4_splat(x[k]);
      a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(xv, wasm_v128_load(w)));
      a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(xv, wasm_v128_load(w + 4)));
      a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(xv, wasm_v128_load(w + 8)));
      a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(xv, wasm_v128_load(w + 12)));
    }
    wasm_v128_store(y + m, a0);
    wasm_v128_store(y + m + 4, a1);
    wasm_v128_store(y + m + 8, a2);
    wasm_v128_store(y + m + 12, a3);
  }
  for (; m < M; m += 4) {
    v128_t a = wasm_v128_load(y + m);
    for (int k = 0; k < K; k++, w += 4) a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_f32x4_splat(x[k]), wasm_v128_load(w)));
    wasm_v128_store(y + m, a);
  }
}

// h[i] = tanh(a[i]) * sigmoid(b[i]) = (1 - 2/(e^{2a}+1)) / (1 + e^{-b}), n a multiple of 4.
static void gate(const float *a, const float *b, float *h, int n) {
  v128_t one = wasm_f32x4_splat(1.0f), two = wasm_f32x4_splat(2.0f);
  for (int i = 0; i < n; i += 4) {
    v128_t ea = exp4(wasm_f32x4_mul(wasm_v128_load(a + i), two));
    v128_t t = wasm_f32x4_sub(one, wasm_f32x4_div(two, wasm_f32x4_add(ea, one)));
    v128_t s = wasm_f32x4_div(one, wasm_f32x4_add(one, exp4(wasm_f32x4_neg(wasm_v128_load(b + i)))));
    wasm_v128_store(h + i, wasm_f32x4_mul(t, s));
  }
}

static void relu(float *x, int n) {
  v128_t z = wasm_f32x4_splat(0.0f);
  for (int i = 0; i < n; i += 4) wasm_v128_store(x + i, wasm_f32x4_max(wasm_v128_load(x + i), z));
}

static void copy(float *dst, const float *src, int n) {
  for (int i = 0; i < n; i += 4) wasm_v128_store(dst + i, wasm_v128_load(src + i));
}

// Weights (each matrix in panels, see gemv_acc), in order: per layer conv [R][2G] (cols 0..G-1
// the past tap, G..2G-1 the current tap: filter then gate), out [G/2][R+S]; then skip bias [S],
// head1 [S][head], head1 bias [head], head2 [head][Q], head2 bias [Q]. Scratch: at least
// R + 2G + G/2 + (R+S) + S + head floats. x0 [R] the embedded input; cond [L][G] this sample's
// conditioning rows (with the convolution biases); past[l] the address of layer l's past tap
// (ring buffer slot or zero padding's tap), tap[l] where its new tap goes (the same slot: read
// before written); logits out [Q].
void step(const Dims *d, const float *weights, const float *x0, const float *cond, float *const *past, float *const *tap, float *logits, float *scratch) {
  const int L = d->L, R = d->R, G = d->G, S = d->S, H = G / 2, HD = d->head, Q = d->Q;
  float *x = scratch;            // [R] the residual stream
  float *z = x + R;              // [2G] new past tap | current tap pre-activation
  float *h = z + 2 * G;          // [H] gate output
  float *o = h + H;              // [R+S] residual | skip projection of this layer
  float *skip = o + R + S;       // [S]
  float *h1 = skip + S;          // [head]
  const float *w = weights;
  copy(x, x0, R);
  for (int i = 0; i < S; i++) skip[i] = 0.0f;
  for (int l = 0; l < L; l++) {
    const float *c = cond + l * G, *p = past[l];
    for (int i = 0; i < G; i += 4) {
      wasm_v128_store(z + i, wasm_f32x4_splat(0.0f));
      wasm_v128_store(z + G + i, wasm_f32x4_add(wasm_v128_load(c + i), wasm_v128_load(p + i)));
    }
    gemv_acc(x, R, w, 2 * G, z);
    w += R * 2 * G;
    copy(tap[l], z, G);
    gate(z + G, z + G + H, h, H);
    for (int i = 0; i < R + S; i++) o[i] = 0.0f;
    gemv_acc(h, H, w, R + S, o);
    w += H * (R + S);
    for (int i = 0; i < R; i += 4) wasm_v128_store(x + i, wasm_f32x4_add(wasm_v128_load(x + i), wasm_v128_load(o + i)));
    for (int i = 0; i < S; i += 4) wasm_v128_store(skip + i, wasm_f32x4_add(wasm_v128_load(skip + i), wasm_v128_load(o + R + i)));
  }
  for (int i = 0; i < S; i += 4) wasm_v128_store(skip + i, wasm_f32x4_add(wasm_v128_load(skip + i), wasm_v128_load(w + i)));
  w += S;
  relu(skip, S);
  copy(h1, w + S * HD, HD);
  gemv_acc(skip, S, w, HD, h1);
  w += S * HD + HD;
  relu(h1, HD);
  copy(logits, w + HD * Q, Q);
  gemv_acc(h1, HD, w, Q, logits);
}
