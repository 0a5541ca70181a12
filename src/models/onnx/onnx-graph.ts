import onnxProto from 'onnx-proto';

/** The generated ONNX protobuf namespace (ModelProto, GraphProto, ...) from the `onnx-proto` package. */
export const onnx = onnxProto.onnx;

/** A plain-object ModelProto as `onnx-proto` encodes it. */
export type ModelProtoInit = onnxProto.onnx.IModelProto;
/** A plain-object GraphProto. */
export type GraphProtoInit = onnxProto.onnx.IGraphProto;
/** A plain-object NodeProto. */
export type NodeProtoInit = onnxProto.onnx.INodeProto;
/** A plain-object AttributeProto. */
export type AttributeProtoInit = onnxProto.onnx.IAttributeProto;
/** A plain-object TensorProto (initializer). */
export type TensorProtoInit = onnxProto.onnx.ITensorProto;
/** A plain-object ValueInfoProto (graph input or output). */
export type ValueInfoProtoInit = onnxProto.onnx.IValueInfoProto;

/** ONNX TensorProto element types used by Steward (numeric codes from onnx.proto). */
export const ElemType = {
  FLOAT: 1,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  DOUBLE: 11,
} as const;

const AttrType = onnx.AttributeProto.AttributeType;
const utf8 = new TextEncoder();

/** An INT attribute. */
export function intAttr(name: string, value: number): AttributeProtoInit {
  return { name, type: AttrType.INT, i: value };
}

/** A STRINGS attribute (UTF-8 encoded). */
export function stringsAttr(name: string, values: readonly string[]): AttributeProtoInit {
  return { name, type: AttrType.STRINGS, strings: values.map((v) => utf8.encode(v)) };
}

/** A dimension of a value's shape: a fixed size or a symbolic name such as `N`. */
export type Dim = number | string;

/**
 * Builds one ONNX graph: unique value names, nodes in topological order (the order they are added),
 * initializers stored as little-endian raw data.
 */
export class GraphBuilder {
  private readonly nodes: NodeProtoInit[] = [];
  private readonly initializers: TensorProtoInit[] = [];
  private readonly inputs: ValueInfoProtoInit[] = [];
  private readonly outputs: ValueInfoProtoInit[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  /** Reserves `names` (graph inputs and outputs) so generated names never collide with them. */
  constructor(reserved: Iterable<string> = []) {
    for (const n of reserved) this.used.add(n);
  }

  /** A fresh value name starting with `base`. */
  fresh(base: string): string {
    let name = `${base}_${this.counter++}`;
    while (this.used.has(name)) name = `${base}_${this.counter++}`;
    this.used.add(name);
    return name;
  }

  /** Declares a graph input of a tensor type. */
  input(name: string, elemType: number, dims: readonly Dim[]): string {
    this.inputs.push(tensorValueInfo(name, elemType, dims));
    return name;
  }

  /** Declares a graph output of a tensor type. */
  output(name: string, elemType: number, dims: readonly Dim[]): void {
    this.outputs.push(tensorValueInfo(name, elemType, dims));
  }

  /** Adds a float64 initializer and returns its name. */
  doubleConst(base: string, values: ArrayLike<number>, dims: readonly number[]): string {
    const name = this.fresh(base);
    const data = Float64Array.from(values);
    this.initializers.push({
      name,
      dataType: ElemType.DOUBLE,
      dims: [...dims],
      rawData: littleEndianBytes(data),
    });
    return name;
  }

  /** Adds an int64 initializer and returns its name. */
  int64Const(base: string, values: readonly number[], dims: readonly number[]): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dataType: ElemType.INT64, dims: [...dims], int64Data: [...values] });
    return name;
  }

  /**
   * Appends a node with one output and returns the output's name (`output` when given, else a fresh
   * name). `domain` is '' for the default ONNX domain.
   */
  node(
    opType: string,
    inputs: readonly string[],
    options: { attributes?: AttributeProtoInit[]; domain?: string; output?: string } = {},
  ): string {
    const out = options.output ?? this.fresh(opType);
    this.used.add(out);
    this.nodes.push({
      name: `${opType}_${this.nodes.length}`,
      opType,
      domain: options.domain ?? '',
      input: [...inputs],
      output: [out],
      attribute: options.attributes ?? [],
    });
    return out;
  }

  /** The finished graph. */
  build(name: string, docString = ''): GraphProtoInit {
    return {
      name,
      docString,
      node: this.nodes,
      initializer: this.initializers,
      input: this.inputs,
      output: this.outputs,
    };
  }
}

/** A ValueInfoProto for a tensor of the given element type and shape. */
export function tensorValueInfo(name: string, elemType: number, dims: readonly Dim[]): ValueInfoProtoInit {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** Serialises a ModelProto to bytes. */
export function encodeModel(model: ModelProtoInit): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

function littleEndianBytes(data: Float64Array): Uint8Array {
  const bytes = new Uint8Array(data.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat64(i * 8, data[i], true);
  return bytes;
}
