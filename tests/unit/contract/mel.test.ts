// The mel scale, settings and filterbank both the engine and the renderer use (main/contract/domain/mel.ts):
// against their formulas, and the band positions the mel editor draws its axis with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bandCentres, bandToHz, DEFAULT_MEL, hzToBand, hzToMel, melFilterbank, melSettingsFor, melToHz, sparseFilterbank } from '../../../main/contract/domain/mel';

const cfg = DEFAULT_MEL;

test('melSettingsFor keeps the defaults but the rate and hop, and stops the filters at Nyquist', () => {
  assert.deepEqual(melSettingsFor(16000, 200), DEFAULT_MEL);
  assert.deepEqual(melSettingsFor(44100, 512), { ...DEFAULT_MEL, sampleRate: 44100, hop: 512 });
  assert.equal(melSettingsFor(8000, 80).fMax, 4000);
});

test('the Slaney mel scale: linear to 1 kHz (15 mel), then 27 mel per factor 6.4', () => {
  assert.equal(hzToMel(0), 0);
  assert.ok(Math.abs(hzToMel(1000) - 15) < 1e-12);
  assert.ok(Math.abs(hzToMel(500) - 7.5) < 1e-12);
  assert.ok(Math.abs(hzToMel(6400) - 42) < 1e-9);
  for (const hz of [0, 100, 999, 1000, 3000, 8000]) assert.ok(Math.abs(melToHz(hzToMel(hz)) - hz) < 1e-6);
});

test('mel filters are Slaney-normalised triangles: each has area ≈ 1 in Hz · (2 / width) units and peaks at its centre', () => {
  const filters = melFilterbank(cfg);
  assert.equal(filters.length, 80);
  assert.equal(filters[0]!.length, 513);
  const binHz = cfg.sampleRate / cfg.nFft;
  for (let m = 0; m < 80; m++) {
    const lo = melToHz((hzToMel(8000) * m) / 81);
    const mid = melToHz((hzToMel(8000) * (m + 1)) / 81);
    const hi = melToHz((hzToMel(8000) * (m + 2)) / 81);
    for (let k = 0; k < 513; k++) {
      const f = k * binHz;
      const tri = f <= lo || f >= hi ? 0 : f <= mid ? (f - lo) / (mid - lo) : (hi - f) / (hi - mid);
      assert.ok(Math.abs(filters[m]![k]! - (tri * 2) / (hi - lo)) < 1e-7, `filter ${m} bin ${k}`);
    }
  }
});

test('sparse spans cover exactly the non-zero weights', () => {
  const bank = sparseFilterbank(cfg);
  assert.equal(bank.nBins, 513);
  bank.rows.forEach((row, m) => {
    const [a, b] = bank.spans[m]!;
    for (let k = 0; k < row.length; k++) if (k < a || k >= b) assert.equal(row[k], 0, `filter ${m} bin ${k} outside its span`);
    assert.ok(a < b && row[a]! > 0 && row[b - 1]! > 0, `filter ${m}'s span starts and ends on weights`);
  });
});

test('band positions: band m sits at its filter\'s centre frequency, and Hz ↔ band round-trips', () => {
  const centres = bandCentres(cfg);
  assert.equal(centres.length, 80);
  const bank = melFilterbank(cfg);
  centres.forEach((hz, m) => {
    assert.ok(Math.abs(hzToBand(hz, cfg) - m) < 1e-9, `band ${m}`);
    assert.ok(Math.abs(bandToHz(m, cfg) - hz) < 1e-6);
    // The filter peaks within one FFT bin of its centre.
    const row = bank[m]!;
    let peak = 0;
    for (let k = 1; k < row.length; k++) if (row[k]! > row[peak]!) peak = k;
    assert.ok(Math.abs((peak * cfg.sampleRate) / cfg.nFft - hz) <= cfg.sampleRate / cfg.nFft, `filter ${m} peaks at its centre`);
  });
  for (const hz of [100, 440, 1000, 3000, 7999]) assert.ok(Math.abs(bandToHz(hzToBand(hz, cfg), cfg) - hz) < 1e-6);
});
