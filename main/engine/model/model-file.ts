import onnxProto from 'onnx-proto';
import { StudioError } from '../errors';
import { WaveNetConfigSchema, type WaveNetConfig } from './config';
import { forwardModel } from './graphs';
import { paramCount, paramSpecs } from './params';

const CONFIG_KEY = 'wavenet_studio.config';

export interface ModelFile {
  cfg: WaveNetConfig;
  /** Weights packed in paramSpecs order. */
  flat: Float32Array;
  metadata: Record<string, string>;
}

/** A self-contained model: the forward graph, its weights and the config in metadata_props. */
export function encodeModelFile(cfg: WaveNetConfig, flat: Float32Array, extra: Record<string, string> = {}): Uint8Array {
  return forwardModel(cfg, flat, { ...extra, [CONFIG_KEY]: JSON.stringify(cfg), 'wavenet_studio.format': '1' });
}

export function decodeModelFile(bytes: Uint8Array, name: string): ModelFile {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnxProto.onnx.ModelProto.decode(bytes);
  } catch {
    throw new StudioError('MODEL_INVALID', `${name} is not an ONNX model file: choose a model.onnx written by WaveNet Studio.`);
  }
  const metadata = Object.fromEntries((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
  const raw = metadata[CONFIG_KEY];
  if (!raw) throw new StudioError('MODEL_INVALID', `${name} has no WaveNet Studio config: choose a model.onnx written by WaveNet Studio.`);
  const parsed = WaveNetConfigSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new StudioError('MODEL_INVALID', `${name} has an unreadable config (${parsed.error.issues[0]?.message}).`);
  const cfg = parsed.data;
  const specs = paramSpecs(cfg);
  const byName = new Map((model.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
  const flat = new Float32Array(paramCount(specs));
  let k = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const t = byName.get(s.name);
    if (!t?.rawData || t.rawData.byteLength !== n * 4) {
      throw new StudioError('MODEL_INVALID', `${name} is missing weights for ${s.name}: the file is damaged or from another program.`);
    }
    const bytesCopy = new Uint8Array(t.rawData);
    flat.set(new Float32Array(bytesCopy.buffer, bytesCopy.byteOffset, n), k);
    k += n;
  }
  return { cfg, flat, metadata };
}
