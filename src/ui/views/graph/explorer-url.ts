/**
 * The explorer's view state, kept in the URL hash so a view can be shared and survives
 * reload: which graph, the opened entity, the selected one, the expanded groups, the
 * hidden types and the path query.
 */
import type { Direction } from '../../../graph/knowledge-graph';

export interface Expansion {
  node: string;
  edgeType: string;
  direction: Direction;
}

export interface ExplorerState {
  graph?: string;
  /** the opened entity (centre of the canvas) */
  node?: string;
  /** the entity whose details are shown (defaults to the opened one) */
  sel?: string;
  exp: Expansion[];
  hideNodeTypes: string[];
  hideEdgeTypes: string[];
  path?: { from: string; to: string; depth: number };
}

const SEP = '~';

export function parseExplorer(params: URLSearchParams): ExplorerState {
  const list = (k: string) => (params.get(k) ?? '').split(',').filter(Boolean);
  const exp: Expansion[] = [];
  for (const e of params.getAll('exp')) {
    const [node, edgeType, direction] = e.split(SEP);
    if (node && edgeType && (direction === 'in' || direction === 'out')) exp.push({ node, edgeType, direction });
  }
  const from = params.get('from');
  const to = params.get('to');
  const depth = Number(params.get('depth') ?? 4);
  return {
    ...(params.get('g') ? { graph: params.get('g')! } : {}),
    ...(params.get('node') ? { node: params.get('node')! } : {}),
    ...(params.get('sel') ? { sel: params.get('sel')! } : {}),
    exp,
    hideNodeTypes: list('hideN'),
    hideEdgeTypes: list('hideE'),
    ...(from && to ? { path: { from, to, depth: Number.isInteger(depth) && depth > 0 ? Math.min(6, depth) : 4 } } : {}),
  };
}

export function formatExplorer(s: ExplorerState): string {
  const p = new URLSearchParams();
  if (s.graph) p.set('g', s.graph);
  if (s.node) p.set('node', s.node);
  if (s.sel && s.sel !== s.node) p.set('sel', s.sel);
  for (const e of s.exp) p.append('exp', [e.node, e.edgeType, e.direction].join(SEP));
  if (s.hideNodeTypes.length) p.set('hideN', s.hideNodeTypes.join(','));
  if (s.hideEdgeTypes.length) p.set('hideE', s.hideEdgeTypes.join(','));
  if (s.path) {
    p.set('from', s.path.from);
    p.set('to', s.path.to);
    p.set('depth', String(s.path.depth));
  }
  const q = p.toString();
  return `#/graph${q ? `?${q}` : ''}`;
}

export function sameExpansion(a: Expansion, b: Expansion): boolean {
  return a.node === b.node && a.edgeType === b.edgeType && a.direction === b.direction;
}

/** Navigates to a new explorer state (a history entry, so Back undoes it). */
export function navigate(s: ExplorerState): void {
  const hash = formatExplorer(s);
  if (location.hash !== hash) location.hash = hash;
}
