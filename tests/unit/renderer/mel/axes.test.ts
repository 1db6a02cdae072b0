// The mel editor's axes and waveform overview: time ticks at round steps that fit the zoom,
// frequency ticks at round Hz placed on the mel scale, labels with units, and min/max columns
// from the block pyramid equal to a scan of the samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatHz, formatSeconds, frequencyTicks, timeTicks, WaveformPeaks } from '../../../../renderer/src/mel/axes';
import { hzToBand, melSettingsFor } from '../../../../main/contract/domain/mel';

test('time ticks: majors at least minPx apart, labelled in s, minors between', () => {
  const ticks = timeTicks(0, 30, 40);
  const majors = ticks.filter((t) => t.major);
  assert.deepEqual(majors.map((t) => t.at), [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]);
  assert.equal(majors[1]!.label, '2 s');
  assert.ok(ticks.some((t) => !t.major && t.label === ''));
  const fine = timeTicks(1.2, 1.5, 2000).filter((t) => t.major);
  assert.equal(fine[0]!.label, '1.20 s');
  assert.ok(fine.every((t, i) => i === 0 || (t.at - fine[i - 1]!.at) * 2000 >= 70 - 1e-6));
  assert.deepEqual(timeTicks(0, 1, 0), []);
});

test('seconds and Hz are labelled with their units', () => {
  assert.equal(formatSeconds(0.25), '0.25 s');
  assert.equal(formatSeconds(65.5, 1), '1:05.5');
  assert.equal(formatHz(250), '250 Hz');
  assert.equal(formatHz(1000), '1 kHz');
  assert.equal(formatHz(2500), '2.5 kHz');
});

test('frequency ticks: round Hz at their mel-scale place, rising, never crowded', () => {
  const cfg = melSettingsFor(16000, 200);
  const ticks = frequencyTicks(cfg, 0, 79, 6);
  assert.ok(ticks.length >= 5);
  for (let i = 1; i < ticks.length; i++) assert.ok((ticks[i]!.at - ticks[i - 1]!.at) * 6 >= 18, 'at least 18 px apart');
  const k1 = ticks.find((t) => t.label === '1 kHz');
  assert.ok(k1, 'a 1 kHz tick');
  assert.ok(Math.abs(k1!.at - hzToBand(1000, cfg)) < 1e-12);
  // Zoomed in on the low bands, the ticks get denser.
  assert.ok(frequencyTicks(cfg, 0, 20, 30).length > ticks.filter((t) => t.at <= 20).length);
  // Nothing above the top of the analysis.
  assert.ok(frequencyTicks(melSettingsFor(8000, 80), 0, 79, 6).every((t) => !t.label.startsWith('5 kHz')));
});

test('waveform columns from the pyramid equal a scan of the samples, at any zoom', () => {
  const samples = new Float32Array(100_003);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.sin(i * 0.001) * Math.sin(i * 0.37) + (i % 9973 === 0 ? 0.9 : 0);
  const peaks = new WaveformPeaks(samples);
  for (const [start, per, columns] of [[0, 1, 50], [10.5, 3.3, 100], [0, 100, 1000], [123, 777.7, 120], [5000, 5000, 30], [-500, 300, 20]] as const) {
    const got = peaks.columns(start, per, columns);
    for (let c = 0; c < columns; c++) {
      const a = Math.max(0, Math.floor(start + c * per));
      const b = Math.min(samples.length, Math.max(a + 1, Math.floor(start + (c + 1) * per)));
      if (a >= samples.length || b <= 0) {
        assert.equal(got[2 * c], 0);
        continue;
      }
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = a; i < b; i++) {
        lo = Math.min(lo, samples[i]!);
        hi = Math.max(hi, samples[i]!);
      }
      assert.equal(got[2 * c], lo, `min of column ${c} (start ${start}, ${per} per column)`);
      assert.equal(got[2 * c + 1], hi);
    }
  }
});
