#!/usr/bin/env node
// `npm run fetch:electron`: downloads Electron's binary with electron's own install script (from
// Electron's release host, or the mirror in ELECTRON_MIRROR). npm installs only the electron
// package; the binary comes from outside the npm registry, so it is fetched on request.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

let packageDir;
try {
  packageDir = path.dirname(require.resolve('electron/package.json'));
} catch {
  console.error('The electron package is not installed; run `npm ci` first.');
  process.exit(1);
}
const { version } = require('electron/package.json');
console.log(`Downloading Electron ${version}…`);
const result = spawnSync(process.execPath, [path.join(packageDir, 'install.js')], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
if (result.status !== 0) {
  const reason = (result.stderr ?? '').split('\n').find((line) => line.trim() !== '') ?? `exit code ${result.status}`;
  console.error(`Could not download Electron ${version}: ${reason.trim()}`);
  console.error('Electron comes from its GitHub releases (or ELECTRON_MIRROR); without that network, use browser mode: npm start.');
  process.exit(1);
}
console.log(`Electron ${version} is installed; npm start launches the desktop app.`);
