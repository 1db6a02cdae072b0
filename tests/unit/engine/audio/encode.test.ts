import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { decodeAudioFile } from '../../../../main/engine/audio/decode';
import { writeAudioFile, type AudioFormat } from '../../../../main/engine/audio/encode';
import { isStudioError } from '../../../../main/engine/errors';
import { tempDir } from '../../../helpers/paths';

/** A chirp with values at and beyond full scale, to check scaling and clipping. */
function signal(): Float32Array {
  const out = new Float32Array(12000);
  for (let i = 0; i < out.length; i++) out[i] = 0.9 * Math.sin((2 * Math.PI * (100 + i / 20) * i) / 16000);
  out[0] = 1;
  out[1] = -1;
  out[2] = 1.7; // clips to full scale
  out[3] = -3;
  return out;
}

test('each format round-trips through its decoder within one quantisation step, clipped to full scale', async () => {
  const dir = tempDir('encode');
  const samples = signal();
  const clipped = samples.map((v) => Math.max(-1, Math.min(1, v)));
  const step: Record<AudioFormat, number> = { wav16: 2 ** -15, wav24: 2 ** -23, wav32f: 0, flac16: 2 ** -15, flac24: 2 ** -23 };
  for (const format of Object.keys(step) as AudioFormat[]) {
    const file = path.join(dir, `take-${format}.${format.startsWith('wav') ? 'wav' : 'flac'}`);
    await writeAudioFile(file, samples, 16000, format);
    const decoded = await decodeAudioFile(file);
    assert.equal(decoded.sampleRate, 16000, format);
    assert.equal(decoded.channels.length, 1, format);
    const out = decoded.channels[0]!;
    assert.equal(out.length, samples.length, format);
    let worst = 0;
    // Integer PCM tops out one step below +1.
    const top = 1 - step[format];
    for (let i = 0; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i]! - Math.min(clipped[i]!, top)));
    // Rounding costs half a step; the FLAC decoder scales by 2^(b-1) - 1, not 2^(b-1): up to one more.
    const allowed = step[format] * (format.startsWith('flac') ? 1.5 : 0.5) + 1e-7;
    assert.ok(worst <= allowed, `${format}: worst error ${worst} > ${allowed}`);
    assert.ok(out[3]! <= -0.9999 && out[2]! >= 0.9999, `${format}: clipped peaks ${out[2]}, ${out[3]}`);
  }
  const flac = (await fs.stat(path.join(dir, 'take-flac16.flac'))).size;
  const wav = (await fs.stat(path.join(dir, 'take-wav16.wav'))).size;
  assert.ok(flac < wav, `FLAC (${flac} B) is smaller than WAV (${wav} B)`);
});

test('writes are atomic and deterministic; a wrong extension is refused with a one-line error', async () => {
  const dir = tempDir('encode');
  const file = path.join(dir, 'nested', 'out.flac');
  await writeAudioFile(file, signal(), 22050);
  const first = await fs.readFile(file);
  await writeAudioFile(file, signal(), 22050);
  assert.deepEqual(await fs.readFile(file), first, 'same samples, same bytes');
  assert.deepEqual(await fs.readdir(path.dirname(file)), ['out.flac'], 'no temporary files left behind');
  await assert.rejects(writeAudioFile(path.join(dir, 'out.mp3'), signal(), 16000), (e: unknown) => isStudioError(e) && e.code === 'BAD_OPTION' && e.message.includes('out.mp3'));
  await assert.rejects(writeAudioFile(path.join(dir, 'out.wav'), signal(), 16000, 'flac16'), (e: unknown) => isStudioError(e) && e.code === 'BAD_OPTION');
});
