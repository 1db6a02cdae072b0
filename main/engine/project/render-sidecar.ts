import * as path from 'node:path';
import { z } from 'zod';
import { StudioError } from '../errors';
import { checkId, idSchema } from './ids';
import { listFiles, readJsonFile, writeJsonFile } from './json-file';

/** What made a render: enough to find its model and document and render it again. */
export const renderSidecarSchema = z.object({
  id: idSchema,
  createdAt: z.iso.datetime(),
  /** The model file, relative to the project when it lies inside it. */
  model: z.string().min(1),
  /** The editor document id, or null for an unconditioned render. */
  document: idSchema.nullable(),
  seed: z.number().int(),
  temperature: z.number().nonnegative(),
  sampleRate: z.number().int().positive(),
  seconds: z.number().nonnegative(),
  /** The audio file's name inside renders/ (<id>.wav or <id>.flac). */
  file: z.string().regex(/^[^/\\]+\.(wav|flac)$/, 'a .wav or .flac file name inside renders/'),
});

export type RenderSidecar = z.infer<typeof renderSidecarSchema>;

export function renderSidecarPath(projectDir: string, id: string): string {
  return path.join(projectDir, 'renders', `${checkId(id, 'render')}.json`);
}

/** Written after the audio file is complete, so a sidecar always points at a finished render. */
export async function writeRenderSidecar(projectDir: string, sidecar: RenderSidecar): Promise<void> {
  await writeJsonFile(renderSidecarPath(projectDir, sidecar.id), renderSidecarSchema, sidecar, 'render sidecar');
}

export async function readRenderSidecar(projectDir: string, id: string): Promise<RenderSidecar> {
  return readJsonFile(renderSidecarPath(projectDir, id), renderSidecarSchema, 'render sidecar');
}

/** Every render's sidecar; an unreadable one is reported, not fatal. */
export async function listRenderSidecars(projectDir: string): Promise<{ renders: RenderSidecar[]; invalid: { path: string; reason: string }[] }> {
  const renders: RenderSidecar[] = [];
  const invalid: { path: string; reason: string }[] = [];
  for (const file of await listFiles(path.join(projectDir, 'renders'), '.json')) {
    try {
      renders.push(await readJsonFile(file, renderSidecarSchema, 'render sidecar'));
    } catch (e) {
      if (!(e instanceof StudioError)) throw e;
      invalid.push({ path: file, reason: e.message });
    }
  }
  return { renders, invalid };
}
