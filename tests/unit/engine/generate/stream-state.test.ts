import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStudioError } from '../../../../main/engine/errors';
import { foldResidualBiases } from '../../../../main/engine/generate/fold';
import { StreamState } from '../../../../main/engine/generate/stream-state';
import { preset } from '../../../../main/engine/model/config';
import { initialParams, paramSpecs } from '../../../../main/engine/model/params';

test('more streams than WebAssembly memory holds: one line with the most that fit, before anything is allocated', () => {
  const cfg = preset('large');
  const folded = foldResidualBiases(cfg, initialParams(paramSpecs(cfg), 1));
  assert.throws(() => new StreamState(cfg, folded, 600, false), (e: unknown) => {
    assert.ok(isStudioError(e) && e.code === 'BAD_OPTION', String(e));
    assert.match(e.message, /^600 streams side by side need 4\.8 GB .* over WebAssembly's 4 GB: use at most 49\d streams \(--batch\) per worker\.$/);
    return true;
  });
});
