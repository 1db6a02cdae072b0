import * as ort from 'onnxruntime-node';
import type { TrainBatch } from '../dataset/index';
import { StudioError } from '../errors';

/** A batch of segments as the train and loss graphs' inputs. */
export function batchFeeds(b: TrainBatch, bins: number, globalClasses: number): Record<string, ort.Tensor> {
  const { batch: B, length: T } = b;
  const samples = new BigInt64Array(B * T);
  const targets = new BigInt64Array(B * T);
  for (let i = 0; i < B; i++) {
    const row = i * (T + 1);
    for (let t = 0; t < T; t++) {
      samples[i * T + t] = BigInt(b.inputs[row + t]!);
      targets[i * T + t] = BigInt(b.inputs[row + t + 1]!);
    }
  }
  const feeds: Record<string, ort.Tensor> = {
    samples: new ort.Tensor('int64', samples, [B, T]),
    targets: new ort.Tensor('int64', targets, [B * T]),
  };
  if (b.features) feeds.frames = new ort.Tensor('float32', b.features, [B, b.frames, bins]);
  if (globalClasses > 0) {
    const ids = BigInt64Array.from(b.classIds, (c) => BigInt(c));
    if (ids.some((c) => c >= BigInt(globalClasses))) throw new StudioError('BAD_OPTION', `A file's class is beyond the model's ${globalClasses} global classes; train with one folder per class.`);
    feeds.global_id = new ort.Tensor('int64', ids, [B]);
  }
  return feeds;
}
