import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldResidualBiases } from '../../../../main/engine/generate/fold';
import { preset } from '../../../../main/engine/model/config';
import { stepGraph } from '../../../../main/engine/model/graphs';
import { initialParams, paramSpecs } from '../../../../main/engine/model/params';
import { availableDevices, openSession, parseDevice } from '../../../../main/engine/runtime/session';
import { StudioError } from '../../../../main/engine/errors';

const cfg = preset('tiny');
const model = stepGraph(cfg, foldResidualBiases(cfg, initialParams(paramSpecs(cfg), 1)).flat);

test('the CPU is always available and opens', async () => {
  assert.ok(availableDevices().includes('cpu'));
  const s = await openSession(model, { device: 'cpu' });
  assert.equal(s.device, 'cpu');
  await s.session.release();
});

test('a provider that cannot start here falls back to the CPU with one clear line', async () => {
  // DirectML exists only on Windows, CoreML only on macOS: one of them is missing on any machine.
  const missing = process.platform === 'win32' ? 'coreml' : 'dml';
  const messages: string[] = [];
  const s = await openSession(model, { device: missing, onFallback: (m) => messages.push(m) });
  assert.equal(s.device, 'cpu');
  assert.equal(messages.length, 1);
  assert.match(messages[0]!, new RegExp(`^The ${missing} execution provider could not start \\(.+\\); running on the CPU instead\\.$`));
  assert.doesNotMatch(messages[0]!, /\n/);
  await s.session.release();
});

test('an unknown device name is a typed error', () => {
  assert.throws(() => parseDevice('tpu'), (e: unknown) => e instanceof StudioError && e.code === 'BAD_OPTION' && /tpu/.test(e.message));
  assert.equal(parseDevice('auto'), 'auto');
});
