import { PRESET_NAMES, binsFor, type ConditionKind, type PresetName, type WaveNetConfig } from '../../contract/domain/model';
import { StudioError } from '../errors';

export { ConditionKindSchema, WaveNetConfigSchema, binsFor } from '../../contract/domain/model';
export type { ConditionKind, WaveNetConfig } from '../../contract/domain/model';

export { PRESET_NAMES, type PresetName };

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

export function withCondition(cfg: WaveNetConfig, kind: ConditionKind, hop?: number): WaveNetConfig {
  return { ...cfg, condition: kind, conditionBins: binsFor(kind), hop: hop ?? cfg.hop };
}
