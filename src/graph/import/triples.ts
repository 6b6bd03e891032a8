/**
 * Generic triples, CSV or TSV (delimiter from the first line): either with a header
 * naming head, head_type, relation, tail, tail_type (and optionally head_name,
 * tail_name, source) in any order, or headerless head, relation, tail — node types
 * are then unknown and recorded as "unknown". Relations are directed as written.
 */
import { GraphFileError } from '../graph-file-error';
import { DelimitedReader, fieldsForMessage } from './delimited-reader';
import type { GraphBuilder } from './graph-builder';
import { mapNodeType } from './app-types';

const REQUIRED = ['head', 'head_type', 'relation', 'tail', 'tail_type'] as const;
const OPTIONAL = ['head_name', 'tail_name', 'source'] as const;
type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];
export const UNKNOWN_TYPE = 'unknown';

export function triplesReader(b: GraphBuilder): DelimitedReader {
  let cols: Partial<Record<Column, number>> | null = null;
  let width = 0;
  let unknownType = -1;
  let first = true;
  const reader = new DelimitedReader(b.file, (f, line) => {
    if (first) {
      first = false;
      const names = f.map((x) => x.trim().toLowerCase());
      if (names.includes('head') || names.includes('relation') || names.includes('tail')) {
        const missing = REQUIRED.filter((c) => !names.includes(c));
        if (missing.length) throw new GraphFileError(b.file, `line ${line} (header)`, `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; found ${fieldsForMessage(f)}`);
        cols = {};
        for (const c of [...REQUIRED, ...OPTIONAL]) if (names.includes(c)) cols[c] = names.indexOf(c);
        width = f.length;
        return;
      }
      if (f.length !== 3) {
        throw new GraphFileError(b.file, `line ${line}`, `a headerless triples file has 3 columns (head, relation, tail), found ${f.length}; or add a header naming ${REQUIRED.join(', ')}`);
      }
      width = 3;
      unknownType = b.nodeType(UNKNOWN_TYPE, line);
    }
    if (f.length !== width) throw new GraphFileError(b.file, `line ${line}`, `expected ${width} fields, found ${f.length}`);
    if (!cols) {
      const [h, r, t] = f.map((x) => x.trim()) as [string, string, string];
      if (!h || !r || !t) throw new GraphFileError(b.file, `line ${line}`, 'empty head, relation or tail');
      b.edge(r, b.node(unknownType, h, h), b.node(unknownType, t, t), false);
      return;
    }
    const c = cols as Partial<Record<Column, number>>;
    const get = (k: Column) => (c[k] === undefined ? '' : f[c[k]]!.trim());
    const head = get('head');
    const tail = get('tail');
    const rel = get('relation');
    const ht = get('head_type');
    const tt = get('tail_type');
    for (const [k, v] of [['head', head], ['relation', rel], ['tail', tail], ['head_type', ht], ['tail_type', tt]] as const) {
      if (!v) throw new GraphFileError(b.file, `line ${line}`, `empty ${k}`);
    }
    const hi = b.node(b.nodeType(mapNodeType(ht), line), head, get('head_name'));
    const ti = b.node(b.nodeType(mapNodeType(tt), line), tail, get('tail_name'));
    b.edge(rel, hi, ti, false, b.sourceBit(get('source')));
  });
  return reader;
}
