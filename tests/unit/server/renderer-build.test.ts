import assert from 'node:assert/strict';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ensureRendererBuilt, rendererState } from '../../../main/server/renderer-build';
import { tempDir } from '../../helpers/paths';

/** A tree with renderer and contract sources but no vite: what serve sees, without building. */
function tree(): { root: string; touch: (rel: string, seconds: number) => void } {
  const root = tempDir('renderer-build');
  const touch = (rel: string, seconds: number) => {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, rel);
    utimesSync(file, seconds, seconds);
  };
  touch('renderer/src/App.vue', 1000);
  touch('main/contract/index.ts', 1000);
  return { root, touch };
}

test('the build is missing, current, or stale when a renderer or contract source is newer', () => {
  const { root, touch } = tree();
  assert.equal(rendererState(root), 'missing');
  touch('out/renderer/index.html', 2000);
  assert.equal(rendererState(root), 'current');
  touch('main/contract/index.ts', 3000);
  assert.equal(rendererState(root), 'stale');
  touch('out/renderer/index.html', 4000);
  touch('renderer/src/views/New.vue', 5000);
  assert.equal(rendererState(root), 'stale');
});

test('a current build is served as is; a stale one that cannot be rebuilt still is, with a line; a missing one stops serve', () => {
  const { root, touch } = tree();
  const lines: string[] = [];
  const log = (l: string) => lines.push(l);
  assert.throws(() => ensureRendererBuilt(root, log), { code: 'NOT_AVAILABLE', message: /run `npm run build:renderer` to see why/ });
  assert.deepEqual(lines, ['Building the app’s pages (first start)…']);

  lines.length = 0;
  touch('out/renderer/index.html', 2000);
  assert.equal(ensureRendererBuilt(root, log), path.join(root, 'out', 'renderer'));
  assert.deepEqual(lines, []);

  touch('renderer/src/App.vue', 3000);
  assert.equal(ensureRendererBuilt(root, log), path.join(root, 'out', 'renderer'));
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /Rebuilding the app’s pages \(their sources changed\)/);
  assert.match(lines[1]!, /serving the previous build/);
});
