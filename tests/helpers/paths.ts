import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const corpus = path.resolve(repoRoot, '../shared/corpus');
export const cli = path.join(repoRoot, 'bin/wavenet-studio.js');

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `wavenet-${prefix}-`));
}
