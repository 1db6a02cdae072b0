import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulawDecode, mulawEncode, MU } from '../../../../main/engine/dsp/mulaw';

// The G.711 mu-law formula written out independently of the module.
const compand = (x: number): number => (Math.sign(x) * Math.log(1 + MU * Math.abs(x))) / Math.log(1 + MU);

test('mu-law encode follows the formula: class = round((F(x) + 1) / 2 · 255)', () => {
  const xs = Float32Array.from({ length: 2001 }, (_, i) => -1 + i / 1000);
  const classes = mulawEncode(xs);
  for (let i = 0; i < xs.length; i++) {
    assert.equal(classes[i], Math.round(((compand(xs[i]!) + 1) / 2) * 255), `x = ${xs[i]}`);
  }
  assert.deepEqual([...mulawEncode(Float32Array.from([-1, 0, 1, -7, 7]))], [0, 128, 255, 0, 255]);
});

test('mu-law decode inverts the curve at every class centre and round-trips classes', () => {
  const all = Array.from({ length: 256 }, (_, i) => i);
  const values = mulawDecode(all);
  for (const c of all) {
    const y = (2 * c) / 255 - 1;
    assert.ok(Math.abs(compand(values[c]!) - y) < 1e-5, `class ${c}`);
  }
  assert.deepEqual([...mulawEncode(values)], all);
  // Companding spends resolution near zero: small steps there, large near full scale.
  assert.ok(values[129]! - values[128]! < 1e-3 && values[255]! - values[254]! > 0.02);
});

test('mu-law quantization error is small relative to the signal for speech-like levels', () => {
  const xs = Float32Array.from({ length: 1000 }, (_, i) => 0.3 * Math.sin(i / 7));
  const back = mulawDecode(mulawEncode(xs));
  let err = 0;
  let sig = 0;
  for (let i = 0; i < xs.length; i++) {
    err += (xs[i]! - back[i]!) ** 2;
    sig += xs[i]! ** 2;
  }
  const snr = 10 * Math.log10(sig / err);
  assert.ok(snr > 30, `SNR ${snr.toFixed(1)} dB`);
});
