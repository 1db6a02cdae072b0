import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as path from 'node:path';
import { DatasetManifestSchema, type DatasetManifest } from '../../contract/domain/index';
import type { Dataset } from '../dataset/types';
import { StudioError } from '../errors';
import { checkId } from './ids';
import { readJsonFile, writeJsonFile } from './json-file';

export const manifestSchema = DatasetManifestSchema;
export type { DatasetManifest };

export function manifestPath(projectDir: string, id: string): string {
  return path.join(projectDir, 'datasets', checkId(id, 'dataset'), 'manifest.json');
}

/**
 * Record what an import found: each file's hash (to notice later edits), duration and split, and
 * the files skipped with their reasons.
 */
export async function writeManifest(projectDir: string, dataset: Dataset, id: string, now: Date = new Date()): Promise<DatasetManifest> {
  const file = manifestPath(projectDir, id);
  const hashes = await mapLimit(dataset.items, 2, (it) => sha256File(it.path).catch(() => {
    throw new StudioError('FILE_NOT_FOUND', `${it.path} can no longer be read: import the dataset again.`);
  }));
  const manifest: DatasetManifest = {
    id,
    folders: dataset.folders,
    condition: dataset.condition,
    sampleRate: dataset.sampleRate,
    hop: dataset.hop,
    files: dataset.items.map((it, i) => ({ path: it.path, sha256: hashes[i]!, seconds: it.seconds, split: it.split })),
    skipped: dataset.skipped.map((s) => ({ path: s.path, reason: s.reason })),
    createdAt: now.toISOString(),
  };
  await writeJsonFile(file, manifestSchema, manifest, 'dataset manifest');
  return manifest;
}

export async function readManifest(projectDir: string, id: string): Promise<DatasetManifest> {
  return readJsonFile(manifestPath(projectDir, id), manifestSchema, 'dataset manifest');
}

/** The manifest, or null before the first import. A damaged one is still an error (it says what to do). */
export async function readManifestIfAny(projectDir: string, id: string): Promise<DatasetManifest | null> {
  try {
    return await readManifest(projectDir, id);
  } catch (e) {
    if (e instanceof StudioError && e.code === 'FILE_NOT_FOUND') return null;
    throw e;
  }
}

/** Validates and replaces the manifest atomically (an import writes it as it goes, and at the end). */
export async function saveManifest(projectDir: string, manifest: DatasetManifest): Promise<void> {
  await writeJsonFile(manifestPath(projectDir, manifest.id), manifestSchema, manifest, 'dataset manifest');
}

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
