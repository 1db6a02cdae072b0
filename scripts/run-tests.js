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
const args = ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files];
const res = spawnSync(process.execPath, args, { stdio: 'inherit', env: process.env });
process.exit(res.status ?? 1);
