import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Real speech, music and format samples (tests/fixtures/corpus/README.md says where they come from). */
export const corpus = path.join(repoRoot, 'tests/fixtures/corpus');
/** Everything under tests/fixtures (trained models: tests/fixtures/models/README.md). */
export const fixtures = path.join(repoRoot, 'tests/fixtures');
export const cli = path.join(repoRoot, 'bin/wavenet-studio.js');

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `wavenet-${prefix}-`));
}
