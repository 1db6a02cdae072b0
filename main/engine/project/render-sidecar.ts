import * as path from 'node:path';
import { RenderSidecarSchema, type RenderSidecar } from '../../contract/domain/index';
import { StudioError } from '../errors';
import { checkId } from './ids';
import { listFiles, readJsonFile, writeJsonFile } from './json-file';

export const renderSidecarSchema = RenderSidecarSchema;
export type { RenderSidecar };

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
