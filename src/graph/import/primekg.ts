/**
 * PrimeKG kg.csv: relation, display_relation, x_index, x_id, x_type, x_name, x_source,
 * y_index, y_id, y_type, y_name, y_source (extra columns are allowed and ignored).
 * PrimeKG's relations are undirected and every edge is listed in both directions;
 * the builder stores each once. Nodes are identified as SOURCE:ID (DrugBank:DB00847,
 * NCBI:4353, MONDO:8019 …), which is how PrimeKG itself disambiguates x_id.
 */
import { GraphFileError } from '../graph-file-error';
import { mapNodeType } from './app-types';
import { DelimitedReader, fieldsForMessage } from './delimited-reader';
import type { GraphBuilder } from './graph-builder';

export const PRIMEKG_COLUMNS = ['relation', 'display_relation', 'x_index', 'x_id', 'x_type', 'x_name', 'x_source', 'y_index', 'y_id', 'y_type', 'y_name', 'y_source'] as const;
type Column = (typeof PRIMEKG_COLUMNS)[number];

export function primekgReader(b: GraphBuilder): DelimitedReader {
  let col: Record<Column, number> | null = null;
  let width = 0;
  return new DelimitedReader(
    b.file,
    (f, line) => {
      if (!col) {
        const names = f.map((x) => x.trim().toLowerCase());
        const missing = PRIMEKG_COLUMNS.filter((c) => !names.includes(c));
        if (missing.length) {
          throw new GraphFileError(b.file, `line ${line} (header)`, `missing PrimeKG column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; found ${fieldsForMessage(f)}`);
        }
        col = Object.fromEntries(PRIMEKG_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<Column, number>;
        width = f.length;
        return;
      }
      if (f.length !== width) throw new GraphFileError(b.file, `line ${line}`, `expected ${width} fields, found ${f.length}`);
      const get = (k: Column) => f[col![k]]!.trim();
      const rel = get('relation');
      if (!rel) throw new GraphFileError(b.file, `line ${line}`, 'empty relation');
      const end = (p: 'x' | 'y') => {
        const id = get(`${p}_id`);
        const type = get(`${p}_type`);
        const source = get(`${p}_source`);
        if (!id || !type) throw new GraphFileError(b.file, `line ${line}`, `empty ${p}_id or ${p}_type`);
        return b.node(b.nodeType(mapNodeType(type), line), source ? `${source}:${id}` : id, get(`${p}_name`));
      };
      b.edge(rel, end('x'), end('y'), true);
    },
    ',',
  );
}
