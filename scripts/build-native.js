#!/usr/bin/env node
// `npm run build:native`: builds native/step.c, the generation step in native code (about twice
// ONNX Runtime's speed on a long render), into native/build/Release/wavenet_step.node with the
// node-gyp that npm ships. `npm test`, `npm start` and `npm run dist` run it first; it does nothing
// when the module is newer than its sources. It needs a C compiler, make and python3 (Debian:
// apt-get install -y g++ make python3). Without them the app still works: the build says so in one
// line and exits 0 (--strict: exits 1), and generation runs on ONNX Runtime.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'native');
const built = path.join(dir, 'build', 'Release', 'wavenet_step.node');
const sources = ['step.c', 'binding.gyp'].map((f) => path.join(dir, f));
const strict = process.argv.includes('--strict');
const force = process.argv.includes('--force');

const mtime = (f) => statSync(f).mtimeMs;
if (!force && existsSync(built) && sources.every((f) => mtime(f) <= mtime(built))) process.exit(0);

/** npm's own node-gyp: the one npm names to scripts, else the one beside this node's npm. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // Not installed on its own: npm's copy above.
  }
  return candidates.find((c) => c && existsSync(c)) ?? null;
}

/** This node's own headers where its install has them, so that node-gyp downloads none. */
function nodeDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null;
}

function fail(reason) {
  console.error(`Native generation step not built (${reason}): generation runs on ONNX Runtime, about half as fast. Retry with \`npm run build:native\`.`);
  process.exit(strict ? 1 : 0);
}

/** node-gyp's long output, as the one thing to install or fix. */
function cause(output, status) {
  if (/find Python[\s\S]*You need to install/.test(output)) return 'python3 not found';
  if (/make: (command )?not found|spawn make ENOENT|not found: make/.test(output)) return 'make not found';
  const missing = /No such file or directory: '([^']+)'/.exec(output);
  if (/\b(cc|gcc|g\+\+|c\+\+|clang)(: command)?: not found|spawn (cc|gcc|g\+\+) ENOENT/.test(output)) return 'no C compiler: install gcc or clang';
  if (missing) return `${missing[1]} not found (the C compiler?)`;
  const error = output.split('\n').map((l) => l.trim()).find((l) => /\berror\b/i.test(l) && !l.startsWith('gyp'));
  return error ? error.slice(0, 200) : `node-gyp exited with ${status}`;
}

const gyp = nodeGyp();
if (!gyp) fail('no node-gyp: it comes with npm');
const headers = nodeDir();
const args = [gyp, 'rebuild', '--directory', dir, ...(headers ? [`--nodedir=${headers}`] : [])];
const res = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
if (res.status !== 0) fail(cause(`${res.stdout ?? ''}\n${res.stderr ?? ''}`, res.status));
if (!existsSync(built)) fail(`node-gyp wrote no ${path.relative(root, built)}`);
console.log(`Built ${path.relative(root, built)} (the native generation step).`);
