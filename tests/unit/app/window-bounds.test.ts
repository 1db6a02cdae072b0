import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DEFAULT_WINDOW_STATE,
  readWindowState,
  restoreWindowState,
  writeWindowState,
  type Rect,
} from '../../../main/app/window-bounds';

const laptop: Rect = { x: 0, y: 0, width: 1440, height: 900 };
const monitorRight: Rect = { x: 1440, y: 0, width: 2560, height: 1440 };

function tempFile(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'wavenet-bounds-')), 'window-state.json');
}

test('a saved window comes back where it was when that display is still connected', async () => {
  const file = tempFile();
  await writeWindowState(file, { bounds: { x: 1600, y: 100, width: 1200, height: 800 }, maximized: true });
  const stored = await readWindowState(file);
  assert.deepEqual(restoreWindowState(stored, [laptop, monitorRight]), {
    bounds: { x: 1600, y: 100, width: 1200, height: 800 },
    maximized: true,
  });
});

test('a window last seen on an unplugged display keeps its size (fitted) but not its position', async () => {
  const file = tempFile();
  await writeWindowState(file, { bounds: { x: 1600, y: 100, width: 2000, height: 1200 }, maximized: false });
  const restored = restoreWindowState(await readWindowState(file), [laptop]);
  assert.deepEqual(restored, { bounds: { width: 1440, height: 900 }, maximized: false });
});

test('a window whose title bar is just off the display edge counts as not visible', () => {
  // Only 20 px of the window overlaps the laptop screen horizontally: it could not be dragged back.
  const stored = { bounds: { x: 1420, y: 10, width: 800, height: 600 }, maximized: false };
  assert.equal(restoreWindowState(stored, [laptop]).bounds.x, undefined);
  // Above the top of the screen: the title bar is unreachable.
  const above = { bounds: { x: 100, y: -500, width: 800, height: 600 }, maximized: false };
  assert.equal(restoreWindowState(above, [laptop]).bounds.x, undefined);
  // Well inside: kept.
  const inside = { bounds: { x: 100, y: 50, width: 800, height: 600 }, maximized: false };
  assert.equal(restoreWindowState(inside, [laptop]).bounds.x, 100);
});

test('a missing, corrupt or nonsensical file gives the defaults', async () => {
  const missing = tempFile();
  assert.deepEqual(restoreWindowState(await readWindowState(missing), [laptop]), DEFAULT_WINDOW_STATE);
  for (const text of ['{"bounds": {"width": 12', '[]', 'null', '{"bounds":{"width":"wide","height":800}}', '{"bounds":{"width":100,"height":50}}']) {
    const file = tempFile();
    writeFileSync(file, text);
    assert.equal(await readWindowState(file), null, text);
    assert.deepEqual(restoreWindowState(await readWindowState(file), [laptop]), DEFAULT_WINDOW_STATE);
  }
});

test('saving replaces the file atomically: valid JSON and no temporary files left beside it', async () => {
  const file = tempFile();
  writeFileSync(file, 'garbage from an older crash');
  for (let i = 0; i < 5; i++) await writeWindowState(file, { bounds: { x: i, y: i, width: 1000 + i, height: 700 }, maximized: false });
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { bounds: { x: 4, y: 4, width: 1004, height: 700 }, maximized: false });
  assert.deepEqual(readdirSync(path.dirname(file)), ['window-state.json']);
});
