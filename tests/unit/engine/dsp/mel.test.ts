import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MEL, melFilterbank } from '../../../../main/contract/domain/mel';
import { logMel, reflectPad } from '../../../../main/engine/dsp/mel';

const cfg = DEFAULT_MEL;

test('reflect padding mirrors without repeating the edge sample', () => {
  assert.deepEqual([...reflectPad(Float32Array.from([1, 2, 3, 4]), 2)], [3, 2, 1, 2, 3, 4, 3, 2]);
  assert.deepEqual([...reflectPad(Float32Array.from([5]), 2)], [5, 5, 5, 5, 5]);
});

test('log-mel equals the formula evaluated with a direct DFT on chosen frames', () => {
  // A chirp plus noise, so every band carries energy.
  let seed = 7;
  const noise = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
  const n = 16000;
  const x = Float32Array.from({ length: n }, (_, t) => 0.5 * Math.sin(2 * Math.PI * (100 * t / 16000 + 3000 * (t / 16000) ** 2)) + 0.05 * noise());
  const mel = logMel(x, cfg);
  assert.equal(mel.frames, 1 + Math.floor(n / cfg.hop));
  assert.equal(mel.bins, 80);

  const filters = melFilterbank(cfg);
  for (const f of [0, 1, 40, mel.frames - 1]) {
    // Frame f is centred on sample f·hop; its n_fft samples come from the reflect-padded signal.
    const frame = new Float64Array(cfg.nFft);
    for (let i = 0; i < cfg.nFft; i++) {
      let t = f * cfg.hop - cfg.nFft / 2 + i;
      if (t < 0) t = -t;
      if (t >= n) t = 2 * (n - 1) - t;
      const w = i - (cfg.nFft - cfg.winLength) / 2;
      const hann = w >= 0 && w < cfg.winLength ? 0.5 - 0.5 * Math.cos((2 * Math.PI * w) / cfg.winLength) : 0;
      frame[i] = x[t]! * hann;
    }
    const magnitude = new Float64Array(cfg.nFft / 2 + 1);
    for (let k = 0; k <= cfg.nFft / 2; k++) {
      let re = 0;
      let im = 0;
      for (let i = 0; i < cfg.nFft; i++) {
        re += frame[i]! * Math.cos((2 * Math.PI * k * i) / cfg.nFft);
        im -= frame[i]! * Math.sin((2 * Math.PI * k * i) / cfg.nFft);
      }
      magnitude[k] = Math.hypot(re, im);
    }
    for (let m = 0; m < 80; m++) {
      let e = 0;
      for (let k = 0; k < magnitude.length; k++) e += filters[m]![k]! * magnitude[k]!;
      const expected = Math.log(Math.max(1e-5, e));
      assert.ok(Math.abs(mel.data[f * 80 + m]! - expected) < 1e-3, `frame ${f} band ${m}: ${mel.data[f * 80 + m]} vs ${expected}`);
    }
  }
});

test('a pure tone lights the band around its frequency with the magnitude the window predicts; silence is ln(1e-5)', () => {
  const hz = 1000;
  const amp = 0.5;
  const x = Float32Array.from({ length: 8000 }, (_, t) => amp * Math.sin((2 * Math.PI * hz * t) / 16000));
  const mel = logMel(x, cfg);
  const f = 20;
  const row = mel.data.subarray(f * 80, f * 80 + 80);
  const peak = row.indexOf(Math.max(...row));
  const filters = melFilterbank(cfg);
  // The strongest band is one whose triangle covers 1 kHz.
  assert.ok(filters[peak]![Math.round((hz * cfg.nFft) / 16000)]! > 0, `peak band ${peak} covers ${hz} Hz`);
  // A sinusoid's magnitude peak is amp · Σwindow / 2 = amp · winLength / 4 for a periodic Hann;
  // the Hann main lobe spreads it over about ±2.5 bins, so the band sums one to three peaks' worth.
  const k = (hz * cfg.nFft) / 16000; // 64: exactly on a bin
  const ratio = Math.exp(row[peak]!) / (filters[peak]![k]! * ((amp * cfg.winLength) / 4));
  assert.ok(ratio > 1 && ratio < 3, `band energy / on-bin peak = ${ratio}`);

  const quiet = logMel(new Float32Array(4000), cfg);
  assert.ok(quiet.data.every((v) => Math.abs(v - Math.log(1e-5)) < 1e-6));
});

test('inconsistent mel settings give a one-line BAD_OPTION', () => {
  assert.throws(() => logMel(new Float32Array(100), { ...cfg, nFft: 1000 }), /power of two/);
  assert.throws(() => logMel(new Float32Array(100), { ...cfg, fMax: 9000 }), /fmax/);
});
