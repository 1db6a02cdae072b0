import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resample } from '../../../../main/engine/dsp/resample';

function sine(hz: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / rate);
  return out;
}

/** Amplitude of one frequency by correlation with sin/cos over the middle of the signal. */
function amplitudeAt(x: Float32Array, hz: number, rate: number): number {
  let s = 0;
  let c = 0;
  const from = Math.floor(x.length / 4);
  const to = Math.floor((3 * x.length) / 4);
  for (let i = from; i < to; i++) {
    s += x[i]! * Math.sin((2 * Math.PI * hz * i) / rate);
    c += x[i]! * Math.cos((2 * Math.PI * hz * i) / rate);
  }
  return (2 * Math.hypot(s, c)) / (to - from);
}

test('resampling keeps an in-band tone at its frequency and level, with round(n·to/from) samples', async () => {
  for (const [from, to] of [[44100, 16000], [22050, 16000], [8000, 16000], [48000, 22050]] as const) {
    const input = sine(1000, from, 1.001);
    const out = await resample(input, from, to);
    assert.equal(out.length, Math.round((input.length * to) / from), `${from}→${to}`);
    const level = amplitudeAt(out, 1000, to);
    assert.ok(Math.abs(20 * Math.log10(level / 0.5)) < 0.05, `${from}→${to}: level ${level}`);
  }
});

test('resampling down removes tones above the new Nyquist instead of aliasing them', async () => {
  const out = await resample(sine(11000, 44100, 1), 44100, 16000);
  // 11 kHz would alias to 5 kHz at 16 kHz; band-limiting must keep it > 60 dB down.
  const alias = amplitudeAt(out, 5000, 16000);
  assert.ok(20 * Math.log10(alias / 0.5) < -60, `alias at ${(20 * Math.log10(alias / 0.5)).toFixed(1)} dB`);
});

test('equal rates and empty input pass through', async () => {
  const x = sine(440, 16000, 0.1);
  assert.equal(await resample(x, 16000, 16000), x);
  assert.equal((await resample(new Float32Array(0), 44100, 16000)).length, 0);
});
