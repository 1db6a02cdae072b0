import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { decodeAudio, decodeAudioFile } from '../../../../main/engine/audio/decode';
import { loadMono, mixToMono } from '../../../../main/engine/audio/load';
import { isStudioError } from '../../../../main/engine/errors';
import { corpus, tempDir } from '../../../helpers/paths';

const formats = path.join(corpus, 'formats');

/** Signal-to-error ratio in dB of `b` against `a`, skipping the edges where codecs ramp. */
function snrDb(a: Float32Array, b: Float32Array): number {
  let signal = 0;
  let error = 0;
  for (let i = 2000; i < a.length - 2000; i++) {
    signal += a[i]! ** 2;
    error += (a[i]! - (b[i] ?? 0)) ** 2;
  }
  return 10 * Math.log10(signal / Math.max(error, 1e-30));
}

test('every corpus format decodes to the same utterance (rate, channels, length, waveform)', async () => {
  const reference = await loadMono(path.join(corpus, 'speech/en-us/utt01.wav'), 16000);
  // [file, native rate, channels, minimum SNR vs the 16-bit reference after conversion to 16 kHz mono]
  const cases: [string, number, number, number][] = [
    ['float32.wav', 16000, 1, 90],
    ['pcm8.wav', 16000, 1, 24],
    ['stereo-44k-24bit.wav', 44100, 2, 35],
    ['utt01-22k.flac', 22050, 1, 35],
    ['utt01-48k.ogg', 48000, 1, 18],
    ['utt01.mp3', 16000, 0, 20],
  ];
  for (const [file, rate, channels, minSnr] of cases) {
    const decoded = await decodeAudioFile(path.join(formats, file));
    assert.equal(decoded.sampleRate, rate, file);
    if (channels) assert.equal(decoded.channels.length, channels, file);
    const seconds = decoded.channels[0]!.length / rate;
    assert.ok(Math.abs(seconds - reference.length / 16000) < 0.002, `${file}: ${seconds} s`);
    const mono = await loadMono(path.join(formats, file), 16000);
    assert.ok(Math.abs(mono.length - reference.length) <= 4, `${file}: ${mono.length} vs ${reference.length} samples`);
    const snr = snrDb(reference, mono);
    assert.ok(snr >= minSnr, `${file}: ${snr.toFixed(1)} dB < ${minSnr} dB`);
  }
});

test('PCM sample scaling is exact at each bit depth', async () => {
  const wav = (bits: number, tag: number, body: Buffer) => {
    const h = Buffer.alloc(44);
    h.write('RIFF', 0, 'ascii');
    h.writeUInt32LE(36 + body.length, 4);
    h.write('WAVEfmt ', 8, 'ascii');
    h.writeUInt32LE(16, 16);
    h.writeUInt16LE(tag, 20);
    h.writeUInt16LE(1, 22);
    h.writeUInt32LE(8000, 24);
    h.writeUInt32LE(8000 * (bits / 8), 28);
    h.writeUInt16LE(bits / 8, 32);
    h.writeUInt16LE(bits, 34);
    h.write('data', 36, 'ascii');
    h.writeUInt32LE(body.length, 40);
    return new Uint8Array(Buffer.concat([h, body]));
  };
  const u8 = Buffer.from([0, 128, 255]);
  assert.deepEqual([...(await decodeAudio(wav(8, 1, u8), 'a.wav')).channels[0]!], [-1, 0, 127 / 128]);
  const i24 = Buffer.alloc(9);
  i24.writeIntLE(-8388608, 0, 3);
  i24.writeIntLE(4194304, 3, 3);
  i24.writeIntLE(-1, 6, 3);
  assert.deepEqual([...(await decodeAudio(wav(24, 1, i24), 'b.wav')).channels[0]!], [-1, 0.5, -1 / 8388608].map(Math.fround));
  const f64 = Buffer.alloc(16);
  f64.writeDoubleLE(0.25, 0);
  f64.writeDoubleLE(-0.75, 8);
  assert.deepEqual([...(await decodeAudio(wav(64, 3, f64), 'c.wav')).channels[0]!], [0.25, -0.75]);
});

test('a mix to mono is the mean of the channels', () => {
  const mono = mixToMono([new Float32Array([1, 0.5, -1]), new Float32Array([0, 0.5, 1])]);
  assert.deepEqual([...mono], [0.5, 0.5, 0]);
});

test('bad files fail with a typed one-line error naming the file, never a crash', async () => {
  const good = new Uint8Array(await fs.readFile(path.join(formats, 'pcm8.wav')));
  const flac = new Uint8Array(await fs.readFile(path.join(formats, 'utt01-22k.flac')));
  const withSampleRate = (rate: number) => {
    const b = Buffer.from(good);
    b.writeUInt32LE(rate, 24);
    return new Uint8Array(b);
  };
  const withDataSize = (size: number) => {
    const b = Buffer.from(good.subarray(0, 44));
    b.writeUInt32LE(size, 40);
    return new Uint8Array(b);
  };
  const floatWithNaN = () => {
    const b = Buffer.alloc(44 + 8);
    Buffer.from(good.subarray(0, 44)).copy(b);
    b.writeUInt16LE(3, 20);
    b.writeUInt16LE(4, 32);
    b.writeUInt16LE(32, 34);
    b.writeUInt32LE(8, 40);
    b.writeFloatLE(0.5, 44);
    b.writeFloatLE(NaN, 48);
    return new Uint8Array(b);
  };
  const adpcm = () => {
    const b = Buffer.from(good);
    b.writeUInt16LE(2, 20);
    return new Uint8Array(b);
  };
  const garbageAfter = (magic: string) => new Uint8Array(Buffer.concat([Buffer.from(magic, 'latin1'), Buffer.alloc(4000, 0x5a)]));
  const cases: [string, Uint8Array, string][] = [
    ['empty.wav', new Uint8Array(0), 'AUDIO_EMPTY'],
    ['notes.wav', new TextEncoder().encode('these are my notes, not audio'), 'AUDIO_UNSUPPORTED'],
    ['cut-header.wav', good.subarray(0, 20), 'AUDIO_TRUNCATED'],
    ['no-samples.wav', withDataSize(0), 'AUDIO_EMPTY'],
    ['header-only.wav', good.subarray(0, 44), 'AUDIO_TRUNCATED'],
    ['zero-rate.wav', withSampleRate(0), 'AUDIO_BAD_SAMPLE_RATE'],
    ['huge-rate.wav', withSampleRate(5_000_000), 'AUDIO_BAD_SAMPLE_RATE'],
    ['nan.wav', floatWithNaN(), 'AUDIO_NON_FINITE'],
    ['adpcm.wav', adpcm(), 'AUDIO_UNSUPPORTED'],
    ['broken.flac', garbageAfter('fLaC'), 'AUDIO_CORRUPT'],
    ['broken.ogg', garbageAfter('OggS'), 'AUDIO_CORRUPT'],
    ['broken.mp3', garbageAfter('ID3'), 'AUDIO_CORRUPT'],
    ['voice.opus', garbageAfter('OggS\0\x02\0\0\0\0\0\0\0\0OpusHead'), 'AUDIO_UNSUPPORTED'],
    ['half.flac', flac.subarray(0, 30), 'AUDIO_CORRUPT'],
  ];
  for (const [name, bytes, code] of cases) {
    await assert.rejects(decodeAudio(bytes, name), (e: unknown) => {
      assert.ok(isStudioError(e), `${name}: ${String(e)}`);
      assert.equal(e.code, code, `${name}: ${e.message}`);
      assert.ok(e.message.includes(name) && !e.message.includes('\n'), `${name}: ${e.message}`);
      return true;
    });
  }
  await assert.rejects(decodeAudioFile(path.join(tempDir('audio'), 'missing.wav')), (e: unknown) => isStudioError(e) && e.code === 'FILE_NOT_FOUND');
});

test('a WAV cut off mid-recording keeps its whole frames; a FLAC cut in half keeps what decodes', async () => {
  const good = new Uint8Array(await fs.readFile(path.join(formats, 'stereo-44k-24bit.wav')));
  const full = await decodeAudio(good, 'full.wav');
  const data = Buffer.from(good).indexOf('data') + 8; // this file has a 40-byte fmt and a fact chunk
  const cut = await decodeAudio(good.subarray(0, data + 6 * 1000 + 4), 'cut.wav');
  assert.equal(cut.channels[0]!.length, 1000);
  assert.deepEqual(cut.channels[1], full.channels[1]!.subarray(0, 1000));
  const flac = new Uint8Array(await fs.readFile(path.join(formats, 'utt01-22k.flac')));
  const half = await decodeAudio(flac.subarray(0, flac.length >> 1), 'half.flac');
  const whole = await decodeAudio(flac, 'whole.flac');
  assert.ok(half.channels[0]!.length > 0 && half.channels[0]!.length < whole.channels[0]!.length);
});
