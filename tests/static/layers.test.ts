// The layers' import rules (eslint.config.js, layerRules) bite: each forbidden import below is
// reported by no-restricted-imports, and each allowed one is not. The fixtures are strings linted
// as if they sat at the given path, so no file in the tree breaks the rules on purpose.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ESLint } from 'eslint';
import { repoRoot } from '../helpers/paths';

const eslint = new ESLint({ cwd: repoRoot });

/** The no-restricted-imports findings for `source` linted as the file at `filePath` (relative to the repo). */
async function layerFindings(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  assert.ok(result, `ESLint linted ${filePath}`);
  const fatal = result.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], `${filePath} parses`);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

/** One import, used so that no other rule has anything to say about it. */
function importing(specifier: string): string {
  return `import * as imported from '${specifier}';\nexport const used = imported;\n`;
}

function vueImporting(specifier: string): string {
  return `<script setup lang="ts">\nimport * as imported from '${specifier}';\nconst used = imported;\n</script>\n\n<template>\n  <div>{{ used }}</div>\n</template>\n`;
}

// [file the import sits in, what it imports, why it is refused (a piece of the message)]
const forbidden: Array<[string, string, RegExp]> = [
  ['main/engine/__layer_fixture__.ts', '../services/jobs', /engine must not import/],
  ['main/engine/model/__layer_fixture__.ts', '../../worker/protocol', /engine must not import/],
  ['main/engine/__layer_fixture__.ts', '../contract/index', /domain types .* only/],
  ['main/engine/__layer_fixture__.ts', '../contract', /domain types .* only/],
  ['main/engine/__layer_fixture__.ts', '../contract/wire', /domain types .* only/],
  ['main/engine/__layer_fixture__.ts', 'electron', /Only the Electron shell/],
  ['renderer/src/__layer_fixture__.ts', '../../main/engine/errors', /renderer must not import/],
  ['renderer/src/stores/__layer_fixture__.ts', '../../../preload/studio-api', /renderer must not import/],
  ['renderer/src/__layer_fixture__.ts', 'node:fs', /runs in a browser/],
  ['main/contract/__layer_fixture__.ts', 'node:fs', /imports only zod/],
  ['main/contract/domain/__layer_fixture__.ts', 'vue', /imports only zod/],
  ['main/contract/__layer_fixture__.ts', '../engine/errors', /contract must not import/],
  ['main/worker/__layer_fixture__.ts', '../services/jobs', /worker must not import/],
  ['main/worker/jobs/__layer_fixture__.ts', '../../app/index', /worker must not import/],
  ['main/services/__layer_fixture__.ts', '../app/ipc', /services must not import/],
  ['main/services/__layer_fixture__.ts', '../server/index', /services must not import/],
  ['main/services/__layer_fixture__.ts', '../../preload/studio-api', /services must not import/],
  ['main/services/__layer_fixture__.ts', '../worker/index', /through its protocol/],
  ['main/services/__layer_fixture__.ts', 'electron', /Only the Electron shell/],
  ['main/server/__layer_fixture__.ts', '../app/csp', /server must not import/],
  ['main/server/__layer_fixture__.ts', 'electron', /Only the Electron shell/],
  ['main/cli/commands/__layer_fixture__.ts', '../../app/index', /command line must not import/],
  ['preload/__layer_fixture__.ts', '../main/services/backend', /preload must not import/],
  ['main/app/__layer_fixture__.ts', '../../renderer/src/api/index', /Electron shell must not import/],
];

const allowed: Array<[string, string]> = [
  ['main/engine/__layer_fixture__.ts', './errors'],
  ['main/engine/model/__layer_fixture__.ts', '../../contract/domain/model'],
  ['main/engine/__layer_fixture__.ts', '../contract/domain/index'],
  ['main/engine/__layer_fixture__.ts', 'onnxruntime-node'],
  ['renderer/src/__layer_fixture__.ts', '../../main/contract/index'],
  ['renderer/src/__layer_fixture__.ts', 'vue'],
  ['main/contract/__layer_fixture__.ts', 'zod'],
  ['main/contract/__layer_fixture__.ts', './domain/index'],
  ['main/worker/__layer_fixture__.ts', '../engine/errors'],
  ['main/worker/__layer_fixture__.ts', '../contract/domain/jobs'],
  ['main/services/__layer_fixture__.ts', '../worker/protocol'],
  ['main/services/__layer_fixture__.ts', '../contract/wire'],
  ['main/services/__layer_fixture__.ts', '../engine/project/index'],
  ['main/server/__layer_fixture__.ts', './csp'],
  ['main/server/__layer_fixture__.ts', '../services/dispatch'],
  ['main/cli/commands/__layer_fixture__.ts', '../../services/backend'],
  ['main/cli/commands/__layer_fixture__.ts', '../../server/index'],
  ['main/cli/commands/__layer_fixture__.ts', '../../engine/errors'],
  ['preload/__layer_fixture__.ts', 'electron'],
  ['preload/__layer_fixture__.ts', '../main/contract/wire'],
  ['main/app/__layer_fixture__.ts', 'electron'],
  ['main/app/__layer_fixture__.ts', '../services/backend'],
  ['main/app/__layer_fixture__.ts', '../server/csp'],
];

describe('layers: a forbidden import fails the lint', () => {
  for (const [file, specifier, why] of forbidden) {
    test(`${file} importing '${specifier}'`, async () => {
      const findings = await layerFindings(file, importing(specifier));
      assert.equal(findings.length, 1, `one finding, got: ${JSON.stringify(findings)}`);
      assert.match(findings[0]!, why);
    });
  }

  test('in a .vue component too', async () => {
    const findings = await layerFindings('renderer/src/components/LayerFixture.vue', vueImporting('../../../main/services/dispatch'));
    assert.equal(findings.length, 1, JSON.stringify(findings));
    assert.match(findings[0]!, /renderer must not import/);
  });

  test('for a type-only import and a re-export as well', async () => {
    const typeOnly = await layerFindings('main/engine/__layer_fixture__.ts', "import type { Dispatch } from '../services/dispatch';\nexport type D = Dispatch;\n");
    assert.equal(typeOnly.length, 1, JSON.stringify(typeOnly));
    const reExport = await layerFindings('main/contract/__layer_fixture__.ts', "export { readFile } from 'node:fs/promises';\n");
    assert.equal(reExport.length, 1, JSON.stringify(reExport));
  });
});

describe('layers: an allowed import passes', () => {
  for (const [file, specifier] of allowed) {
    test(`${file} importing '${specifier}'`, async () => {
      assert.deepEqual(await layerFindings(file, importing(specifier)), []);
    });
  }

  test('in a .vue component too', async () => {
    assert.deepEqual(await layerFindings('renderer/src/components/LayerFixture.vue', vueImporting('../../../main/contract/index')), []);
  });

  test('the renderer build config (Node) is not held to the renderer rules', async () => {
    assert.deepEqual(await layerFindings('renderer/vite.config.ts', importing('node:path')), []);
  });
});
