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

/**
 * Where a rendered file's sidecar goes: renders/<id>.json for a file in a project's renders folder
 * (<id>.wav), <file>.json (take.wav.json) for a render anywhere else.
 */
export function sidecarPathFor(audioFile: string, projectDir?: string | null): string {
  const file = path.resolve(audioFile);
  if (projectDir && path.dirname(file) === path.resolve(projectDir, 'renders')) {
    return renderSidecarPath(projectDir, path.basename(file, path.extname(file)));
  }
  return `${file}.json`;
}

/** A render's sidecar at any path. Written after the audio file is complete, so it always points at a finished render. */
export async function writeRenderSidecarFile(file: string, sidecar: RenderSidecar): Promise<void> {
  await writeJsonFile(file, renderSidecarSchema, sidecar, 'render sidecar');
}

export async function readRenderSidecarFile(file: string): Promise<RenderSidecar> {
  return readJsonFile(file, renderSidecarSchema, 'render sidecar');
}

/** A project render's sidecar, renders/<id>.json. */
export async function writeRenderSidecar(projectDir: string, sidecar: RenderSidecar): Promise<void> {
  await writeRenderSidecarFile(renderSidecarPath(projectDir, sidecar.id), sidecar);
}

export async function readRenderSidecar(projectDir: string, id: string): Promise<RenderSidecar> {
  return readRenderSidecarFile(renderSidecarPath(projectDir, id));
}

/** Every render's sidecar; an unreadable one is reported, not fatal. */
export async function listRenderSidecars(projectDir: string): Promise<{ renders: RenderSidecar[]; invalid: { path: string; reason: string }[] }> {
  const renders: RenderSidecar[] = [];
  const invalid: { path: string; reason: string }[] = [];
  for (const file of await listFiles(path.join(projectDir, 'renders'), '.json')) {
    try {
      renders.push(await readRenderSidecarFile(file));
    } catch (e) {
      if (!(e instanceof StudioError)) throw e;
      invalid.push({ path: file, reason: e.message });
    }
  }
  return { renders, invalid };
}
