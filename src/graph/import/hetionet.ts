/**
 * Hetionet / hetnetpy JSON: top-level metanode_kinds, metaedge_tuples ([source kind,
 * target kind, edge kind, direction]), kind_to_abbrev, nodes [{kind, identifier, name,
 * data}] and edges [{source_id: [kind, id], target_id: [kind, id], kind, direction,
 * data}]. Read as a stream (Hetionet v1.0 is ~750 MB of JSON): each node or edge object
 * is cut out of the text and parsed on its own, so only one is materialised at a time,
 * and the line it starts on is known for messages.
 */
import { GraphFileError } from '../graph-file-error';
import { mapNodeType } from './app-types';
import type { GraphBuilder } from './graph-builder';
import { JsonElementStream } from './json-elements';
import type { TextChunkSink } from './read-text';

/** Identifier namespaces of Hetionet's node kinds, for identifiers that are not CURIEs already. */
const KIND_PREFIX: Record<string, string> = {
  Gene: 'NCBIGene',
  Compound: 'DrugBank',
  Symptom: 'MESH',
  'Side Effect': 'UMLS',
  'Pharmacologic Class': 'NDFRT',
};

/** A single node or edge object larger than this (in characters) is not Hetionet data. */
export const MAX_JSON_RECORD_BYTES = 16 << 20;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function hetionetCurie(kind: string, identifier: string | number): string {
  const id = String(identifier);
  if (id.includes(':')) return id;
  return `${(Object.hasOwn(KIND_PREFIX, kind) ? KIND_PREFIX[kind] : undefined) ?? kind.replace(/\s+/g, '_')}:${id}`;
}

interface PendingEdge {
  s: [string, string];
  t: [string, string];
  kind: string;
  undirected: boolean;
  bits: number;
  line: number;
}

export class HetionetReader implements TextChunkSink {
  private readonly json: JsonElementStream;
  private records = 0;
  private sawNodes = false;
  /** line of the record being handled, for messages */
  private at = 1;
  private metaedges: Map<string, string> | null = null;
  private readonly pending: PendingEdge[] = [];

  constructor(private readonly b: GraphBuilder) {
    this.json = new JsonElementStream(
      new Set(['nodes', 'edges']),
      {
        element: (key, text, line) => {
          this.at = line;
          const v = this.parse(text);
          if (key === 'nodes') this.onNode(v);
          else this.onEdge(v);
        },
        member: (key, text, line) => {
          this.at = line;
          const v = this.parse(text);
          if (key === 'metaedge_tuples') this.onMetaedges(v);
          else if (key === 'nodes' || key === 'edges') this.fail(`"${key}" must be an array`);
        },
        fail: (line, cause) => {
          this.at = line;
          return this.fail(cause);
        },
      },
      MAX_JSON_RECORD_BYTES,
    );
  }

  get line(): number {
    return this.json.line;
  }

  get rows(): number {
    return this.records;
  }

  push(text: string): void {
    this.json.push(text);
  }

  end(): void {
    this.json.end();
    if (!this.sawNodes) throw new GraphFileError(this.b.file, 'top level', 'no "nodes" array: not a Hetionet JSON file');
    for (const p of this.pending) this.addEdge(p);
  }

  private parse(text: string): Json {
    try {
      return JSON.parse(text) as Json;
    } catch (e) {
      return this.fail(`not valid JSON (${(e as Error).message})`);
    }
  }

  private fail(cause: string): never {
    throw new GraphFileError(this.b.file, `line ${this.at}`, cause);
  }

  private onMetaedges(v: Json): void {
    if (!Array.isArray(v)) this.fail('metaedge_tuples: expected an array of [source kind, target kind, edge kind, direction]');
    this.metaedges = new Map();
    v.forEach((t, i) => {
      if (!Array.isArray(t) || t.length !== 4 || !t.every((x) => typeof x === 'string')) {
        this.fail(`metaedge_tuples[${i}]: expected [source kind, target kind, edge kind, direction], found ${JSON.stringify(t).slice(0, 80)}`);
      }
      const [s, tg, k, dir] = t as string[];
      this.metaedges!.set(`${s}\u0000${tg}\u0000${k}`, dir!);
    });
  }

  private onNode(v: Json): void {
    this.sawNodes = true;
    this.records++;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail('a node must be an object {kind, identifier, name, data}');
    const { kind, identifier, name } = v;
    if (typeof kind !== 'string' || !kind) this.fail(`node without a "kind" (found ${JSON.stringify(kind)})`);
    if (typeof identifier !== 'string' && typeof identifier !== 'number') this.fail(`node of kind ${kind} without an "identifier" (string or number; found ${JSON.stringify(identifier)})`);
    if (name !== undefined && name !== null && typeof name !== 'string') this.fail(`node ${identifier}: "name" must be a string`);
    const type = this.b.nodeType(mapNodeType(kind), this.at);
    const curie = hetionetCurie(kind, identifier);
    this.b.node(type, curie, (name as string | undefined) ?? String(identifier));
  }

  private onEdge(v: Json): void {
    this.records++;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail('an edge must be an object {source_id, target_id, kind, direction, data}');
    const { source_id, target_id, kind, direction, data } = v;
    const endpoint = (x: Json, what: string): [string, string] => {
      if (!Array.isArray(x) || x.length !== 2 || typeof x[0] !== 'string' || (typeof x[1] !== 'string' && typeof x[1] !== 'number')) {
        this.fail(`edge ${what} must be [kind, identifier], found ${JSON.stringify(x)?.slice(0, 80)}`);
      }
      return [x[0], String(x[1])];
    };
    const s = endpoint(source_id!, 'source_id');
    const t = endpoint(target_id!, 'target_id');
    if (typeof kind !== 'string' || !kind) this.fail(`edge without a "kind" (found ${JSON.stringify(kind)})`);
    if (direction !== 'both' && direction !== 'forward' && direction !== 'backward') {
      this.fail(`edge direction must be "both", "forward" or "backward", found ${JSON.stringify(direction)}`);
    }
    let bits = 1;
    if (data && typeof data === 'object' && !Array.isArray(data)) {
      const srcs = Array.isArray(data.sources) ? data.sources : typeof data.source === 'string' ? [data.source] : [];
      for (const x of srcs) if (typeof x === 'string' && x) bits |= this.b.sourceBit(x);
    }
    const edge: PendingEdge = { s, t, kind, undirected: direction === 'both', bits, line: this.at };
    if (direction === 'backward') [edge.s, edge.t] = [t, s];
    if (this.metaedges) {
      const fwd = this.metaedges.has(`${edge.s[0]}\u0000${edge.t[0]}\u0000${kind}`);
      if (!fwd) {
        if (!this.metaedges.has(`${edge.t[0]}\u0000${edge.s[0]}\u0000${kind}`)) {
          this.fail(`edge ${edge.s[0]} —${kind}→ ${edge.t[0]} matches no entry of metaedge_tuples`);
        }
        [edge.s, edge.t] = [edge.t, edge.s]; // store in the declared orientation
      }
    }
    // Nodes normally precede edges; when a file lists edges first, resolve them at the end.
    if (!this.sawNodes) this.pending.push(edge);
    else this.addEdge(edge);
  }

  private addEdge(e: PendingEdge): void {
    const resolve = ([kind, id]: [string, string], what: string) => {
      const ti = this.b.findNodeTypeIndex(mapNodeType(kind));
      const i = ti < 0 ? -1 : this.b.findNode(ti, hetionetCurie(kind, id));
      if (i < 0) throw new GraphFileError(this.b.file, `line ${e.line}`, `edge ${e.kind} has ${what} [${JSON.stringify(kind)}, ${JSON.stringify(id)}], which is not among the nodes`);
      return i;
    };
    this.b.edge(e.kind, resolve(e.s, 'source'), resolve(e.t, 'target'), e.undirected, e.bits);
  }
}
