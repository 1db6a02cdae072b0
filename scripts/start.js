#!/usr/bin/env node
// `npm start`: the Electron app when Electron's binary is installed, browser mode otherwise.
// Plain JavaScript so it runs before anything is built. Arguments after `npm start --` go to the
// app (Electron) or to `serve` (browser mode, e.g. `npm start -- --port 8080`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

/**
 * The Electron executable if it is on disk, else null. Reads electron's path.txt itself: requiring
 * 'electron' would try to download the binary, which fails without the network.
 */
function installedElectron() {
  let packageDir;
  try {
    packageDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  let relative = 'electron';
  try {
    relative = readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim();
  } catch {
    if (!process.env.ELECTRON_OVERRIDE_DIST_PATH) return null;
  }
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || path.join(packageDir, 'dist');
  const executable = path.join(dist, relative);
  return existsSync(executable) ? executable : null;
}

/** Runs a build step; on failure its own output says why, and we stop with its exit code. */
function build(command, commandArgs) {
  const result = spawnSync(process.execPath, [command, ...commandArgs], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Runs the app in the foreground, passing Ctrl+C and termination on, and exits as it exits. */
function runForeground(executable, commandArgs) {
  const child = spawn(executable, commandArgs, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

// The native generation step: a quick no-op when built; a failed build is one line, not a stop.
build(path.join(root, 'scripts/build-native.js'), []);
const electron = installedElectron();
if (electron) {
  build(path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), ['build', '--logLevel', 'warn']);
  runForeground(electron, ['.', ...args]);
} else {
  console.log(
    "Electron's binary is not installed (npm run fetch:electron downloads it where the network allows); starting browser mode instead.",
  );
  // serve builds the pages itself when they are missing or older than their sources.
  runForeground(process.execPath, [path.join(root, 'bin/wavenet-studio.js'), 'serve', ...args]);
}
