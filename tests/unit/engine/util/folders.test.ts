import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { makeFolder } from '../../../../main/engine/util/folders';
import { tempDir } from '../../../helpers/paths';

test('makeFolder makes every missing folder, accepts one that exists or appears meanwhile, and refuses a file in the way', async () => {
  const root = tempDir('folders');
  const deep = path.join(root, 'a', 'b', 'c');
  await Promise.all([makeFolder(deep), makeFolder(deep), makeFolder(path.join(root, 'a', 'b'))]);
  assert.ok(existsSync(deep));
  await makeFolder(deep);
  writeFileSync(path.join(root, 'file'), '');
  await assert.rejects(makeFolder(path.join(root, 'file', 'x')), { code: 'ENOTDIR' });
});

test('makeFolder answers at once where mkdir says ENOENT under an existing parent (Linux /proc), where Node\'s recursive mkdir spins forever', { skip: process.platform !== 'linux' }, async () => {
  const t0 = Date.now();
  await assert.rejects(makeFolder('/proc/wavenet-studio-test/run'), { code: 'ENOENT' });
  assert.ok(Date.now() - t0 < 2000);
});
