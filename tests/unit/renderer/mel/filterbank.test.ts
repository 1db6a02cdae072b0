// The renderer's copy of the engine's mel analysis settings and filterbank (renderer/src/mel/
// filterbank.ts) must be the engine's, value for value: the editor inverts sheets the engine made
// and labels their bands in Hz with it. The engine is imported here, in the test only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MEL, hzToMel as engineHzToMel, melFilterbank as engineFilterbank, melToHz as engineMelToHz, paddedHann as enginePaddedHann } from '../../../../main/engine/dsp/mel';
import { melConfigFor } from '../../../../main/engine/dataset/features';
import { bandCentres, bandToHz, ENGINE_MEL, hzToBand, hzToMel, melFilterbank, melSettingsFor, melToHz, paddedHann, sparseFilterbank } from '../../../../renderer/src/mel/filterbank';

const RATES: [number, number][] = [[16000, 200], [22050, 256], [24000, 300], [44100, 512], [8000, 80]];

test('the default settings and melSettingsFor are the engine\'s DEFAULT_MEL and melConfigFor', () => {
  assert.deepEqual({ ...ENGINE_MEL }, { ...DEFAULT_MEL });
  for (const [rate, hop] of RATES) assert.deepEqual(melSettingsFor(rate, hop), melConfigFor(rate, hop), `${rate} Hz, hop ${hop}`);
});

test('the mel scale is the engine\'s (Slaney), both ways', () => {
  for (const hz of [0, 1, 50, 440, 999.9, 1000, 1000.1, 2500, 8000, 11025, 22050]) {
    assert.equal(hzToMel(hz), engineHzToMel(hz), `${hz} Hz`);
    assert.equal(melToHz(hzToMel(hz)), engineMelToHz(engineHzToMel(hz)));
  }
});

test('the filterbank equals the engine\'s melFilterbank for the same config, value for value', () => {
  for (const [rate, hop] of RATES) {
    const ours = melFilterbank(melSettingsFor(rate, hop));
    const engine = engineFilterbank(melConfigFor(rate, hop));
    assert.equal(ours.length, engine.length);
    for (let m = 0; m < engine.length; m++) assert.deepEqual(ours[m], engine[m], `${rate} Hz: filter ${m}`);
  }
  // And for settings other than the defaults (the engine's function takes any config).
  const odd = { ...ENGINE_MEL, nFft: 512, winLength: 400, nMels: 40, fMin: 55, fMax: 7600 };
  assert.deepEqual(melFilterbank(odd), engineFilterbank(odd));
});

test('the padded Hann window is the engine\'s', () => {
  for (const [rate, hop] of RATES) assert.deepEqual(paddedHann(melSettingsFor(rate, hop)), enginePaddedHann(melConfigFor(rate, hop)));
});

test('sparse spans cover exactly the non-zero weights', () => {
  const bank = sparseFilterbank(melSettingsFor(16000, 200));
  assert.equal(bank.nBins, 513);
  bank.rows.forEach((row, m) => {
    const [a, b] = bank.spans[m]!;
    for (let k = 0; k < row.length; k++) if (k < a || k >= b) assert.equal(row[k], 0, `filter ${m} bin ${k} outside its span`);
    assert.ok(a < b && row[a]! > 0 && row[b - 1]! > 0, `filter ${m}'s span starts and ends on weights`);
  });
});

test('band positions: band m sits at its filter\'s centre frequency, and Hz ↔ band round-trips', () => {
  const cfg = melSettingsFor(16000, 200);
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
