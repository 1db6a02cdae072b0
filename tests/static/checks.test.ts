// Type-checking and lint as tests, so CI fails on a type error or a lint finding like on a bug.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/paths';

function run(script: string, args: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', script), ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

test('TypeScript (strict) accepts main, preload, scripts and tests', { timeout: 300_000 }, () => {
  const r = run('typescript/bin/tsc', ['--noEmit', '-p', 'tsconfig.json']);
  assert.equal(r.status, 0, r.output);
});

test('vue-tsc accepts the renderer, templates included', { timeout: 300_000 }, () => {
  const app = run('vue-tsc/bin/vue-tsc.js', ['--noEmit', '-p', 'renderer/tsconfig.json']);
  assert.equal(app.status, 0, app.output);
  const config = run('typescript/bin/tsc', ['--noEmit', '-p', 'renderer/tsconfig.node.json']);
  assert.equal(config.status, 0, config.output);
});

test('ESLint finds nothing', { timeout: 300_000 }, () => {
  const r = run('eslint/bin/eslint.js', ['.']);
  assert.equal(r.status, 0, r.output);
});
