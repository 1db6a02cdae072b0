import type { FrameFeatures } from '../dsp/mel';
import type { ConditionKind, SkippedFile } from '../../contract/domain/index';

export type { ConditionKind, SkippedFile };

export interface DatasetItem {
  path: string;
  /** Mu-law classes (0..255) at the dataset's sample rate. */
  samples: Uint8Array;
  /** Frame-major conditioning features at sampleRate / hop frames per second; null when unconditioned. */
  features: FrameFeatures | null;
  split: 'train' | 'val';
  seconds: number;
  /** Index of the imported folder the file came from: its global class when the model has classes. */
  classId: number;
}

export interface Dataset {
  /** The folders the files came from, as given. */
  folders: string[];
  sampleRate: number;
  hop: number;
  condition: ConditionKind;
  /** 80 for mel, 256 for a piano roll, 0 for none. */
  featureBins: number;
  /** One frame of the features of silence (featureBins long), used to pad past a file's end. */
  silence: Float32Array | null;
  items: DatasetItem[];
  skipped: SkippedFile[];
  /** Files that loaded but with something wrong (a cut-off copy, a checksum mismatch): one line each. */
  warnings: { path: string; warning: string }[];
}

/**
 * Segments for one train or validation step. inputs is [batch, length + 1] mu-law classes: the
 * model reads [:, 0:length] and predicts [:, 1:length+1]. features is [batch, frames, bins],
 * frame-major, frames = length / hop; input position t of a row uses frame floor(t / hop).
 */
export interface TrainBatch {
  batch: number;
  length: number;
  inputs: Int32Array;
  frames: number;
  features: Float32Array | null;
  /** Each row's global class (the classId of the file it was cut from). */
  classIds: Int32Array;
}
