// Project media for playback: which audio files the renderer may fetch (browser mode's /media,
// Electron's app://studio/media) and how a Range request is answered. No Electron or HTTP here:
// the server and the app:// handler both build their answer from `mediaAnswer`.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { PROJECT_FILE } from '../engine/project/project-file';

/** The audio a page may play, by extension (lower case), with its Content-Type. */
export const MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.wav': 'audio/wav',
  '.flac': 'audio/flac',
  '.ogg': 'audio/ogg',
  '.mp3': 'audio/mpeg',
};

/** The Content-Type of an audio file, or null when the file is not audio we serve. */
export function mediaTypeFor(file: string): string | null {
  return MEDIA_TYPES[path.extname(file).toLowerCase()] ?? null;
}

export interface MediaFile {
  ok: true;
  /** The real path (symlinks resolved) of the file to stream. */
  path: string;
  size: number;
  type: string;
}

export interface MediaRefusal {
  ok: false;
  /** 403: not a file the page may read (outside the open projects, not audio, a bad path); 404: missing. */
  status: 403 | 404;
  message: string;
}

export type MediaResolution = MediaFile | MediaRefusal;

const forbidden = (message: string): MediaRefusal => ({ ok: false, status: 403, message });
const missing = (message: string): MediaRefusal => ({ ok: false, status: 404, message });

/** Only the dataset folders of project.json matter here: a project with another bad field still plays. */
const datasetFoldersSchema = z.object({
  datasets: z.array(z.object({ folders: z.array(z.string()) }).loose()),
}).loose();

interface ProjectEntry {
  dir: string;
  /** project.json's mtime and size when `folders` was read; re-read when either changes. */
  stamp: string | null;
  folders: string[];
}

/**
 * The media the renderer may play: files under the folders of the projects opened or created in
 * this session, and under the dataset source folders those projects list in project.json (read
 * again whenever the file changes, so a dataset added after opening plays too). Everything else,
 * including a symlink inside a project that points outside every allowed folder, is refused.
 */
export class MediaLibrary {
  private readonly projects = new Map<string, ProjectEntry>();

  /** A project folder opened or created in this session. */
  addProject(dir: string): void {
    const resolved = path.resolve(dir);
    if (!this.projects.has(resolved)) this.projects.set(resolved, { dir: resolved, stamp: null, folders: [] });
  }

  /** The folders files may be served from, as given (project folders, then their dataset folders). */
  async roots(): Promise<string[]> {
    const roots: string[] = [];
    for (const entry of this.projects.values()) {
      roots.push(entry.dir);
      roots.push(...(await this.datasetFolders(entry)));
    }
    return roots;
  }

  private async datasetFolders(entry: ProjectEntry): Promise<string[]> {
    const file = path.join(entry.dir, PROJECT_FILE);
    const stat = await fs.stat(file).catch(() => null);
    if (!stat) return entry.folders;
    const stamp = `${stat.mtimeMs}:${stat.size}`;
    if (stamp === entry.stamp) return entry.folders;
    try {
      const parsed = datasetFoldersSchema.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
      if (parsed.success) {
        // Folders are absolute in project.json; a relative one would mean relative to the project.
        entry.folders = parsed.data.datasets.flatMap((d) => d.folders).filter((f) => f !== '' && !f.includes('\0')).map((f) => path.resolve(entry.dir, f));
        entry.stamp = stamp;
      }
    } catch {
      // Half-written or unreadable: keep the folders read last time and try again next request.
    }
    return entry.folders;
  }

  /**
   * The file an absolute path names, if the page may play it. Refuses (403) a path that is not
   * absolute, holds a `..` segment or a NUL byte, is not audio, or lies (after resolving symlinks)
   * outside every allowed folder; 404 for a missing file or something that is not a regular file.
   * Nothing outside the allowed folders is even looked at, so a refusal tells nothing about it.
   */
  async resolve(requested: string): Promise<MediaResolution> {
    if (typeof requested !== 'string' || requested === '') return forbidden('A media request needs the path of a file.');
    if (requested.includes('\0')) return forbidden('That path is not allowed.');
    if (!path.isAbsolute(requested)) return forbidden('A media path must be absolute.');
    if (requested.split(/[\\/]/).includes('..')) return forbidden('A media path must not contain "..".');
    if (!mediaTypeFor(requested)) return forbidden('Only audio files (.wav, .flac, .ogg, .mp3) are served.');

    const file = path.resolve(requested);
    const given = await this.roots();
    const real = (await Promise.all(given.map((r) => fs.realpath(r).catch(() => null)))).filter((r): r is string => r !== null);
    // First by name: a path outside every folder is refused before the disk is asked about it.
    if (![...given, ...real].some((root) => isInside(root, file))) return forbidden('That file is not part of an open project.');

    let realFile: string;
    try {
      realFile = await fs.realpath(file);
    } catch {
      return missing('No such file.');
    }
    // Then for real: a symlink (the file or a folder above it) must not lead out of the allowed folders.
    if (!real.some((root) => isInside(root, realFile))) return forbidden('That file is not part of an open project.');
    const type = mediaTypeFor(realFile);
    if (!type) return forbidden('Only audio files (.wav, .flac, .ogg, .mp3) are served.');
    const stat = await fs.stat(realFile).catch(() => null);
    if (!stat || !stat.isFile()) return missing('No such file.');
    return { ok: true, path: realFile, size: stat.size, type };
  }
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel);
}

export type ByteRange =
  | { kind: 'whole' }
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

/**
 * What a Range header asks of a file of `size` bytes (RFC 9110 §14): `bytes=a-b`, `bytes=a-`,
 * `bytes=-n`. A missing, malformed or non-bytes header, or several ranges, get the whole file
 * (a server may ignore Range); a range that starts past the end, or an empty suffix, is
 * unsatisfiable. `end` is inclusive and clamped to the last byte.
 */
export function parseRange(header: string | null | undefined, size: number): ByteRange {
  if (!header) return { kind: 'whole' };
  const match = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!match) return { kind: 'whole' };
  const specs = match[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (specs.length !== 1) return { kind: 'whole' };
  const spec = /^(\d*)\s*-\s*(\d*)$/.exec(specs[0]!);
  if (!spec) return { kind: 'whole' };
  const [, first, last] = spec;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    const suffix = Number(last);
    if (!Number.isSafeInteger(suffix)) return { kind: 'whole' };
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? Number.MAX_SAFE_INTEGER : Number(last);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: Math.min(end, size - 1) };
}

export interface MediaAnswer {
  status: 200 | 206 | 403 | 404 | 416;
  headers: Record<string, string>;
  /** The bytes to send (inclusive), or null for no file content (a refusal, 416, an empty file). */
  body: { path: string; start: number; end: number } | null;
  /** The one-line text body of a refusal. */
  text?: string;
}

const COMMON_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };

/** Status, headers and byte span for a resolved (or refused) media request with its Range header. */
export function mediaAnswer(resolution: MediaResolution, rangeHeader: string | null | undefined): MediaAnswer {
  if (!resolution.ok) {
    const text = `${resolution.message}\n`;
    return {
      status: resolution.status,
      headers: { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) },
      body: null,
      text,
    };
  }
  const { path: file, size, type } = resolution;
  const range = parseRange(rangeHeader, size);
  if (range.kind === 'unsatisfiable') {
    const text = 'The requested range is outside the file.\n';
    return {
      status: 416,
      headers: { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)), 'Content-Range': `bytes */${size}`, 'Accept-Ranges': 'bytes' },
      body: null,
      text,
    };
  }
  const headers = { ...COMMON_HEADERS, 'Content-Type': type, 'Accept-Ranges': 'bytes' };
  if (range.kind === 'partial') {
    return {
      status: 206,
      headers: { ...headers, 'Content-Length': String(range.end - range.start + 1), 'Content-Range': `bytes ${range.start}-${range.end}/${size}` },
      body: { path: file, start: range.start, end: range.end },
    };
  }
  return { status: 200, headers: { ...headers, 'Content-Length': String(size) }, body: size > 0 ? { path: file, start: 0, end: size - 1 } : null };
}
