// One WaveNet generation step for a batch of streams, as native code with AVX2 and FMA.
//
// ONNX Runtime runs a step of 32 streams of `small` in ~1.2 ms (~18 GMAC/s: GEMMs of 32 rows and
// ~100 node dispatches); these GEMMs, register-blocked 6 rows x 16 columns with fused
// multiply-adds, run at ~40 GMAC/s on one core here, and the step is one call. It does what
// kernel/step.c (WebAssembly, one stream or a pair) does, for any number of streams, over the same
// WebAssembly memory: the State that stream-state.ts lays out there (each field an offset into the
// memory), its packed weights (step-kernel.ts), rings and conditioning rows. The embedding and the
// sampling stay in WebAssembly (kernel/streams.c).
//
// A stream's arithmetic is the same whatever rows share its block, so its numbers do not depend
// on the batch. Only x86-64 with AVX2 and FMA runs it (checked at load: `supported`); elsewhere
// the module loads and says no, and generation uses ONNX Runtime or the WebAssembly kernel.

#include <node_api.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_KERNEL 1
#include <immintrin.h>
#define KERNEL __attribute__((target("avx2,fma")))
#define INLINE_KERNEL static inline __attribute__((always_inline, target("avx2,fma")))
#else
#define HAVE_KERNEL 0
#endif

// kernel/streams.c's State, each pointer a 32-bit offset into the WebAssembly memory.
typedef struct {
  int32_t L, R, G, S, head, Q;
  int32_t streams, dil, rings, pad, cond, x0, pre, taps, logits, embed_cur, embed_prev, embed_bias;
  int32_t cur, prev, uniforms, cumulative, scratch, weights, past, tap;
} State;

#if HAVE_KERNEL

// y[r] (+)= x[r] . W over K for one panel of 16 columns (W: K x 16), `rows` rows from x (stride
// ldx) into y (stride ldy). Twelve accumulators, two weight vectors and a broadcast: 15 registers.
INLINE_KERNEL void block16(int rows, const float *x, int ldx, int K, const float *w, float *y, int ldy) {
  __m256 a[6][2];
  for (int i = 0; i < rows; i++) {
    a[i][0] = _mm256_loadu_ps(y + i * ldy);
    a[i][1] = _mm256_loadu_ps(y + i * ldy + 8);
  }
  for (int k = 0; k < K; k++, w += 16) {
    const __m256 w0 = _mm256_loadu_ps(w), w1 = _mm256_loadu_ps(w + 8);
    for (int i = 0; i < rows; i++) {
      const __m256 b = _mm256_broadcast_ss(x + i * ldx + k);
      a[i][0] = _mm256_fmadd_ps(b, w0, a[i][0]);
      a[i][1] = _mm256_fmadd_ps(b, w1, a[i][1]);
    }
  }
  for (int i = 0; i < rows; i++) {
    _mm256_storeu_ps(y + i * ldy, a[i][0]);
    _mm256_storeu_ps(y + i * ldy + 8, a[i][1]);
  }
}

// The same for a panel of 4 columns (W: K x 4), the columns left after the 16-wide panels.
INLINE_KERNEL void block4(int rows, const float *x, int ldx, int K, const float *w, float *y, int ldy) {
  __m128 a[6];
  for (int i = 0; i < rows; i++) a[i] = _mm_loadu_ps(y + i * ldy);
  for (int k = 0; k < K; k++, w += 4) {
    const __m128 wv = _mm_loadu_ps(w);
    for (int i = 0; i < rows; i++) a[i] = _mm_fmadd_ps(_mm_broadcast_ss(x + i * ldx + k), wv, a[i]);
  }
  for (int i = 0; i < rows; i++) _mm_storeu_ps(y + i * ldy, a[i]);
}

// y[N][M] += x[N][K] . W, W [K][M] in column panels as step-kernel.ts packs it: K x 16 for each
// 16 columns, then K x 4 for each 4 left (M a multiple of 4), so the panel at column m starts at
// W + m*K. Rows go six at a time; `rows` is a constant in each call so the blocks stay in registers.
static KERNEL void gemm(int N, const float *x, int ldx, int K, const float *W, int M, float *y, int ldy) {
  const int M16 = M / 16 * 16;
  for (int m = 0; m < M; m += m < M16 ? 16 : 4) {
    const float *w = W + (size_t)m * K;
    for (int r = 0; r < N; r += 6) {
      const float *xr = x + (size_t)r * ldx;
      float *yr = y + (size_t)r * ldy + m;
      const int wide = m < M16;
      switch (N - r < 6 ? N - r : 6) {
#define ROWS(n) case n: if (wide) block16(n, xr, ldx, K, w, yr, ldy); else block4(n, xr, ldx, K, w, yr, ldy); break;
        ROWS(6) ROWS(5) ROWS(4) ROWS(3) ROWS(2) ROWS(1)
#undef ROWS
      }
    }
  }
}

// e^x for x in [-87, 87] (clamped), relative error ~2e-7: x = n ln2 + r, e^r by a degree-6
// polynomial (Cephes expf), 2^n by the exponent bits; kernel.h's exp4, eight lanes wide.
INLINE_KERNEL __m256 exp8(__m256 x) {
  x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.0f)), _mm256_set1_ps(87.0f));
  const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_sub_ps(x, _mm256_mul_ps(n, _mm256_set1_ps(0.693359375f)));
  r = _mm256_sub_ps(r, _mm256_mul_ps(n, _mm256_set1_ps(-2.12194440e-4f)));
  __m256 p = _mm256_set1_ps(1.9875691500e-4f);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
  p = _mm256_fmadd_ps(_mm256_mul_ps(p, r), r, _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
  const __m256i scale = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  return _mm256_mul_ps(p, _mm256_castsi256_ps(scale));
}

// h[i] = tanh(a[i]) * sigmoid(b[i]) = (e^{2a} - 1) / ((e^{2a} + 1)(1 + e^{-b})): one division. 2a is
// capped at 30 (tanh is 1 in float32 long before); where the denominator still overflows, h is
// below 1e-25 and comes out 0. Eight at a time, the rest one by one.
static KERNEL void gate(const float *a, const float *b, float *h, int n) {
  const __m256 one = _mm256_set1_ps(1.0f), two = _mm256_set1_ps(2.0f), cap = _mm256_set1_ps(30.0f);
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 e2a = exp8(_mm256_min_ps(_mm256_mul_ps(_mm256_loadu_ps(a + i), two), cap));
    const __m256 eb = exp8(_mm256_sub_ps(_mm256_setzero_ps(), _mm256_loadu_ps(b + i)));
    const __m256 den = _mm256_mul_ps(_mm256_add_ps(e2a, one), _mm256_add_ps(eb, one));
    _mm256_storeu_ps(h + i, _mm256_div_ps(_mm256_sub_ps(e2a, one), den));
  }
  for (; i < n; i++) {
    const float e2a = expf(fminf(2.0f * a[i], 30.0f)), eb = expf(-b[i]);
    h[i] = (e2a - 1.0f) / ((e2a + 1.0f) * (eb + 1.0f));
  }
}

static void relu(float *x, int n) {
  for (int i = 0; i < n; i++) x[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

// Streams 0..N-1 one step at time t (see kernel/step.c for the arithmetic, here row-batched). Per
// stream the scratch holds xs [R+S] (the residual stream, then the skip sum: one row of the output
// projection's product), z [2G] (the new past tap | the current tap's pre-activation), h [G/2]
// and h1 [head]; each matrix of them has the streams as rows.
static KERNEL void steps(uint8_t *mem, const State *s, int t, int N) {
  const int L = s->L, R = s->R, G = s->G, S = s->S, H = G / 2, HD = s->head, Q = s->Q, B = s->streams;
#define AT(type, off) ((type *)(mem + (uint32_t)(off)))
  const int32_t *dil = AT(int32_t, s->dil), *rings = AT(int32_t, s->rings);
  const float *pad = AT(float, s->pad), *cond = AT(float, s->cond), *x0 = AT(float, s->x0);
  const float *w = AT(float, s->weights);
  float *logits = AT(float, s->logits);
  float *xs = AT(float, s->scratch), *z = xs + (size_t)N * (R + S), *h = z + (size_t)N * 2 * G, *h1 = h + (size_t)N * H;
  for (int n = 0; n < N; n++) {
    memcpy(xs + n * (R + S), x0 + n * R, R * sizeof(float));
    memset(xs + n * (R + S) + R, 0, S * sizeof(float));
  }
  for (int l = 0; l < L; l++) {
    const int d = dil[l];
    float *ring = AT(float, rings[l]) + (size_t)(t % d) * B * G;
    for (int n = 0; n < N; n++) {
      // The slot for time t holds the past tap written d steps ago: read here, rewritten below.
      const float *past = t >= d ? ring + n * G : pad + l * G, *c = cond + ((size_t)n * L + l) * G;
      float *zn = z + (size_t)n * 2 * G;
      memset(zn, 0, G * sizeof(float));
      for (int i = 0; i < G; i++) zn[G + i] = c[i] + past[i];
    }
    gemm(N, xs, R + S, R, w, 2 * G, z, 2 * G);
    w += R * 2 * G;
    for (int n = 0; n < N; n++) {
      const float *zn = z + (size_t)n * 2 * G;
      memcpy(ring + n * G, zn, G * sizeof(float));
      gate(zn + G, zn + G + H, h + (size_t)n * H, H);
    }
    // The output projection adds the residual to x and the skip to the skip sum in one product.
    gemm(N, h, H, H, w, R + S, xs, R + S);
    w += H * (R + S);
  }
  const float *skip_bias = w, *head1 = w + S, *head1_bias = head1 + S * HD, *head2 = head1_bias + HD, *head2_bias = head2 + HD * Q;
  for (int n = 0; n < N; n++) {
    float *skip = xs + n * (R + S) + R;
    for (int i = 0; i < S; i++) skip[i] += skip_bias[i];
    relu(skip, S);
    memcpy(h1 + (size_t)n * HD, head1_bias, HD * sizeof(float));
  }
  gemm(N, xs + R, R + S, S, head1, HD, h1, HD);
  for (int n = 0; n < N; n++) {
    relu(h1 + (size_t)n * HD, HD);
    memcpy(logits + (size_t)n * Q, head2_bias, Q * sizeof(float));
  }
  gemm(N, h1, HD, HD, head2, Q, logits, Q);
#undef AT
}

#endif

// Whether this CPU runs the kernel: asked once, at load.
static int supported = 0;

static int kernel_supported(void) {
#if HAVE_KERNEL
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return 0;
#endif
}

static napi_value throw_error(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

// steps(memory: ArrayBuffer, state: number, t: number, n: number): the step of streams 0..n-1.
static napi_value js_steps(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4) return throw_error(env, "steps(memory, state, t, n): four arguments");
  void *data = NULL;
  size_t bytes = 0;
  if (napi_get_arraybuffer_info(env, argv[0], &data, &bytes) != napi_ok) return throw_error(env, "steps: the first argument must be the stream state's ArrayBuffer");
  int32_t state = 0, t = 0, n = 0;
  if (napi_get_value_int32(env, argv[1], &state) != napi_ok || napi_get_value_int32(env, argv[2], &t) != napi_ok || napi_get_value_int32(env, argv[3], &n) != napi_ok)
    return throw_error(env, "steps: state, t and n must be numbers");
  if (state < 0 || (size_t)state + sizeof(State) > bytes) return throw_error(env, "steps: the state offset is outside the memory");
  const State *s = (const State *)((uint8_t *)data + state);
  if (n < 1 || n > s->streams || t < 0) return throw_error(env, "steps: n must be 1..streams and t >= 0");
  if (s->R % 4 || s->G % 8 || s->S % 4 || s->head % 4 || s->Q % 4) return throw_error(env, "steps: every width must be a multiple of 4 (the gate's of 8)");
  if (!supported) return throw_error(env, "steps: this CPU or build has no AVX2/FMA kernel");
#if HAVE_KERNEL
  steps((uint8_t *)data, s, t, n);
#endif
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_value fn, flag;
  supported = kernel_supported();
  napi_create_function(env, "steps", NAPI_AUTO_LENGTH, js_steps, NULL, &fn);
  napi_set_named_property(env, exports, "steps", fn);
  napi_get_boolean(env, supported, &flag);
  napi_set_named_property(env, exports, "supported", flag);
  return exports;
}
