import { z } from 'zod';
import { StudioError } from '../errors';

/** What conditions the model locally: frame features brought to sample rate, or nothing. */
export const ConditionKindSchema = z.enum(['mel', 'pianoroll', 'none']);
export type ConditionKind = z.infer<typeof ConditionKindSchema>;

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

export type PresetName = 'tiny' | 'small' | 'medium' | 'large';
export const PRESET_NAMES: readonly PresetName[] = ['tiny', 'small', 'medium', 'large'];

const MEL = { condition: 'mel' as const, conditionBins: 80, hop: 200, upsampleChannels: 80 };

/** `small` is exactly the anchor's shape (shared/anchors/torch_wavenet.py). */
export const PRESETS: Record<PresetName, WaveNetConfig> = {
  tiny: { sampleRate: 16000, quantization: 256, stacks: 1, layersPerStack: 8, residual: 24, gate: 48, skip: 48, head: 64, ...MEL, upsampleChannels: 32, globalClasses: 0 },
  small: { sampleRate: 16000, quantization: 256, stacks: 2, layersPerStack: 10, residual: 64, gate: 128, skip: 128, head: 256, ...MEL, globalClasses: 0 },
  medium: { sampleRate: 16000, quantization: 256, stacks: 3, layersPerStack: 10, residual: 128, gate: 256, skip: 256, head: 256, ...MEL, upsampleChannels: 128, globalClasses: 0 },
  large: { sampleRate: 24000, quantization: 256, stacks: 4, layersPerStack: 10, residual: 256, gate: 512, skip: 512, head: 512, ...MEL, hop: 300, upsampleChannels: 256, globalClasses: 0 },
};

export function preset(name: string): WaveNetConfig {
  if (!(PRESET_NAMES as readonly string[]).includes(name)) {
    throw new StudioError('BAD_OPTION', `Unknown preset "${name}": use ${PRESET_NAMES.join(', ')}.`);
  }
  return { ...PRESETS[name as PresetName] };
}

export function dilations(cfg: WaveNetConfig): number[] {
  const out: number[] = [];
  for (let s = 0; s < cfg.stacks; s++) for (let i = 0; i < cfg.layersPerStack; i++) out.push(2 ** i);
  return out;
}

/** Samples of past input that one output sees: stacks × (2^n − 1) + 2 (the embedding adds one). */
export function receptiveField(cfg: WaveNetConfig): number {
  return cfg.stacks * (2 ** cfg.layersPerStack - 1) + 2;
}

/** Feature bins the conditioning kind carries. */
export function binsFor(kind: ConditionKind): number {
  return kind === 'mel' ? 80 : kind === 'pianoroll' ? 256 : 0;
}

export function withCondition(cfg: WaveNetConfig, kind: ConditionKind, hop?: number): WaveNetConfig {
  return { ...cfg, condition: kind, conditionBins: binsFor(kind), hop: hop ?? cfg.hop };
}
