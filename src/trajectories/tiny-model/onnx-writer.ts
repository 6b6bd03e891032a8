/**
 * A minimal ONNX ModelProto writer (protobuf wire format by hand), enough for the tiny
 * test teacher: float initializers, single-output nodes, typed graph inputs/outputs.
 * It exists so the transformers.js teacher can be tested on a real ONNX model without
 * downloading one or installing Python.
 */

class Pb {
  private readonly bytes: number[] = [];

  varint(v: number | bigint): this {
    let x = BigInt(v);
    if (x < 0n) x += 1n << 64n;
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x > 0n) b |= 0x80;
      this.bytes.push(b);
    } while (x > 0n);
    return this;
  }

  tag(field: number, wire: number): this {
    return this.varint((field << 3) | wire);
  }

  int(field: number, v: number | bigint): this {
    return this.tag(field, 0).varint(v);
  }

  bytesField(field: number, data: Uint8Array): this {
    this.tag(field, 2).varint(data.length);
    for (const b of data) this.bytes.push(b);
    return this;
  }

  str(field: number, s: string): this {
    return this.bytesField(field, new TextEncoder().encode(s));
  }

  msg(field: number, m: Pb): this {
    return this.bytesField(field, m.done());
  }

  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
}

export interface OnnxValue {
  name: string;
  elemType: number;
  /** numbers are fixed sizes, strings symbolic dimensions */
  dims: (number | string)[];
}

export interface OnnxInitializer {
  name: string;
  dims: number[];
  data: Float32Array;
}

export function writeOnnxModel(g: { nodes: OnnxNode[]; inputs: OnnxValue[]; outputs: OnnxValue[]; initializers: OnnxInitializer[]; opset?: number }): Uint8Array {
  const valueInfo = (v: OnnxValue) => {
    const shape = new Pb();
    for (const d of v.dims) shape.msg(1, typeof d === 'number' ? new Pb().int(1, d) : new Pb().str(2, d));
    const tensor = new Pb().int(1, v.elemType).msg(2, shape);
    return new Pb().str(1, v.name).msg(2, new Pb().msg(1, tensor));
  };
  const graph = new Pb();
  for (const n of g.nodes) {
    const node = new Pb();
    for (const i of n.inputs) node.str(1, i);
    for (const o of n.outputs) node.str(2, o);
    node.str(3, n.name).str(4, n.op);
    graph.msg(1, node);
  }
  graph.str(2, 'tiny');
  for (const init of g.initializers) {
    const t = new Pb();
    for (const d of init.dims) t.int(1, d);
    t.int(2, ONNX_FLOAT).str(8, init.name).bytesField(9, new Uint8Array(init.data.buffer, init.data.byteOffset, init.data.byteLength));
    graph.msg(5, t);
  }
  for (const v of g.inputs) graph.msg(11, valueInfo(v));
  for (const v of g.outputs) graph.msg(12, valueInfo(v));
  return new Pb()
    .int(1, 8) // ir_version
    .str(2, 'fleming-workbench')
    .msg(7, graph)
    .msg(8, new Pb().str(1, '').int(2, g.opset ?? 13))
    .done();
}
