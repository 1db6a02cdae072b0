// One source file through the import: reused as it is when nothing changed (by stat, then by
// content hash), otherwise decoded, prepared and cached. A file that cannot be used comes back
// as a skip with its one-line reason; only a failure of the disk we write to is thrown.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ManifestFile, SkippedFile } from '../../../contract/domain/index';
import { notesFromMidi } from '../../dsp/pianoroll';
import { describeError, isStudioError } from '../../errors';
import { readCacheHeader, writeCacheFile, CACHE_VERSION, type CacheHeader } from '../cache';
import { prepareAudio, type PrepareSettings } from './prepare';
import { errnoText, type SourceFile } from './sources';

/** A used file as the manifest lists it, before the split and class are given. */
export type ImportedFile = Omit<ManifestFile, 'split' | 'className' | 'excluded'>;

export type FileStatus = 'added' | 'changed' | 'unchanged';

export type FileOutcome =
  | { ok: true; file: ImportedFile; status: FileStatus }
  | { ok: false; skipped: SkippedFile; status: FileStatus };

export interface FileImportContext {
  datasetDir: string;
  settings: PrepareSettings;
  /** Digest of the settings; with the content hashes it names the cache file. */
  settingsKey: string;
  /** Whether the previous manifest was made with the same settings (else nothing is "unchanged"). */
  sameSettings: boolean;
  before: ManifestFile | undefined;
  beforeSkip: SkippedFile | undefined;
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The digest of everything that shapes a cache file besides the content (settings, format). */
export function settingsDigest(s: PrepareSettings, mel: unknown): string {
  return sha256Hex(JSON.stringify({ v: CACHE_VERSION, ...s, mel })).slice(0, 16);
}

/** A cache file is named by a hash of everything that shapes it: the audio, its MIDI, the settings. */
export function cacheKey(settingsKey: string, audioSha: string, midiSha: string | undefined): string {
  return sha256Hex(`${settingsKey}\n${audioSha}\n${midiSha ?? ''}`);
}

export async function importFile(src: SourceFile, ctx: FileImportContext): Promise<FileOutcome> {
  const { before, beforeSkip } = ctx;
  const seenBefore = before !== undefined || beforeSkip !== undefined;
  const sameStat = (r: { size?: number; mtimeMs?: number } | undefined) => r !== undefined && r.size === src.size && r.mtimeMs === src.mtimeMs;
  const name = path.basename(src.path);
  const skip = (code: string, reason: string): FileOutcome => ({
    ok: false,
    skipped: { path: src.path, reason, code, size: src.size, mtimeMs: src.mtimeMs },
    status: beforeSkip?.reason === reason ? 'unchanged' : seenBefore ? 'changed' : 'added',
  });

  let midiBytes: Uint8Array | null = null;
  let midiSha: string | undefined;
  if (ctx.settings.condition === 'pianoroll') {
    if (!src.midi) {
      const base = path.basename(src.path, path.extname(src.path));
      return skip('MIDI_MISSING', `No MIDI file beside ${name}: piano-roll conditioning needs ${base}.mid next to it.`);
    }
    try {
      midiBytes = await fs.readFile(src.midi);
    } catch (e) {
      return skip('READ_FAILED', `${path.basename(src.midi)} could not be read (${errnoText(e)}): check its permissions.`);
    }
    midiSha = sha256Hex(midiBytes);
  }

  // Unchanged by stat: reuse what the cache holds without reading the recording at all.
  if (before?.cache && ctx.sameSettings && sameStat(before) && before.midiSha256 === midiSha) {
    const key = cacheKey(ctx.settingsKey, before.sha256, midiSha);
    const header = await readCacheHeader(path.join(ctx.datasetDir, before.cache));
    if (header?.key === key) return { ok: true, file: entry(src, before.sha256, midiSha, header, before.cache), status: 'unchanged' };
  }
  // A file that failed to decode and has not changed fails the same way: no need to try again.
  if (beforeSkip && ctx.sameSettings && sameStat(beforeSkip) && beforeSkip.code?.startsWith('AUDIO_')) {
    return { ok: false, skipped: beforeSkip, status: 'unchanged' };
  }

  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(src.path);
  } catch (e) {
    return skip('READ_FAILED', `${name} could not be read (${errnoText(e)}): check its permissions.`);
  }
  const sha = sha256Hex(bytes);
  const key = cacheKey(ctx.settingsKey, sha, midiSha);
  const relCache = `cache/${key}.bin`;
  const cacheFile = path.join(ctx.datasetDir, relCache);
  const sameContent = before !== undefined && ctx.sameSettings && before.sha256 === sha && before.midiSha256 === midiSha;
  const status: FileStatus = sameContent ? 'unchanged' : seenBefore ? 'changed' : 'added';

  // Same content already cached: touched but unchanged, a copy of another file, or an import cut short.
  const cached = await readCacheHeader(cacheFile);
  if (cached?.key === key) return { ok: true, file: entry(src, sha, midiSha, cached, relCache), status };

  let header: CacheHeader;
  try {
    const notes = midiBytes ? notesFromMidi(midiBytes, path.basename(src.midi!)) : null;
    const prepared = await prepareAudio(bytes, name, ctx.settings, notes);
    const s = ctx.settings;
    header = { key, sampleRate: s.sampleRate, hop: s.hop, condition: s.condition, samples: 0, frames: 0, bins: 0, seconds: prepared.seconds, stats: prepared.stats };
    await writeCacheFile(cacheFile, header, prepared.samples, prepared.features);
  } catch (e) {
    if (isDiskError(e)) throw e;
    return skip(isStudioError(e) ? e.code : 'INTERNAL', describeError(e));
  }
  return { ok: true, file: entry(src, sha, midiSha, header, relCache), status };
}

function entry(src: SourceFile, sha: string, midiSha: string | undefined, h: CacheHeader, cache: string): ImportedFile {
  const st = h.stats;
  return {
    path: src.path, relative: src.relative, sha256: sha, ...(midiSha ? { midiSha256: midiSha } : {}),
    size: src.size, mtimeMs: src.mtimeMs, seconds: h.seconds, sampleRate: st.sourceRate, channels: st.channels,
    peakDb: st.peakDb, loudnessDb: st.loudnessDb, clipped: st.clipped, dcOffset: st.dcOffset,
    hasMidi: src.midi !== null, ...(st.warnings.length > 0 ? { warnings: st.warnings } : {}), cache,
  };
}

/** Writing the cache failed (disk full, no permission on the project): every file would fail alike. */
function isDiskError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && ['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EMFILE'].includes(code) && !isStudioError(e);
}
