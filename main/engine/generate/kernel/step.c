// One WaveNet generation step for one stream or a pair, as WebAssembly SIMD (see step-kernel.ts).
//
// ONNX Runtime runs the same step as ~100 graph nodes; at one sample a step each node's dispatch
// (~0.5-1 us) costs more than its arithmetic. Here the whole step is one call: per layer one GEMV
// gives the past tap for later and the current tap ([Wpast | Wcur], R x 2G), the gate, and one
// GEMV gives the residual and skip projections (R x (R+S)); then the head. Weights are the
// folded ones (see fold.ts); the ring buffers of past taps live in the module's memory. A pair
// shares every weight read (step2), the bound for `small`, whose weights come from L3.
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

// Two streams' y += x . W at once, each weight vector loaded once for both: one stream of `small`
// is bound by reading its 2.7 MB of weights from L3 every sample. Per stream the arithmetic is
// gemv_acc's, in the same order, so a stream's result does not depend on its partner.
static void gemv2_acc(const float *xa, const float *xb, int K, const float *W, int M, float *ya, float *yb) {
  const float *w = W;
  int m = 0;
  for (; m + 16 <= M; m += 16) {
    v128_t a0 = wasm_v128_load(ya + m), a1 = wasm_v128_load(ya + m + 4);
    v128_t a2 = wasm_v128_load(ya + m + 8), a3 = wasm_v128_load(ya + m + 12);
    v128_t b0 = wasm_v128_load(yb + m), b1 = wasm_v128_load(yb + m + 4);
    v128_t b2 = wasm_v128_load(yb + m + 8), b3 = wasm_v128_load(yb + m + 12);
    for (int k = 0; k < K; k++, w += 16) {
      v128_t w0 = wasm_v128_load(w), w1 = wasm_v128_load(w + 4), w2 = wasm_v128_load(w + 8), w3 = wasm_v128_load(w + 12);
      v128_t xav = wasm_f32x4_splat(xa[k]), xbv = wasm_f32x4_splat(xb[k]);
      a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(xav, w0));
      a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(xav, w1));
      a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(xav, w2));
      a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(xav, w3));
      b0 = wasm_f32x4_add(b0, wasm_f32x4_mul(xbv, w0));
      b1 = wasm_f32x4_add(b1, wasm_f32x4_mul(xbv, w1));
      b2 = wasm_f32x4_add(b2, wasm_f32x4_mul(xbv, w2));
      b3 = wasm_f32x4_add(b3, wasm_f32x4_mul(xbv, w3));
    }
    wasm_v128_store(ya + m, a0);
    wasm_v128_store(ya + m + 4, a1);
    wasm_v128_store(ya + m + 8, a2);
    wasm_v128_store(ya + m + 12, a3);
    wasm_v128_store(yb + m, b0);
    wasm_v128_store(yb + m + 4, b1);
    wasm_v128_store(yb + m + 8, b2);
    wasm_v128_store(yb + m + 12, b3);
  }
  for (; m < M; m += 4) {
    v128_t a = wasm_v128_load(ya + m), b = wasm_v128_load(yb + m);
    for (int k = 0; k < K; k++, w += 4) {
      v128_t wv = wasm_v128_load(w);
      a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_f32x4_splat(xa[k]), wv));
      b = wasm_f32x4_add(b, wasm_f32x4_mul(wasm_f32x4_splat(xb[k]), wv));
    }
    wasm_v128_store(ya + m, a);
    wasm_v128_store(yb + m, b);
  }
}

// y[s] += x[s] . W for NS (1 or 2) streams.
static inline void gemv_n(int NS, float *const *x, int K, const float *W, int M, float *const *y) {
  if (NS == 2) gemv2_acc(x[0], x[1], K, W, M, y[0], y[1]);
  else gemv_acc(x[0], K, W, M, y[0]);
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
// head1 [S][head], head1 bias [head], head2 [head][Q], head2 bias [Q]. Per stream (StepStream):
// x0 [R] the embedded input; cond [L][G] this sample's conditioning rows (with the convolution
// biases); past[l] the address of layer l's past tap (ring buffer slot or zero padding's tap),
// tap[l] where its new tap goes (the same slot: read before written); logits out [Q]; scratch of
// at least STEP_SCRATCH(dims) floats. NS streams (1 or 2) step together, sharing weight reads.
static inline void step_n(int NS, const Dims *d, const float *weights, const StepStream *st) {
  const int L = d->L, R = d->R, G = d->G, S = d->S, H = G / 2, HD = d->head, Q = d->Q;
  float *x[2], *z[2], *zc[2], *h[2], *o[2], *skip[2], *h1[2], *logits[2];
  for (int n = 0; n < NS; n++) {
    x[n] = st[n].scratch;      // [R] the residual stream
    z[n] = x[n] + R;           // [2G] new past tap | current tap pre-activation
    zc[n] = z[n] + G;
    h[n] = z[n] + 2 * G;       // [H] gate output
    o[n] = h[n] + H;           // [R+S] residual | skip projection of this layer
    skip[n] = o[n] + R + S;    // [S]
    h1[n] = skip[n] + S;       // [head]
    logits[n] = st[n].logits;
    copy(x[n], st[n].x0, R);
    for (int i = 0; i < S; i++) skip[n][i] = 0.0f;
  }
  const float *w = weights;
  for (int l = 0; l < L; l++) {
    for (int n = 0; n < NS; n++) {
      const float *c = st[n].cond + l * G, *p = st[n].past[l];
      for (int i = 0; i < G; i += 4) {
        wasm_v128_store(z[n] + i, wasm_f32x4_splat(0.0f));
        wasm_v128_store(zc[n] + i, wasm_f32x4_add(wasm_v128_load(c + i), wasm_v128_load(p + i)));
      }
    }
    gemv_n(NS, x, R, w, 2 * G, z);
    w += R * 2 * G;
    for (int n = 0; n < NS; n++) {
      copy(st[n].tap[l], z[n], G);
      gate(zc[n], zc[n] + H, h[n], H);
      for (int i = 0; i < R + S; i++) o[n][i] = 0.0f;
    }
    gemv_n(NS, h, H, w, R + S, o);
    w += H * (R + S);
    for (int n = 0; n < NS; n++) {
      for (int i = 0; i < R; i += 4) wasm_v128_store(x[n] + i, wasm_f32x4_add(wasm_v128_load(x[n] + i), wasm_v128_load(o[n] + i)));
      for (int i = 0; i < S; i += 4) wasm_v128_store(skip[n] + i, wasm_f32x4_add(wasm_v128_load(skip[n] + i), wasm_v128_load(o[n] + R + i)));
    }
  }
  for (int n = 0; n < NS; n++) {
    for (int i = 0; i < S; i += 4) wasm_v128_store(skip[n] + i, wasm_f32x4_add(wasm_v128_load(skip[n] + i), wasm_v128_load(w + i)));
    relu(skip[n], S);
    copy(h1[n], w + S + S * HD, HD);
  }
  w += S;
  gemv_n(NS, skip, S, w, HD, h1);
  w += S * HD + HD;
  for (int n = 0; n < NS; n++) {
    relu(h1[n], HD);
    copy(logits[n], w + HD * Q, Q);
  }
  gemv_n(NS, h1, HD, w, Q, logits);
}

void step(const Dims *d, const float *weights, const StepStream *stream) {
  step_n(1, d, weights, stream);
}

void step2(const Dims *d, const float *weights, const StepStream *pair) {
  step_n(2, d, weights, pair);
}
