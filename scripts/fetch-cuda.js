#!/usr/bin/env node
// `npm run fetch:cuda`: downloads onnxruntime-node's CUDA execution provider with its own install
// script. `npm ci` skips that download (.npmrc: onnxruntime-node-install=skip) because it comes
// from NuGet, outside the npm registry.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const packageDir = path.dirname(require.resolve('onnxruntime-node/package.json'));
const metadata = require(path.join(packageDir, 'script/install-metadata.js'));
const platform = `${os.platform()}/${os.arch()}`;
const installable = metadata.requirements[platform] ?? [];
const cuda = installable.find((name) => name.startsWith('cuda'));
if (!cuda) {
  console.error(
    `onnxruntime-node has no CUDA download for ${platform}; the bundled providers still work (CPU, WebGPU; DirectML on Windows, CoreML on macOS).`,
  );
  process.exit(1);
}

// The environment variable wins over .npmrc's onnxruntime-node-install=skip, which `npm run`
// passes on as npm_config_onnxruntime_node_install.
const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: cuda };
delete env.npm_config_onnxruntime_node_install;
console.log(`Downloading onnxruntime-node's ${cuda} execution provider…`);
const result = spawnSync(process.execPath, [path.join(packageDir, 'script/install.js')], {
  cwd: packageDir,
  env,
  stdio: ['ignore', 'inherit', 'pipe'],
  encoding: 'utf8',
});
if (result.status !== 0) {
  // The install script dies with a stack trace; one line of it says why.
  const lines = (result.stderr ?? '').split('\n').map((line) => line.trim());
  const reason = lines.find((line) => /^\w*Error\b/.test(line)) ?? lines.find((line) => line !== '') ?? `exit code ${result.status}`;
  console.error(`Could not download the CUDA provider: ${reason}`);
  console.error('It comes from NuGet (api.nuget.org), which this network may not reach; CPU and WebGPU work without it.');
  process.exit(1);
}
console.log('CUDA provider installed; use --device cuda (needs an NVIDIA driver and CUDA 12 with cuDNN 9).');
