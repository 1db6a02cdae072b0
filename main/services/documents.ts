// Editor documents and renders of a project: what the Editor and Renders sections read and write.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { EditorDocumentSchema, type EditorDocument } from '../contract/domain/index';
import { decodeAudioFile } from '../engine/audio/decode';
import { mixToMono } from '../engine/audio/load';
import { waveformPeaks } from '../engine/dataset/import/detail';
import { segmentPlan } from '../engine/generate/segment-render';
import { StudioError } from '../engine/errors';
import { documentPath, listDocuments, readDocument, writeDocument } from '../engine/project/document';
import { checkId } from '../engine/project/ids';
import { readJsonFile, writeJsonFile } from '../engine/project/json-file';
import { newDocument } from '../engine/project/new-document';
import { listRenderSidecars, renderSidecarPath, writeRenderSidecarFile } from '../engine/project/render-sidecar';
import { copyFileAtomic } from '../engine/util/atomic';
import type { Handlers } from './dispatch';

/** documents/.backup/<id>.json: the unsaved state of an open document, written as the person edits. */
function backupPath(projectDir: string, id: string): string {
  return path.join(projectDir, 'documents', '.backup', `${checkId(id, 'document')}.json`);
}

async function mtime(file: string): Promise<number | null> {
  try {
    return (await fs.stat(file)).mtimeMs;
  } catch {
    return null;
  }
}

async function getDocument(projectDir: string, id: string): Promise<{ document: EditorDocument; backup: EditorDocument | null }> {
  const document = await readDocument(projectDir, id);
  const [saved, backed] = await Promise.all([mtime(documentPath(projectDir, id)), mtime(backupPath(projectDir, id))]);
  let backup: EditorDocument | null = null;
  if (backed !== null && saved !== null && backed > saved) {
    backup = await readJsonFile(backupPath(projectDir, id), EditorDocumentSchema, 'document backup').catch(() => null);
  }
  return { document, backup };
}

/** Waveform thumbnails of renders, by file and modification time: a render's audio never changes in place. */
const thumbnails = new Map<string, { mtime: number; peaks: { min: number[]; max: number[] } }>();

async function thumbnail(file: string): Promise<{ min: number[]; max: number[] } | null> {
  const m = await mtime(file);
  if (m === null) return null;
  const cached = thumbnails.get(file);
  if (cached && cached.mtime === m) return cached.peaks;
  try {
    const peaks = waveformPeaks(mixToMono((await decodeAudioFile(file)).channels), 160);
    thumbnails.set(file, { mtime: m, peaks });
    return peaks;
  } catch {
    return null;
  }
}

export function documentHandlers(): Pick<Handlers,
  'documents.list' | 'documents.get' | 'documents.create' | 'documents.save' | 'documents.backup' | 'documents.remove' | 'renders.list' | 'renders.segments' | 'renders.export' | 'renders.remove'> {
  return {
    'documents.list': async (a) => {
      const { documents } = await listDocuments(path.resolve(a.project));
      return documents
        .map((d) => ({ id: d.id, name: d.name, kind: d.kind, updatedAt: d.updatedAt ?? null, size: d.kind === 'score' ? d.notes.length : d.mel.frames }))
        .sort((x, y) => (y.updatedAt ?? '').localeCompare(x.updatedAt ?? ''));
    },
    'documents.get': (a) => getDocument(path.resolve(a.project), a.id),
    'documents.create': async (a) => {
      const dir = path.resolve(a.project);
      const doc = await newDocument(dir, a.name, a.from);
      await writeDocument(dir, doc);
      return doc;
    },
    'documents.save': async (a) => {
      const dir = path.resolve(a.project);
      const updatedAt = new Date().toISOString();
      await writeDocument(dir, { ...a.document, updatedAt });
      await fs.rm(backupPath(dir, a.document.id), { force: true });
      return { updatedAt };
    },
    'documents.backup': (a) => writeJsonFile(backupPath(path.resolve(a.project), a.document.id), EditorDocumentSchema, a.document, 'document backup'),
    'documents.remove': async (a) => {
      const dir = path.resolve(a.project);
      await fs.rm(documentPath(dir, a.id), { force: true });
      await fs.rm(backupPath(dir, a.id), { force: true });
    },
    'renders.list': async (a) => {
      const dir = path.resolve(a.project);
      const { renders, invalid } = await listRenderSidecars(dir);
      const listed = await Promise.all(renders.map(async (sidecar) => {
        const file = path.join(dir, 'renders', sidecar.file);
        return { sidecar, path: file, peaks: await thumbnail(file) };
      }));
      return { renders: listed.sort((x, y) => y.sidecar.createdAt.localeCompare(x.sidecar.createdAt)), invalid };
    },
    'renders.segments': (a) => segmentPlan(path.resolve(a.project), path.resolve(a.model), a.id, a.settings ?? {}),
    'renders.export': async (a) => {
      const dir = path.resolve(a.project);
      const render = (await listRenderSidecars(dir)).renders.find((r) => r.id === a.id);
      if (!render) throw new StudioError('FILE_NOT_FOUND', `There is no render ${a.id} any more: refresh the list.`);
      const ext = path.extname(render.file);
      const out = path.resolve(path.extname(a.out).toLowerCase() === ext.toLowerCase() ? a.out : `${a.out}${ext}`);
      await copyFileAtomic(path.join(dir, 'renders', render.file), out);
      await writeRenderSidecarFile(`${out}.json`, { ...render, file: path.basename(out) });
      return { path: out };
    },
    'renders.remove': async (a) => {
      const dir = path.resolve(a.project);
      const sidecarFile = renderSidecarPath(dir, a.id);
      const { renders } = await listRenderSidecars(dir);
      const render = renders.find((r) => r.id === a.id);
      if (!render) throw new StudioError('FILE_NOT_FOUND', `There is no render ${a.id} any more: refresh the list.`);
      await fs.rm(path.join(dir, 'renders', render.file), { force: true });
      await fs.rm(sidecarFile, { force: true });
    },
  };
}
