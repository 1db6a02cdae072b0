// One recording → training material: decode (whatever the container), mix to mono, resample to
// the project rate, level and trim as the settings say, then mu-law samples and the conditioning
// frames the model will see.
import { decodeAudio } from '../../audio/decode';
import { mixToMono } from '../../audio/load';
import { logMel, type FrameFeatures } from '../../dsp/mel';
import { mulawEncode } from '../../dsp/mulaw';
import { pianoRoll, type Note } from '../../dsp/pianoroll';
import { resample } from '../../dsp/resample';
import { StudioError } from '../../errors';
import type { SourceStats } from '../cache';
import { melSettingsFor } from '../../../contract/domain/mel';
import { MIN_SECONDS } from '../load';
import type { ConditionKind } from '../types';
import { measureLevels, normalizeLoudness, trimSilence } from './levels';

/** What shapes the cached material: change any of it and every file is imported again. */
export interface PrepareSettings {
  sampleRate: number;
  hop: number;
  condition: ConditionKind;
  normalizeDb: number | null;
  trimSilenceDb: number | null;
}

export interface PreparedAudio {
  samples: Uint8Array;
  features: FrameFeatures | null;
  seconds: number;
  stats: SourceStats;
}

/**
 * Prepares one file from its bytes. `notes` are the MIDI notes beside it (piano-roll datasets;
 * shifted with the audio when leading silence is trimmed). Throws a typed one-line error for a
 * file that cannot be used.
 */
export async function prepareAudio(bytes: Uint8Array, name: string, s: PrepareSettings, notes: Note[] | null): Promise<PreparedAudio> {
  const audio = await decodeAudio(bytes, name);
  const sourceMono = mixToMono(audio.channels);
  const levels = measureLevels(audio.channels, sourceMono);
  const stats: SourceStats = { sourceRate: audio.sampleRate, channels: audio.channels.length, ...levels, warnings: audio.warnings ?? [] };
  // The decoded channels are no longer needed: let them go before the resampled copy is made.
  audio.channels.length = 0;
  let x = await resample(sourceMono, audio.sampleRate, s.sampleRate);
  if (s.normalizeDb !== null) x = normalizeLoudness(x, s.normalizeDb);
  let offset = 0;
  if (s.trimSilenceDb !== null) {
    const kept = trimSilence(x, s.sampleRate, s.trimSilenceDb, name);
    offset = kept.start;
    x = x.subarray(kept.start, kept.end);
  }
  const seconds = x.length / s.sampleRate;
  if (seconds < MIN_SECONDS) {
    const why = stats.warnings.length > 0 ? ` ${stats.warnings.join('; ')}.` : '';
    throw new StudioError('AUDIO_EMPTY', `${name} is too short (${seconds.toFixed(3)} s; at least ${MIN_SECONDS} s is needed).${why}`);
  }
  let features: FrameFeatures | null = null;
  if (s.condition === 'mel') features = logMel(x, melSettingsFor(s.sampleRate, s.hop));
  else if (s.condition === 'pianoroll') {
    const shift = offset / s.sampleRate;
    const shifted = (notes ?? []).map((n) => ({ ...n, start: n.start - shift }));
    features = pianoRoll(shifted, { sampleRate: s.sampleRate, hop: s.hop, frames: 1 + Math.floor(x.length / s.hop) });
  }
  return { samples: mulawEncode(x), features, seconds, stats };
}
