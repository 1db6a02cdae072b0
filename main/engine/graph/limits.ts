import type { GraphNode, Initializer, Value } from './types';
import { sizeOf, type DType } from './types';

/**
 * What one GPU shader may touch, as WebGPU guarantees it on every adapter (the spec's default
 * limits; ONNX Runtime's WebGPU execution provider runs every node as one or more compute shaders).
 * Every graph the studio builds keeps within them on every device, so a run moves between the CPU
 * and any GPU with the same graph and the same numbers.
 */
export const GPU_LIMITS = {
  /** Tensors one node reads and writes (its inputs and outputs, each a storage buffer binding). */
  maxStorageBuffersPerShaderStage: 8,
  /** Bytes of one tensor: a storage buffer binding may not be larger. */
  maxStorageBufferBindingSize: 128 * 1024 * 1024,
  /** Workgroups per dispatch dimension; ONNX Runtime folds larger dispatches into 2-D/3-D grids. */
  maxComputeWorkgroupsPerDimension: 65535,
  /** Invocations in one workgroup; ONNX Runtime's kernels choose their workgroup sizes within it. */
  maxComputeInvocationsPerWorkgroup: 256,
} as const;

export type GraphLimits = typeof GPU_LIMITS;

const BYTES: Record<DType, number> = { float32: 4, float64: 8, int64: 8, int32: 4, uint8: 1, bool: 1 };

/** Bytes of a tensor with a static shape; a free dimension (−1) counts as 1. */
export function tensorBytes(v: Value): number {
  return BYTES[v.dtype] * sizeOf(v.shape.map((d) => (d < 0 ? 1 : d)));
}

/** The largest tensor a graph holds: a graph input, an initializer or any node's output. */
export function largestTensor(values: { inputs: readonly Value[]; initializers: readonly Initializer[]; nodes: readonly GraphNode[] }): { value: Value; bytes: number } {
  let best: { value: Value; bytes: number } = { value: { name: '', dtype: 'float32', shape: [] }, bytes: 0 };
  const see = (v: Value): void => {
    const bytes = tensorBytes(v);
    if (bytes > best.bytes) best = { value: v, bytes };
  };
  values.inputs.forEach(see);
  values.initializers.forEach((i) => see(i.value));
  for (const n of values.nodes) n.outputs.forEach(see);
  return best;
}

/**
 * Storage buffers a node binds: its outputs and its tensor inputs. Int64 initializers are shape
 * arguments (split sizes, pads, axes, target shapes) that ONNX Runtime reads on the host.
 */
export function storageBuffers(node: GraphNode, hostConstants: ReadonlySet<string>): number {
  return node.outputs.length + node.inputs.filter((v) => !hostConstants.has(v.name)).length;
}

/** The int64 initializers of a graph: the inputs `storageBuffers` does not count. */
export function hostConstantNames(initializers: readonly Initializer[]): Set<string> {
  return new Set(initializers.filter((i) => i.value.dtype === 'int64').map((i) => i.value.name));
}

/** The most pieces one Split may make, or one Concat join: one binding is the other side. */
export function maxFan(limits: GraphLimits = GPU_LIMITS): number {
  return limits.maxStorageBuffersPerShaderStage - 1;
}

export function mebibytes(bytes: number): string {
  return `${Math.ceil(bytes / (1024 * 1024))} MiB`;
}
