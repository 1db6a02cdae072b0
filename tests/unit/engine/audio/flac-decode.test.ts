import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { decodeAudio, decodeAudioFile, type DecodedAudio } from '../../../../main/engine/audio/decode';
import { encodeFlac } from '../../../../main/engine/audio/flac-encode';
import { StudioError } from '../../../../main/engine/errors';
import { repoRoot } from '../../../helpers/paths';

const fixtures = path.join(repoRoot, 'tests/fixtures/flac');

/** IETF CELLAR FLAC decoder testbench files (see tests/fixtures/flac/README.md). */
const SUBSET = [
  'subset-14-wasted-bits.flac',
  'subset-22-12bit.flac',
  'subset-23-8bit.flac',
  'subset-38-3ch.flac',
  'subset-60-mono.flac',
  'subset-64-escape-zero.flac',
];

interface StreamInfo {
  sampleRate: number;
  channels: number;
  bits: number;
  total: number;
  md5: string;
}

/** STREAMINFO read straight from the file's bytes (RFC 9639 §8.2), not through the decoder. */
function streamInfo(bytes: Uint8Array): StreamInfo {
  assert.equal(Buffer.from(bytes.subarray(0, 4)).toString('latin1'), 'fLaC');
  assert.equal(bytes[4]! & 0x7f, 0, 'the first metadata block is STREAMINFO');
  const b = Buffer.from(bytes.subarray(8, 8 + 34));
  // Bytes 10..17 hold 20 bits of rate, 3 of channels - 1, 5 of bits - 1 and 36 of total samples.
  const packed = b.readBigUInt64BE(10);
  return {
    sampleRate: Number(packed >> 44n),
    channels: Number((packed >> 41n) & 7n) + 1,
    bits: Number((packed >> 36n) & 31n) + 1,
    total: Number(packed & 0xfffffffffn),
    md5: b.subarray(18, 34).toString('hex'),
  };
}

/**
 * The MD5 FLAC stores: of the samples as signed integers, interleaved, little-endian, in
 * ceil(bits / 8) bytes each. The decoded floats are integers over 2^(bits - 1), exactly.
 */
function md5OfDecoded(audio: DecodedAudio, bits: number): string {
  const width = Math.ceil(bits / 8);
  const scale = 2 ** (bits - 1);
  const n = audio.channels[0]!.length;
  const buf = Buffer.alloc(n * audio.channels.length * width);
  let o = 0;
  for (let i = 0; i < n; i++) {
    for (const channel of audio.channels) {
      const v = channel[i]! * scale;
      if (!Number.isInteger(v) || v < -scale || v >= scale) assert.fail(`sample ${i} is ${channel[i]}, not a ${bits}-bit value`);
      buf.writeIntLE(v, o, width);
      o += width;
    }
  }
  return createHash('md5').update(buf).digest('hex');
}

async function fixture(name: string): Promise<Uint8Array> {
  return new Uint8Array(await fs.readFile(path.join(fixtures, name)));
}

test('every testbench file decodes to STREAMINFO\'s sample count, and its samples match STREAMINFO\'s MD5', async () => {
  for (const name of SUBSET) {
    const info = streamInfo(await fixture(name));
    const audio = await decodeAudioFile(path.join(fixtures, name));
    assert.equal(audio.sampleRate, info.sampleRate, name);
    assert.equal(audio.channels.length, info.channels, name);
    for (const channel of audio.channels) assert.equal(channel.length, info.total, `${name}: samples per channel`);
    assert.equal(md5OfDecoded(audio, info.bits), info.md5, `${name}: MD5 of the decoded samples`);
    assert.equal(audio.warnings, undefined, `${name}: ${audio.warnings?.join('; ')}`);
  }
});

test('the testbench covers what the old decoder got wrong: 12 and 8 bits, escape code zero, 3 channels', async () => {
  const bits = await Promise.all(['subset-22-12bit.flac', 'subset-23-8bit.flac'].map(async (n) => streamInfo(await fixture(n)).bits));
  assert.deepEqual(bits, [12, 8]);
  assert.equal(streamInfo(await fixture('subset-38-3ch.flac')).channels, 3);
  assert.equal(streamInfo(await fixture('subset-60-mono.flac')).channels, 1);
  // 187998 samples at 44.1 kHz: 4.26 s (the old decoder stopped at 4.18 s).
  const escape = await decodeAudioFile(path.join(fixtures, 'subset-64-escape-zero.flac'));
  assert.equal(escape.channels[0]!.length, 187998);
});

test('what libFLAC encodes at 16 and 24 bits decodes to exactly the same integers, full scale included', async () => {
  for (const bits of [16, 24] as const) {
    const top = 2 ** (bits - 1);
    let seed = 7;
    const pcm = new Int32Array(20000).map((_, i) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      if (i % 5000 < 50) return i % 2 ? top - 1 : -top; // full-scale square: the predictors' worst case
      return Math.round(0.6 * top * Math.sin(i / 7)) + (seed % 200) - 100;
    });
    const audio = await decodeAudio(await encodeFlac(pcm, 48000, bits), `take-${bits}.flac`);
    assert.equal(audio.warnings, undefined);
    assert.deepEqual(Array.from(audio.channels[0]!, (v) => v * top), Array.from(pcm), `${bits}-bit`);
  }
});

test('a cut-off FLAC copy keeps every whole frame, with a warning naming how much is missing', async () => {
  const whole = await fixture('subset-60-mono.flac');
  const info = streamInfo(whole);
  const full = await decodeAudio(whole, 'full.flac');
  const cut = await decodeAudio(whole.slice(0, Math.floor(whole.length * 0.6)), 'cut.flac');
  const n = cut.channels[0]!.length;
  assert.ok(n > 0.3 * info.total && n < 0.9 * info.total, `${n} of ${info.total} samples`);
  // What was decoded is exactly the start of the full decode.
  assert.deepEqual(cut.channels[0], full.channels[0]!.subarray(0, n));
  assert.equal(cut.warnings?.length, 1, cut.warnings?.join('; '));
  const m = /^header promises (\d+\.\d\d) s but the file holds (\d+\.\d\d) s \((\d+\.\d\d) s missing\): the copy is cut off$/.exec(cut.warnings![0]!);
  assert.ok(m, cut.warnings![0]);
  assert.equal(m[1], (info.total / info.sampleRate).toFixed(2));
  assert.equal(m[2], (n / info.sampleRate).toFixed(2));
  assert.ok(Math.abs(Number(m[3]) - (info.total - n) / info.sampleRate) <= 0.006, m[3]);
});

/** Where the frames of subset-60-mono.flac start: every one but the short last frame has this header. */
function monoFrameStarts(bytes: Uint8Array): number[] {
  const header = Buffer.from([0xff, 0xf8, 0xc9, 0x08]); // sync; 4096 samples at 44.1 kHz; mono, 16 bits
  const starts: number[] = [];
  for (let i = Buffer.from(bytes).indexOf(header); i >= 0; i = Buffer.from(bytes).indexOf(header, i + 1)) starts.push(i);
  return starts;
}

test('a frame damaged inside becomes silence of its length, with a warning, and so does the MD5 mismatch', async () => {
  const bytes = await fixture('subset-60-mono.flac');
  const full = (await decodeAudio(bytes, 'full.flac')).channels[0]!;
  const starts = monoFrameStarts(bytes);
  // The first long frame past the middle; flip one bit halfway through it.
  const k = starts.findIndex((s, i) => i > starts.length / 2 && starts[i + 1]! - s > 1000);
  const damaged = bytes.slice();
  damaged[(starts[k]! + starts[k + 1]!) >> 1]! ^= 0x10;
  const audio = await decodeAudio(damaged, 'damaged.flac');
  assert.deepEqual(audio.warnings, [
    '1 frame (0.09 s) failed the frame checksum and was replaced by silence',
    "the decoded audio does not match the MD5 checksum in the file's header: the file is damaged",
  ]);
  const got = audio.channels[0]!;
  assert.equal(got.length, full.length);
  const [from, to] = [k * 4096, (k + 1) * 4096];
  assert.ok(got.subarray(from, to).every((v) => v === 0), 'the damaged frame is silent');
  assert.deepEqual(got.subarray(0, from), full.subarray(0, from));
  assert.deepEqual(got.subarray(to), full.subarray(to));
});

test('a frame whose header is damaged is skipped, with a warning naming how much is missing', async () => {
  const bytes = await fixture('subset-60-mono.flac');
  const starts = monoFrameStarts(bytes);
  const damaged = bytes.slice();
  damaged[starts[starts.length >> 1]! + 3]! ^= 0x10; // mono becomes stereo: the header checksum fails
  const audio = await decodeAudio(damaged, 'damaged.flac');
  assert.equal(audio.channels[0]!.length, streamInfo(bytes).total - 4096);
  assert.deepEqual(audio.warnings, ['header promises 5.15 s but the file holds 5.06 s (0.09 s missing): damaged parts of the file could not be decoded']);
});

test('a file whose MD5 does not match its samples decodes whole, with a warning; a file without an MD5 does not warn', async () => {
  const bytes = await fixture('subset-22-12bit.flac');
  const wrong = bytes.slice();
  wrong[8 + 18] = wrong[8 + 18]! ^ 0xff; // first byte of the MD5 in STREAMINFO
  const audio = await decodeAudio(wrong, 'wrong-md5.flac');
  assert.equal(audio.channels[0]!.length, streamInfo(bytes).total);
  assert.deepEqual(audio.warnings, ["the decoded audio does not match the MD5 checksum in the file's header: the file is damaged"]);

  const unset = bytes.slice();
  unset.fill(0, 8 + 18, 8 + 34);
  assert.equal((await decodeAudio(unset, 'no-md5.flac')).warnings, undefined);
});

test('a FLAC file that is not whole before its audio, or has no STREAMINFO first, is refused with one line', async () => {
  const bytes = await fixture('subset-38-3ch.flac');
  const refusals: [Uint8Array, string][] = [
    [bytes.slice(0, 30), 'AUDIO_CORRUPT'], // not even a whole STREAMINFO
    [bytes.slice(0, 60), 'AUDIO_TRUNCATED'],
    [Uint8Array.from([...bytes.subarray(0, 4), 4, ...bytes.subarray(5)]), 'AUDIO_CORRUPT'], // first block not STREAMINFO
  ];
  for (const [data, code] of refusals) {
    await assert.rejects(decodeAudio(data, 'x.flac'), (e: unknown) => {
      assert.ok(e instanceof StudioError, String(e));
      assert.equal(e.code, code, e.message);
      assert.ok(e.message.startsWith('x.flac') && !e.message.includes('\n'), e.message);
      return true;
    });
  }
});
