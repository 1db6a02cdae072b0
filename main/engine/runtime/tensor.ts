import * as ort from 'onnxruntime-node';
import type { DType, TensorData } from '../graph/types';

const ORT_TYPE: Record<DType, ort.Tensor.Type> = {
  float32: 'float32',
  float64: 'float64',
  int64: 'int64',
  int32: 'int32',
  uint8: 'uint8',
  bool: 'bool',
};

export function tensor(dtype: DType, data: TensorData, shape: readonly number[]): ort.Tensor {
  return new ort.Tensor(ORT_TYPE[dtype], data, shape);
}

export function floats(data: Float32Array, shape: readonly number[]): ort.Tensor {
  return new ort.Tensor('float32', data, shape);
}

export function int64s(data: ArrayLike<number>, shape: readonly number[]): ort.Tensor {
  const out = new BigInt64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = BigInt(data[i]!);
  return new ort.Tensor('int64', out, shape);
}
