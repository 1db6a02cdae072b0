// A render's id names its file in renders/: readable (document and seed), valid, and its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ID_PATTERN, slugOf } from '../../../../main/contract/domain/ids';
import { newRenderId } from '../../../../renderer/src/components/editor/render-options';

test('names are slugged: accents dropped, runs of other characters one dash, cut without a trailing dash', () => {
  assert.equal(slugOf('My Voice (2024)'), 'my-voice-2024');
  assert.equal(slugOf('Étude nº 3 — Café'), 'etude-no-3-cafe');
  assert.equal(slugOf('日本語'), '');
  assert.equal(slugOf('eight utterances of speech', 12), 'eight-uttera');
  assert.equal(slugOf('ab cd ef', 3), 'ab');
});

test('a render id starts with the document and the seed, is a valid id, and is new each time', () => {
  const at = new Date(Date.UTC(2026, 10, 26, 11, 25));
  const id = newRenderId('Eight utterances', 793, at);
  assert.match(id, /^eight-utterances-s793-[0-9a-z]{9}-[0-9a-f]{8}$/);
  assert.ok(ID_PATTERN.test(id));
  assert.notEqual(newRenderId('Eight utterances', 793, at), id, 'a random tail keeps two renders in the same millisecond apart');
  for (const [name, seed] of [['', 1], ['日本語', -5], ['A very long document name that goes on and on and on', 2147483647]] as const) {
    const other = newRenderId(name, seed, at);
    assert.ok(ID_PATTERN.test(other), `${other} is a valid id`);
  }
  assert.match(newRenderId('', 1, at), /^s1-/);
});
