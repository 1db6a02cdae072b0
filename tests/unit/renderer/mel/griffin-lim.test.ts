// The mel editor's quick preview: the renderer's STFT is the engine's analysis framing, the
// inverse STFT reconstructs, the mel → magnitude inversion fits the bands, and Griffin-Lim of the
// mel of a sine (as the engine computes it) gives back that sine's frequency (spectral peak within
// one FFT bin) and roughly its level; the block-wise preview sounds the same and remakes only the
// blocks an edit touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logMel } from '../../../../main/engine/dsp/mel';
import { melSettingsFor, sparseFilterbank } from '../../../../main/contract/domain/mel';
import { griffinLim, melToAudio, melToMagnitudes, Stft } from '../../../../renderer/src/mel/griffin-lim';
import { assembleBlocks, BLOCK_FRAMES, blockCount, blockFrames, blocksTouching, CONTEXT_FRAMES, renderBlock } from '../../../../renderer/src/mel/preview-blocks';
import { MelPreview, type BlockRunner } from '../../../../renderer/src/mel/preview';
import { renderSlice } from '../../../../renderer/src/mel/preview-blocks';

const RATE = 16000;
const HOP = 200;
const cfg = melSettingsFor(RATE, HOP);
const BIN_HZ = RATE / cfg.nFft;

function sine(hz: number, amplitude: number, seconds: number): Float32Array {
  const x = new Float32Array(Math.round(seconds * RATE));
  for (let i = 0; i < x.length; i++) x[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / RATE);
  return x;
}

/** The magnitude spectrum averaged over the frames away from the ends, and its peak bin. */
function spectrumPeak(y: Float32Array): { bin: number; avg: Float64Array } {
  const stft = new Stft(cfg);
  const spec = stft.forward(y);
  const frames = stft.framesFor(y.length);
  const avg = new Float64Array(stft.nBins);
  for (let f = 4; f < frames - 4; f++) {
    for (let k = 0; k < stft.nBins; k++) avg[k] += Math.hypot(spec[(f * stft.nBins + k) * 2]!, spec[(f * stft.nBins + k) * 2 + 1]!);
  }
  let bin = 0;
  for (let k = 1; k < avg.length; k++) if (avg[k]! > avg[bin]!) bin = k;
  return { bin, avg };
}

function rmsDb(y: Float32Array, skip: number): number {
  let sum = 0;
  for (let i = skip; i < y.length - skip; i++) sum += y[i]! * y[i]!;
  return 10 * Math.log10(sum / (y.length - 2 * skip));
}

test('the STFT is the engine\'s framing: its magnitudes through the filterbank give the engine\'s log-mel', () => {
  const x = new Float32Array(RATE / 2);
  for (let i = 0; i < x.length; i++) x[i] = 0.3 * Math.sin(i * 0.07) + 0.2 * Math.sin(i * 0.9 + 1) * Math.cos(i * 0.003);
  const stft = new Stft(cfg);
  const spec = stft.forward(x);
  const engine = logMel(x, cfg);
  assert.equal(stft.framesFor(x.length), engine.frames);
  const bank = sparseFilterbank(cfg);
  let worst = 0;
  for (let f = 0; f < engine.frames; f++) {
    for (let m = 0; m < cfg.nMels; m++) {
      let sum = 0;
      for (let k = bank.spans[m]![0]; k < bank.spans[m]![1]; k++) sum += bank.rows[m]![k]! * Math.hypot(spec[(f * stft.nBins + k) * 2]!, spec[(f * stft.nBins + k) * 2 + 1]!);
      worst = Math.max(worst, Math.abs(Math.log(Math.max(cfg.floor, sum)) - engine.data[f * cfg.nMels + m]!));
    }
  }
  assert.ok(worst < 1e-4, `log-mel differs by ${worst}`);
});

test('the inverse STFT reconstructs the signal from its own STFT', () => {
  const x = sine(330, 0.5, 0.4);
  for (let i = 0; i < x.length; i++) x[i] += 0.1 * Math.sin(i * 1.3);
  const stft = new Stft(cfg);
  const frames = stft.framesFor(x.length);
  const y = stft.inverse(stft.forward(x), frames, x.length);
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(y[i]! - x[i]!));
  assert.ok(worst < 1e-4, `reconstruction error ${worst}`);
});

test('mel → magnitude: the spectrum found gives back the bands (in the log domain) and is never negative', () => {
  const x = new Float32Array(RATE / 4);
  for (let i = 0; i < x.length; i++) x[i] = 0.2 * Math.sin(i * 0.2) + 0.1 * Math.sin(i * 1.1) + 0.05 * Math.sin(i * 2.5);
  const mel = logMel(x, cfg);
  const mag = melToMagnitudes(mel, cfg);
  assert.equal(mag.frames, mel.frames);
  assert.equal(mag.nBins, 513);
  const bank = sparseFilterbank(cfg);
  let err = 0;
  let n = 0;
  for (let f = 2; f < mel.frames - 2; f++) {
    for (let m = 0; m < cfg.nMels; m++) {
      const v = mel.data[f * cfg.nMels + m]!;
      if (v < -8) continue;
      let sum = 0;
      for (let k = bank.spans[m]![0]; k < bank.spans[m]![1]; k++) sum += bank.rows[m]![k]! * mag.data[f * 513 + k]!;
      err += Math.abs(Math.log(Math.max(cfg.floor, sum)) - v);
      n++;
    }
  }
  assert.ok(n > 100);
  assert.ok(err / n < 0.1, `mean band error ${(err / n).toFixed(3)} nats`);
  assert.ok(mag.data.every((v) => v >= 0));
  // A silent sheet (every value at the floor) gives a silent spectrum.
  const silent = melToMagnitudes({ frames: 3, bins: 80, data: new Array(240).fill(Math.log(cfg.floor)) }, cfg);
  assert.ok(silent.data.every((v) => v === 0));
});

for (const hz of [220, 440, 1000]) {
  test(`Griffin-Lim of the mel of a ${hz} Hz sine recovers its frequency (within one bin) and its level`, () => {
    const amplitude = 0.3;
    const x = sine(hz, amplitude, 1);
    const y = melToAudio(logMel(x, cfg), cfg, { iterations: 32 });
    assert.equal(y.length, (logMel(x, cfg).frames - 1) * HOP);
    const { bin } = spectrumPeak(y);
    assert.ok(Math.abs(bin - hz / BIN_HZ) <= 1, `peak at bin ${bin} (${(bin * BIN_HZ).toFixed(1)} Hz), the sine is at bin ${(hz / BIN_HZ).toFixed(2)}`);
    const level = rmsDb(y, 2000) - 20 * Math.log10(amplitude / Math.SQRT2);
    assert.ok(Math.abs(level) < 1.5, `level off by ${level.toFixed(2)} dB`);
  });
}

test('a high sine comes back within its mel band and within a few dB (the bands are wide up there)', () => {
  const hz = 3000;
  const x = sine(hz, 0.3, 0.6);
  const y = melToAudio(logMel(x, cfg), cfg);
  const { bin } = spectrumPeak(y);
  // Filters near 3 kHz are about 320 Hz wide: the inversion can place the tone only that well.
  assert.ok(Math.abs(bin * BIN_HZ - hz) < 160, `peak at ${(bin * BIN_HZ).toFixed(0)} Hz`);
  const level = rmsDb(y, 2000) - 20 * Math.log10(0.3 / Math.SQRT2);
  assert.ok(Math.abs(level) < 6, `level off by ${level.toFixed(2)} dB`);
});

test('Griffin-Lim is deterministic for a seed, and its output\'s mel is close to the input\'s', () => {
  const x = sine(500, 0.2, 0.5);
  for (let i = 0; i < x.length; i++) x[i] += 0.1 * Math.sin((2 * Math.PI * 1250 * i) / RATE);
  const mel = logMel(x, cfg);
  const mag = melToMagnitudes(mel, cfg);
  const a = griffinLim(mag, cfg, { iterations: 16, seed: 7 });
  const b = griffinLim(mag, cfg, { iterations: 16, seed: 7 });
  assert.deepEqual(a, b);
  const back = logMel(a, cfg);
  let err = 0;
  let n = 0;
  for (let f = 3; f < mel.frames - 3; f++) {
    for (let m = 0; m < 80; m++) {
      if (mel.data[f * 80 + m]! < -6) continue;
      err += Math.abs(back.data[f * 80 + m]! - mel.data[f * 80 + m]!);
      n++;
    }
  }
  assert.ok(err / n < 0.5, `mean error of the loud bands ${(err / n).toFixed(3)} nats`);
});

test('blocks: ranges, the blocks an edit reaches, and assembly with cross-fades that sum to one', () => {
  const frames = 3 * BLOCK_FRAMES + 10;
  assert.equal(blockCount(frames), 4);
  assert.deepEqual(blockFrames(0, frames), { frame0: 0, frame1: BLOCK_FRAMES, context0: 0, context1: BLOCK_FRAMES + CONTEXT_FRAMES });
  assert.deepEqual(blockFrames(3, frames), { frame0: 3 * BLOCK_FRAMES, frame1: frames, context0: 3 * BLOCK_FRAMES - CONTEXT_FRAMES, context1: frames });
  assert.deepEqual(blocksTouching(10, 20, frames), [0]);
  assert.deepEqual(blocksTouching(BLOCK_FRAMES - 2, BLOCK_FRAMES - 1, frames), [0, 1], 'within the context of the next block');
  assert.deepEqual(blocksTouching(BLOCK_FRAMES + 40, BLOCK_FRAMES + 50, frames), [1]);
  assert.deepEqual(blocksTouching(0, frames, frames), [0, 1, 2, 3]);
  // Blocks of ones (each covering its context) assemble to ones everywhere.
  const ones = Array.from({ length: 4 }, (_, b) => {
    const { context0, context1 } = blockFrames(b, frames);
    return new Float32Array((context1 - context0 - 1) * HOP).fill(1);
  });
  const y = assembleBlocks(ones, frames, HOP);
  assert.equal(y.length, (frames - 1) * HOP);
  assert.ok(y.every((v) => Math.abs(v - 1) < 1e-6), 'the cross-fade weights sum to one');
});

test('the block-wise preview of a sine sounds like the whole-sheet one: same peak, same level', () => {
  const x = sine(440, 0.3, 2.2);
  const mel = logMel(x, cfg);
  const blocks = Array.from({ length: blockCount(mel.frames) }, (_, b) => renderBlock(mel, cfg, b));
  const y = assembleBlocks(blocks, mel.frames, HOP);
  const { bin } = spectrumPeak(y);
  assert.ok(Math.abs(bin - 440 / BIN_HZ) <= 1);
  const level = rmsDb(y, 2000) - 20 * Math.log10(0.3 / Math.SQRT2);
  assert.ok(Math.abs(level) < 1.5, `level off by ${level.toFixed(2)} dB`);
});

test('MelPreview makes every block once, then after an edit only the blocks it touched', async () => {
  const x = sine(300, 0.2, 3.5);
  const mel = logMel(x, cfg);
  const grid = { frames: mel.frames, bins: mel.bins, data: Float64Array.from(mel.data) };
  const made: number[] = [];
  const runner: BlockRunner = async (r) => {
    made.push(r.block);
    return renderSlice({ frames: r.frames, bins: r.bins, data: r.data }, r.cfg, r.block, { ...r.options, iterations: 2 });
  };
  const preview = new MelPreview(() => grid, cfg, runner);
  const progress: string[] = [];
  preview.onProgress = (p) => progress.push(`${p.done}/${p.total}`);
  const n = blockCount(grid.frames);
  const first = await preview.render();
  assert.equal(first.length, (grid.frames - 1) * HOP);
  assert.deepEqual([...made].sort((a, b) => a - b), Array.from({ length: n }, (_, b) => b));
  assert.equal(progress.at(-1), `${n}/${n}`);
  assert.ok(preview.ready);
  assert.equal(await preview.render(), first, 'nothing changed: the same sound, nothing made');
  assert.equal(made.length, n);

  made.length = 0;
  preview.invalidate({ kind: 'cells', frame0: BLOCK_FRAMES + 30, frame1: BLOCK_FRAMES + 40, bin0: 0, bin1: 80 });
  assert.ok(!preview.ready);
  await preview.render(BLOCK_FRAMES + 30);
  assert.deepEqual(made, [1], 'only the block the edit touched is made again');

  // Frames inserted (a stretch): everything from there on is made again, at the new length.
  made.length = 0;
  const extra = 40;
  const longer = new Float64Array((grid.frames + extra) * grid.bins);
  longer.set(grid.data);
  longer.fill(Math.log(cfg.floor), grid.data.length);
  Object.assign(grid, { frames: grid.frames + extra, data: longer });
  preview.invalidate({ kind: 'frames', frame0: 2 * BLOCK_FRAMES + 5, removed: 0, inserted: extra });
  const y = await preview.render();
  assert.equal(y.length, (grid.frames - 1) * HOP);
  assert.ok(!made.includes(0), 'blocks before the stretch are kept');
  assert.ok(made.includes(blockCount(grid.frames) - 1));
});
