/**
 * 8-bit mu-law companding (ITU-T G.711 curve, mu = 255) between samples in [-1, 1] and the
 * 256 classes the model predicts. Quantization is by rounding on the companded scale, so the
 * class boundaries are equally spaced there and class 128 is (nearly) silence.
 */
export const MU = 255;
export const CLASSES = MU + 1;

/** Class index 0..255 for each sample; samples outside [-1, 1] are clipped first. */
export function mulawEncode(samples: Float32Array): Uint8Array {
  const out = new Uint8Array(samples.length);
  const logMu = Math.log1p(MU);
  for (let i = 0; i < samples.length; i++) {
    const x = Math.max(-1, Math.min(1, samples[i]!));
    const y = (Math.sign(x) * Math.log1p(MU * Math.abs(x))) / logMu;
    out[i] = Math.round(((y + 1) / 2) * MU);
  }
  return out;
}

/** The sample value at the centre of each class. */
export function mulawDecode(classes: ArrayLike<number>): Float32Array {
  const out = new Float32Array(classes.length);
  for (let i = 0; i < classes.length; i++) {
    const y = (2 * classes[i]!) / MU - 1;
    out[i] = (Math.sign(y) * (Math.pow(1 + MU, Math.abs(y)) - 1)) / MU;
  }
  return out;
}
