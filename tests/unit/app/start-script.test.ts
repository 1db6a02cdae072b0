// npm start without Electron's binary: one line saying so, then browser mode with its URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildRenderer, freePort } from '../../e2e/browser-mode';
import { repoRoot } from '../../helpers/paths';

test('npm start falls back to browser mode in one line and prints a URL that serves the app', { timeout: 120_000 }, async () => {
  buildRenderer(repoRoot);
  const port = await freePort();
  // An empty override folder stands for "no binary", also on machines where Electron is installed.
  const noElectron = mkdtempSync(path.join(tmpdir(), 'wavenet-no-electron-'));
  const child = spawn(process.execPath, ['scripts/start.js', '--port', String(port)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: noElectron, NO_COLOR: '1', WAVENET_STUDIO_HOME: mkdtempSync(path.join(tmpdir(), 'wavenet-home-')) },
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  try {
    const url = await new Promise<URL>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within 60 s\nstdout:\n${out}\nstderr:\n${err}`)), 60_000);
      child.stdout.on('data', () => {
        const match = /https?:\/\/\S+[?&]token=\S+/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(new URL(match[0]));
        }
      });
      child.once('exit', (code) => reject(new Error(`start.js exited (${code}) before a URL\nstdout:\n${out}\nstderr:\n${err}`)));
    });
    const [first] = out.split('\n');
    assert.equal(
      first,
      "Electron's binary is not installed (npm run fetch:electron downloads it where the network allows); starting browser mode instead.",
    );
    assert.equal(url.hostname, '127.0.0.1');
    assert.equal(url.port, String(port));
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<div id="app">/);
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
});
