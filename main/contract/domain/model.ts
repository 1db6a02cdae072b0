import { z } from 'zod';

/** What conditions the model locally: frame features brought to sample rate, or nothing. */
export const ConditionKindSchema = z.enum(['mel', 'pianoroll', 'none']);
export type ConditionKind = z.infer<typeof ConditionKindSchema>;

/** Feature bins per frame: 80 log-mel bands, 128 pitch + 128 onset bins, or none. */
export const MEL_BINS = 80;
export const PIANO_ROLL_BINS = 256;
export function binsFor(kind: ConditionKind): number {
  return kind === 'mel' ? MEL_BINS : kind === 'pianoroll' ? PIANO_ROLL_BINS : 0;
}

export const WaveNetConfigSchema = z.object({
  sampleRate: z.number().int().positive(),
  /** Mu-law classes (8-bit: 256). */
  quantization: z.number().int().min(2).max(65536),
  /** Dilations 1, 2, 4 … 2^(layersPerStack−1), repeated `stacks` times. */
  stacks: z.number().int().positive(),
  layersPerStack: z.number().int().positive().max(16),
  residual: z.number().int().positive(),
  /** Channels of the dilated convolution's output: tanh half + sigmoid half. */
  gate: z.number().int().positive().multipleOf(2),
  skip: z.number().int().positive(),
  head: z.number().int().positive(),
  condition: ConditionKindSchema,
  /** Feature bins per frame: 80 for log-mel, 256 for a piano roll, 0 when unconditional. */
  conditionBins: z.number().int().nonnegative(),
  /** Samples per conditioning frame. */
  hop: z.number().int().positive(),
  /** Channels of the learned upsampler (a frame-rate convolution of width 3 before repetition). */
  upsampleChannels: z.number().int().positive(),
  /** Global conditioning classes (speaker, instrument); 0 = none. */
  globalClasses: z.number().int().nonnegative(),
  /** A name per global class (the training folder it came from), for render --class and info. */
  classNames: z.array(z.string()).optional(),
});
export type WaveNetConfig = z.infer<typeof WaveNetConfigSchema>;

export const PresetNameSchema = z.enum(['tiny', 'small', 'medium', 'large']);
export type PresetName = z.infer<typeof PresetNameSchema>;
export const PRESET_NAMES: readonly PresetName[] = PresetNameSchema.options;

/** Execution providers onnxruntime-node may offer; which ones start here is probed at run time. */
export const DeviceSchema = z.enum(['cpu', 'cuda', 'webgpu', 'dml', 'coreml']);
export type Device = z.infer<typeof DeviceSchema>;
export const DEVICES: readonly Device[] = DeviceSchema.options;
export const DeviceChoiceSchema = z.enum(['auto', ...DEVICES]);
export type DeviceChoice = z.infer<typeof DeviceChoiceSchema>;
