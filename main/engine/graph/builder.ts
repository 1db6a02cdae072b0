import type { Attr, DType, GraphNode, Initializer, TensorData, Value } from './types';

/**
 * Collects nodes, inputs, outputs and initializers in topological order (a node can only use
 * values that exist), which is also the order reverse-mode autodiff walks backwards.
 */
export class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly inputs: Value[] = [];
  readonly outputs: Value[] = [];
  readonly initializers: Initializer[] = [];
  /** The float type of the model's activations: float32 in use, float64 in gradient checks. */
  readonly float: DType;
  /**
   * Weight gradients (aᵀ·dy over a batch's rows) as this many batched products over slices of
   * the rows, summed: 1 (one Gemm) except in CPU training graphs, where it is the intra-op thread
   * count (ops/matmul.ts weightGradient).
   */
  weightGradientParts = 1;
  /** Whether activations are held as columns: model/wavenet.ts's layout() reads it, lookups' gradients follow it. */
  columns = false;
  private counter = 0;
  /** Prefix of every generated name, so that a graph derived from another never reuses its names. */
  private readonly namespace: string;

  constructor(float: DType = 'float32', namespace = '') {
    this.float = float;
    this.namespace = namespace;
  }

  fresh(prefix: string): string {
    this.counter += 1;
    return `${this.namespace}${prefix}_${this.counter}`;
  }

  input(name: string, dtype: DType, shape: readonly number[]): Value {
    const v: Value = { name, dtype, shape: [...shape] };
    this.inputs.push(v);
    return v;
  }

  output(v: Value, name?: string): Value {
    if (name && name !== v.name) {
      const renamed: Value = { name, dtype: v.dtype, shape: v.shape };
      this.nodes.push({ op: 'Identity', inputs: [v], outputs: [renamed], attrs: {} });
      this.outputs.push(renamed);
      return renamed;
    }
    this.outputs.push(v);
    return v;
  }

  initializer(name: string, dtype: DType, shape: readonly number[], data: TensorData): Value {
    const v: Value = { name, dtype, shape: [...shape] };
    this.initializers.push({ value: v, data });
    return v;
  }

  /** A constant tensor (shape vectors, axes, scalars). */
  constant(dtype: DType, shape: readonly number[], values: readonly number[]): Value {
    return this.initializer(this.fresh('const'), dtype, shape, typedArray(dtype, values));
  }

  int64s(values: readonly number[]): Value {
    return this.constant('int64', [values.length], values);
  }

  scalar(value: number, dtype: DType = this.float): Value {
    return this.constant(dtype, [], [value]);
  }

  node(op: string, inputs: readonly Value[], outs: readonly { dtype: DType; shape: readonly number[] }[], attrs: Record<string, Attr> = {}): Value[] {
    const outputs = outs.map((o) => ({ name: this.fresh(op.toLowerCase()), dtype: o.dtype, shape: [...o.shape] }));
    this.nodes.push({ op, inputs: [...inputs], outputs, attrs });
    return outputs;
  }

  node1(op: string, inputs: readonly Value[], out: { dtype: DType; shape: readonly number[] }, attrs: Record<string, Attr> = {}): Value {
    return this.node(op, inputs, [out], attrs)[0]!;
  }
}

export function typedArray(dtype: DType, values: readonly number[]): TensorData {
  switch (dtype) {
    case 'float32':
      return Float32Array.from(values);
    case 'float64':
      return Float64Array.from(values);
    case 'int64':
      return BigInt64Array.from(values.map((v) => BigInt(v)));
    case 'int32':
      return Int32Array.from(values);
    case 'uint8':
    case 'bool':
      return Uint8Array.from(values);
  }
}
