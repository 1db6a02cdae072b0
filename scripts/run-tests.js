#!/usr/bin/env node
// Runs every test file under tests/{static,unit,integration,e2e} with node's test runner (TypeScript via
// tsx). Node 20 has no glob support in --test, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['tests/static', 'tests/unit', 'tests/integration', 'tests/e2e'];
const files = [];
function walk(dir) {
  let names = [];
  try { names = readdirSync(dir); } catch { return; }
  for (const name of names.sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.ts')) files.push(p);
  }
}
for (const r of roots) {
  if (r.endsWith('.test.ts')) files.push(r); else walk(r);
}
if (files.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}
// The native generation step (native/step.c), which the engine's tests run where it builds.
spawnSync(process.execPath, [join('scripts', 'build-native.js')], { stdio: 'inherit' });
// End-to-end tests serve the built renderer: build it once here, since test files run two at a
// time and two builds at once empty each other's output folder.
const env = { ...process.env };
if (files.some((f) => f.includes(`${join('tests', 'e2e')}`) || f.includes(join('tests', 'unit', 'app')))) {
  const built = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (built.status !== 0) {
    console.error('The renderer build failed; end-to-end tests cannot run.');
    process.exit(1);
  }
  env.WAVENET_RENDERER_BUILT = '1';
}
const args = ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files];
const res = spawnSync(process.execPath, args, { stdio: 'inherit', env });
process.exit(res.status ?? 1);
