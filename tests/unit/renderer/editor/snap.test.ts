// Grid math: beats and seconds, snap steps with triplets, quantizing a time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SNAP_VALUES, barBeats, beatsToSeconds, quantize, quantizeTime, secondsPerBeat, secondsToBeats, snapBeats, snapSeconds,
} from '../../../../renderer/src/editor/snap';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);

test('beats and seconds at a tempo (quarter notes per minute)', () => {
  assert.equal(secondsPerBeat(120), 0.5);
  assert.equal(beatsToSeconds(3, 120), 1.5);
  assert.equal(secondsToBeats(1.5, 120), 3);
  close(secondsToBeats(beatsToSeconds(7.25, 97), 97), 7.25);
});

test('snap steps in beats, straight and triplet', () => {
  assert.equal(snapBeats('1/1'), 4);
  assert.equal(snapBeats('1/4'), 1);
  assert.equal(snapBeats('1/8'), 0.5);
  assert.equal(snapBeats('1/16'), 0.25);
  assert.equal(snapBeats('1/32'), 0.125);
  close(snapBeats('1/4T')!, 2 / 3);
  close(snapBeats('1/8T')!, 1 / 3);
  close(snapBeats('1/16T')!, 1 / 6);
  close(snapBeats('1/32T')!, 1 / 12);
  assert.equal(snapBeats('off'), null);
  assert.equal(snapSeconds('off', 120), null);
  close(snapSeconds('1/8T', 120)!, 1 / 6);
  // Three eighth triplets fill one beat.
  close(3 * snapSeconds('1/8T', 90)!, secondsPerBeat(90));
  for (const s of SNAP_VALUES) if (s !== 'off') assert.ok(snapBeats(s)! > 0);
});

test('bar length in beats follows the time signature', () => {
  assert.equal(barBeats({ beats: 4, unit: 4 }), 4);
  assert.equal(barBeats({ beats: 3, unit: 4 }), 3);
  assert.equal(barBeats({ beats: 6, unit: 8 }), 3);
  assert.equal(barBeats({ beats: 3, unit: 2 }), 6);
});

test('quantize to the nearest step, floor, ceil and with strength', () => {
  assert.equal(quantize(0.26, 0.25), 0.25);
  assert.equal(quantize(0.38, 0.25), 0.5);
  assert.equal(quantize(0.49, 0.25, 'floor'), 0.25);
  assert.equal(quantize(0.26, 0.25, 'ceil'), 0.5);
  close(quantize(0.3, 0.1, 'floor'), 0.3);
  close(quantize(0.3, 0.1, 'ceil'), 0.3);
  close(quantize(0.3, 0.25, 'nearest', 0.5), 0.275);
  assert.equal(quantize(0.37, null), 0.37);
  assert.equal(quantize(0.37, 0), 0.37);
});

test('quantizeTime at a tempo, triplets included', () => {
  // 120 bpm: 1/16 = 0.125 s; 1/8T = 1/6 s.
  close(quantizeTime(0.3, '1/16', 120), 0.25);
  close(quantizeTime(0.32, '1/16', 120), 0.375);
  close(quantizeTime(0.3, '1/8T', 120), 1 / 3);
  close(quantizeTime(0.9, '1/8T', 120), 5 / 6);
  close(quantizeTime(0.9, '1/4T', 120), 1);
  close(quantizeTime(0.9, '1/8T', 120, 'floor'), 5 / 6);
  assert.equal(quantizeTime(0.9, 'off', 120), 0.9);
  // 90 bpm: 1/16T = 1/6 beat = 1/9 s.
  close(quantizeTime(0.48, '1/16T', 90), 4 / 9);
});
