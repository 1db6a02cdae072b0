/** The static-shape value graph that the builder emits as ONNX. Every shape is known at build time. */
export type DType = 'float32' | 'float64' | 'int64' | 'int32' | 'uint8' | 'bool';

export interface Value {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
}

export type Attr =
  | { kind: 'int'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'float'; value: number }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; dtype: DType; value: readonly number[] };

export interface GraphNode {
  readonly op: string;
  readonly inputs: readonly Value[];
  readonly outputs: readonly Value[];
  readonly attrs: Readonly<Record<string, Attr>>;
}

export type TensorData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;

export interface Initializer {
  readonly value: Value;
  readonly data: TensorData;
}

export const attr = {
  int: (value: number): Attr => ({ kind: 'int', value }),
  ints: (value: readonly number[]): Attr => ({ kind: 'ints', value }),
  float: (value: number): Attr => ({ kind: 'float', value }),
  floats: (value: readonly number[]): Attr => ({ kind: 'floats', value }),
  string: (value: string): Attr => ({ kind: 'string', value }),
  tensor: (dtype: DType, value: readonly number[]): Attr => ({ kind: 'tensor', dtype, value }),
};

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
