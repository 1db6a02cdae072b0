import onnxProto from 'onnx-proto';
import { typedArray, type GraphBuilder } from './builder';
import { legalize } from './legalize';
import type { Attr, DType, TensorData, Value } from './types';

const { onnx } = onnxProto;
export const OPSET = 17;

const ELEM: Record<DType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float64: onnx.TensorProto.DataType.DOUBLE,
  int64: onnx.TensorProto.DataType.INT64,
  int32: onnx.TensorProto.DataType.INT32,
  uint8: onnx.TensorProto.DataType.UINT8,
  bool: onnx.TensorProto.DataType.BOOL,
};

function valueInfo(v: Value): onnxProto.onnx.IValueInfoProto {
  return {
    name: v.name,
    type: { tensorType: { elemType: ELEM[v.dtype], shape: { dim: v.shape.map((d, i) => (d < 0 ? { dimParam: `${v.name}_${i}` } : { dimValue: d })) } } },
  };
}

function tensor(v: Value, data: TensorData): onnxProto.onnx.ITensorProto {
  return {
    name: v.name,
    dataType: ELEM[v.dtype],
    dims: [...v.shape],
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

function attribute(name: string, a: Attr): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.kind) {
    case 'int':
      return { name, type: T.INT, i: a.value };
    case 'ints':
      return { name, type: T.INTS, ints: [...a.value] };
    case 'float':
      return { name, type: T.FLOAT, f: a.value };
    case 'floats':
      return { name, type: T.FLOATS, floats: [...a.value] };
    case 'string':
      return { name, type: T.STRING, s: new TextEncoder().encode(a.value) };
    case 'tensor': {
      const data = typedArray(a.dtype, a.value);
      return { name, type: T.TENSOR, t: { dataType: ELEM[a.dtype], dims: [a.value.length], rawData: new Uint8Array(data.buffer) } };
    }
  }
}

export interface ModelOptions {
  /** Key/value pairs stored in the model's metadata_props (config, provenance). */
  metadata?: Record<string, string>;
  /** Values to store as initializers instead of graph inputs (trained weights in model.onnx). */
  docString?: string;
}

/**
 * Serialise the graph to an ONNX ModelProto (IR 8, opset 17) that any ONNX Runtime can load, legalised
 * first (legalize.ts) so that every execution provider runs all of it within GPU limits.
 */
export function toOnnx(g: GraphBuilder, opts: ModelOptions = {}): Uint8Array {
  const { nodes, initializers } = legalize(g);
  const model: onnxProto.onnx.IModelProto = {
    irVersion: 8,
    producerName: 'wavenet-studio',
    docString: opts.docString ?? '',
    opsetImport: [{ domain: '', version: OPSET }],
    metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: 'wavenet',
      node: nodes.map((n, i) => ({
        name: `n${i}_${n.op}`,
        opType: n.op,
        input: n.inputs.map((v) => v.name),
        output: n.outputs.map((v) => v.name),
        attribute: Object.entries(n.attrs).map(([k, a]) => attribute(k, a)),
      })),
      input: g.inputs.map(valueInfo),
      output: g.outputs.map(valueInfo),
      initializer: initializers.map((i) => tensor(i.value, i.data)),
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish();
}
