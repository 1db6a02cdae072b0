// The state of a generator's streams, and the per-sample work around a step (see stream-state.ts).
//
// A batched step in ONNX Runtime costs ~1 ms at 32 streams of `small`; the JavaScript around it
// (summing each layer's past tap and conditioning row into the feed, copying the new taps into the
// ring buffers, the embedding, and 256 exp() a stream to sample) cost as much again. Here each of
// those is one call over memory the step's feeds and fetches already point into.
//
// Build: scripts/build-step-kernel.sh, with step.c (the kernel step this file also drives).

#include "kernel.h"

// Every field 4 bytes, in this order: stream-state.ts writes it as an Int32Array.
typedef struct {
  Dims dims;              // L, R, G, S, head, Q
  int streams;            // the batch the buffers hold
  const int *dil;         // [L] dilations
  float **rings;          // [L] ring l: [d_l][streams][G], slot t mod d_l holds the taps for time t
  const float *pad;       // [L][G] each layer's past tap of its zero padding (times before d_l)
  const float *cond;      // [streams][L][G] each stream's conditioning row
  float *x0;              // [streams][R] embedded input
  float *pre;             // [streams][L][G] past tap + conditioning: the step graph's feed
  const float *taps;      // [L][N][G] the step graph's new taps (N the active streams)
  float *logits;          // [streams][Q]
  const float *embed_cur; // [Q][R]
  const float *embed_prev;// [Q][R]
  const float *embed_bias;// [R]
  int *cur;               // [streams] each stream's sample at time t (class)
  int *prev;              // [streams] the one before
  const double *uniforms; // [streams] one draw in [0, 1) a stream for sample()
  double *cumulative;     // [Q] sampling scratch
  float *scratch;         // [2][STEP_SCRATCH] the kernel step's scratch, a slot per stream of a pair
  const float *weights;   // the kernel step's packed weights (unused by the graph)
  float **past;           // [2][L] the kernel step's read addresses, a slot per stream of a pair
  float **tap;            // [2][L] and write addresses
} State;

// x0 of streams 0..N-1: the embeddings of their current and previous samples (no previous at t = 0).
void embed(State *s, int t, int N) {
  const int R = s->dims.R;
  for (int n = 0; n < N; n++) {
    const float *c = s->embed_cur + s->cur[n] * R, *b = s->embed_bias;
    float *x = s->x0 + n * R;
    if (t > 0) {
      const float *p = s->embed_prev + s->prev[n] * R;
      for (int i = 0; i < R; i++) x[i] = c[i] + b[i] + p[i];
    } else {
      for (int i = 0; i < R; i++) x[i] = c[i] + b[i];
    }
  }
}

// The step graph's `pre` for time t: each stream's and layer's past tap plus its conditioning row.
void gather(State *s, int t, int N) {
  const int L = s->dims.L, G = s->dims.G;
  for (int n = 0; n < N; n++) {
    for (int l = 0; l < L; l++) {
      const int d = s->dil[l];
      const float *from = t >= d ? s->rings[l] + ((t % d) * s->streams + n) * G : s->pad + l * G;
      const float *c = s->cond + (n * L + l) * G;
      float *o = s->pre + (n * L + l) * G;
      for (int j = 0; j < G; j++) o[j] = from[j] + c[j];
    }
  }
}

// The step graph's taps [L][N][G] into each layer's ring slot for time t.
void scatter(State *s, int t, int N) {
  const int L = s->dims.L, G = s->dims.G;
  for (int l = 0; l < L; l++) {
    float *dst = s->rings[l] + (t % s->dil[l]) * s->streams * G;
    const float *src = s->taps + l * N * G;
    for (int i = 0; i < N * G; i++) dst[i] = src[i];
  }
}

// Stream n's ring addresses for time t: where its past taps are read and its new taps written.
static void ring_addresses(const State *s, int t, int n, float **past, float **tap) {
  for (int l = 0; l < s->dims.L; l++) {
    const int d = s->dil[l];
    float *slot = s->rings[l] + ((t % d) * s->streams + n) * s->dims.G;
    tap[l] = slot;
    past[l] = t >= d ? slot : (float *)s->pad + l * s->dims.G;
  }
}

// Streams 0..N-1 through step.c, two at a time (each pair reads the weights once; an odd last one
// alone), reading and writing the rings in place. A stream's arithmetic is the same alone or
// paired. The k-th stream of a step uses scratch and address slot k.
void kernel_steps(State *s, int t, int N) {
  const int L = s->dims.L, R = s->dims.R, G = s->dims.G, Q = s->dims.Q, scratch = STEP_SCRATCH(s->dims);
  StepStream group[2];
  for (int n = 0; n < N;) {
    const int size = N - n >= 2 ? 2 : 1;
    for (int k = 0; k < size; k++) {
      float **past = s->past + k * L, **tap = s->tap + k * L;
      ring_addresses(s, t, n + k, past, tap);
      group[k] = (StepStream){ s->x0 + (n + k) * R, s->cond + (n + k) * L * G, past, tap, s->logits + (n + k) * Q, s->scratch + k * scratch };
    }
    if (size == 2) step2(&s->dims, s->weights, group);
    else step(&s->dims, s->weights, group);
    n += size;
  }
}

// Each stream's next sample, drawn from softmax(logits / temperature) by inverting the cumulative
// sum at its uniform draw (temperature <= 0: the first most likely class); cur becomes prev.
void sample(State *s, int N, float temperature) {
  const int Q = s->dims.Q;
  double *cum = s->cumulative;
  for (int n = 0; n < N; n++) {
    const float *z = s->logits + n * Q;
    int best = 0;
    float max = z[0];
    for (int q = 1; q < Q; q++) {
      if (z[q] > max) {
        max = z[q];
        best = q;
      }
    }
    int next = best;
    if (temperature > 0.0f) {
      const v128_t m = wasm_f32x4_splat(max), inv = wasm_f32x4_splat(1.0f / temperature);
      double total = 0.0;
      int q = 0;
      for (; q + 4 <= Q; q += 4) {
        float e[4];
        wasm_v128_store(e, exp4(wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(z + q), m), inv)));
        for (int i = 0; i < 4; i++) cum[q + i] = (total += e[i]);
      }
      for (; q < Q; q++) cum[q] = (total += wasm_f32x4_extract_lane(exp4(wasm_f32x4_splat((z[q] - max) / temperature)), 0));
      const double u = s->uniforms[n] * total;
      int lo = 0, hi = Q - 1;
      while (lo < hi) {
        const int mid = (lo + hi) >> 1;
        if (cum[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      next = lo;
    }
    s->prev[n] = s->cur[n];
    s->cur[n] = next;
  }
}
