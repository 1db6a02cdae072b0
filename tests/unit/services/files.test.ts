import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { listDir } from '../../../main/services/files';
import { tempDir } from '../../helpers/paths';

test('a folder lists folders first, then files, each in natural order, with its parent; hidden and broken entries left out', async () => {
  const dir = tempDir('list');
  for (const d of ['takes', 'Bass', '.git']) mkdirSync(path.join(dir, d));
  for (const f of ['take10.wav', 'take2.wav', '.DS_Store']) writeFileSync(path.join(dir, f), 'abc');
  symlinkSync(path.join(dir, 'gone.wav'), path.join(dir, 'dangling.wav'));
  const listing = await listDir(dir);
  assert.equal(listing.path, dir);
  assert.equal(listing.parent, path.dirname(dir));
  assert.deepEqual(listing.entries.map((e) => [e.name, e.kind]), [['Bass', 'dir'], ['takes', 'dir'], ['take2.wav', 'file'], ['take10.wav', 'file']]);
  assert.equal(listing.entries[2]!.size, 3);
  assert.equal((await listDir('/')).parent, null);
  assert.equal((await listDir()).path, os.homedir());
  assert.equal((await listDir('~')).path, os.homedir());
});

test('a missing folder or a file gives one clear line', async () => {
  const dir = tempDir('list');
  await assert.rejects(listDir(path.join(dir, 'nope')), { code: 'FILE_NOT_FOUND', message: /nope does not exist; check the path\.$/ });
  writeFileSync(path.join(dir, 'a.wav'), 'x');
  await assert.rejects(listDir(path.join(dir, 'a.wav')), { message: /a\.wav is a file, not a folder\.$/ });
});
