import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isTrustedRendererUrl, resolveAppPath } from '../../../main/app/app-url';

const root = mkdtempSync(path.join(tmpdir(), 'wavenet-app-url-'));
mkdirSync(path.join(root, 'assets'));
writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
writeFileSync(path.join(root, 'assets', 'index-1.js'), '');

test('app:// URLs map to files under the renderer folder', () => {
  assert.equal(resolveAppPath(root, 'app://studio/index.html'), path.join(root, 'index.html'));
  assert.equal(resolveAppPath(root, 'app://studio/'), path.join(root, 'index.html'));
  assert.equal(resolveAppPath(root, 'app://studio'), path.join(root, 'index.html'));
  assert.equal(resolveAppPath(root, 'app://studio/assets/index-1.js?v=2#x'), path.join(root, 'assets', 'index-1.js'));
  assert.equal(resolveAppPath(root, 'app://studio/assets/a%20b.css'), path.join(root, 'assets', 'a b.css'));
});

test('traversal out of the renderer folder is refused, in every spelling', () => {
  const attempts = [
    'app://studio/../secret.txt',
    'app://studio/assets/../../secret.txt',
    'app://studio/%2e%2e/secret.txt',
    'app://studio/assets/%2E%2E/%2e%2e/etc/passwd',
    'app://studio/..%2fsecret.txt',
    'app://studio/..%5csecret.txt',
    'app://studio/assets%5c..%5c..%5csecret.txt',
    'app://studio/%2fetc%2fpasswd/../x',
    'app://studio/index.html%00.png',
    'app://studio/%E0%A4%A', // malformed escape
    'app://studio/C:/Windows/win.ini',
  ];
  for (const url of attempts) {
    const resolved = resolveAppPath(root, url);
    assert.ok(
      resolved === null || (resolved.startsWith(root + path.sep) && !resolved.includes('..')),
      `${url} resolved to ${resolved}`,
    );
  }
  // URL parsing (here as in Chromium) removes literal and %2e dot segments at the root: clamped.
  assert.equal(resolveAppPath(root, 'app://studio/%2e%2e/secret.txt'), path.join(root, 'secret.txt'));
  // An encoded separator survives parsing and would climb after decoding: refused outright.
  assert.equal(resolveAppPath(root, 'app://studio/..%2fsecret.txt'), null);
  assert.equal(resolveAppPath(root, 'app://studio/..%5csecret.txt'), null);
});

test('other schemes and hosts are not ours', () => {
  assert.equal(resolveAppPath(root, 'file:///etc/passwd'), null);
  assert.equal(resolveAppPath(root, 'app://other/index.html'), null);
  assert.equal(resolveAppPath(root, 'https://studio/index.html'), null);
  assert.equal(resolveAppPath(root, 'not a url'), null);
});

test('trusted renderer frames: app://studio, and the dev server only when one is given', () => {
  assert.equal(isTrustedRendererUrl('app://studio/index.html#/projects'), true);
  assert.equal(isTrustedRendererUrl('app://evil/index.html'), false);
  assert.equal(isTrustedRendererUrl('http://localhost:5173/'), false);
  assert.equal(isTrustedRendererUrl('http://localhost:5173/#/editor', 'http://localhost:5173'), true);
  assert.equal(isTrustedRendererUrl('http://localhost:5174/', 'http://localhost:5173'), false);
  assert.equal(isTrustedRendererUrl('https://example.com/', 'http://localhost:5173'), false);
  assert.equal(isTrustedRendererUrl('about:blank'), false);
});
