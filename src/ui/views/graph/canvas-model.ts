/**
 * What the explorer canvas shows, derived from the URL state by asking the graph
 * worker: the opened entity, a summary node per unexpanded neighbour group, the
 * expanded groups' neighbours and the path. The element budget is enforced here, so
 * the canvas never holds more than MAX_ELEMENTS; every cut is reported in `notes`.
 */
import type { NeighbourGroup, PathStep } from '../../../graph/explore';
import type { Direction, NodeSummary } from '../../../graph/knowledge-graph';
import type { GraphWorkerApi } from '../../../../workers/graph-api';
import type { ExplorerState } from './explorer-url';

export const MAX_ELEMENTS = 2000;
/** most neighbours one expansion adds */
export const PER_EXPANSION = 150;

export interface CanvasNode extends NodeSummary {
  key: string;
  kind: 'entity' | 'group';
  /** for a group summary node: which group it stands for */
  group?: { anchor: string; edgeType: string; direction: Direction; total: number; label: string };
  focus?: boolean;
  onPath?: boolean;
}

export interface CanvasEdge {
  key: string;
  source: string;
  target: string;
  label: string;
  edgeType: string;
  datasets: string[];
  onPath?: boolean;
}

export interface CanvasModel {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  /** the opened entity's neighbour groups (counts only) */
  focusGroups: NeighbourGroup[];
  notes: string[];
  path: PathStep[] | null | undefined;
  /** the expansion each node first came from, to place new nodes near it */
  anchorOf: Record<string, string>;
}

type Api = Pick<GraphWorkerApi, 'summary' | 'neighbours' | 'shortestPath'>;

export async function buildCanvas(api: Api, s: ExplorerState): Promise<CanvasModel> {
  const model: CanvasModel = { nodes: [], edges: [], focusGroups: [], notes: [], path: undefined, anchorOf: {} };
  if (!s.node) return model;
  const focus = await api.summary(s.node);
  if (!focus) {
    model.notes.push(`No entity with id ${s.node} in this graph.`);
    return model;
  }
  const nodes = new Map<string, CanvasNode>();
  const edges = new Map<string, CanvasEdge>();
  const count = () => nodes.size + edges.size;
  const hiddenNode = (type: string) => s.hideNodeTypes.includes(type);
  const hiddenEdge = (edgeType: string) => s.hideEdgeTypes.includes(edgeType);
  nodes.set(focus.id, { ...focus, key: focus.id, kind: 'entity', focus: true });

  const addEdge = (source: string, target: string, edgeType: string, label: string, datasets: string[], onPath = false) => {
    const key = `${source}|${edgeType}|${target}`;
    const prev = edges.get(key);
    if (prev) {
      prev.onPath ||= onPath;
      return;
    }
    edges.set(key, { key, source, target, edgeType, label, datasets, onPath });
  };

  model.focusGroups = ((await api.neighbours(focus.id, { limit: 0 })) ?? []).filter((g) => !hiddenEdge(g.edgeType) && !hiddenNode(g.otherType));
  const expanded = (node: string, g: { edgeType: string; direction: Direction }) => s.exp.some((e) => e.node === node && e.edgeType === g.edgeType && e.direction === g.direction);
  for (const g of model.focusGroups) {
    if (expanded(focus.id, g)) continue;
    const key = `group:${g.edgeType}:${g.direction}`;
    nodes.set(key, {
      index: -1,
      id: key,
      name: `${g.label} (${g.total.toLocaleString('en')} ${g.otherType})`,
      type: g.otherType,
      degree: g.total,
      rarity: 0,
      key,
      kind: 'group',
      group: { anchor: focus.id, edgeType: g.edgeType, direction: g.direction, total: g.total, label: g.label },
    });
    addEdge(focus.id, key, g.edgeType, g.label, []);
  }

  for (const e of s.exp) {
    if (hiddenEdge(e.edgeType)) continue;
    const known = nodes.get(e.node);
    const room = Math.floor((MAX_ELEMENTS - count() - (known ? 0 : 1)) / 2);
    if (room <= 0) {
      model.notes.push(`The canvas is full (${MAX_ELEMENTS} elements): collapse a group to expand "${e.edgeType}" of ${known?.name ?? e.node}.`);
      continue;
    }
    const anchor = known ?? (await api.summary(e.node).then((x) => (x ? { ...x, key: x.id, kind: 'entity' as const } : undefined)));
    if (!anchor) continue;
    nodes.set(anchor.key, anchor);
    const limit = Math.min(PER_EXPANSION, room);
    const [g] = (await api.neighbours(e.node, { limit, only: { edgeType: e.edgeType, direction: e.direction } })) ?? [];
    if (!g) continue;
    let shown = 0;
    for (const n of g.nodes) {
      if (hiddenNode(n.type)) continue;
      if (!nodes.has(n.id)) {
        nodes.set(n.id, { ...n, key: n.id, kind: 'entity' });
        model.anchorOf[n.id] = e.node;
      }
      const [src, dst] = e.direction === 'out' ? [e.node, n.id] : [n.id, e.node];
      addEdge(src, dst, e.edgeType, g.label, n.datasets);
      shown++;
    }
    if (g.total > g.nodes.length) {
      model.notes.push(`${anchor.name} — ${g.label}: showing the ${shown.toLocaleString('en')} most connected of ${g.total.toLocaleString('en')} (sampled to keep the canvas under ${MAX_ELEMENTS} elements).`);
    }
  }

  if (s.path) {
    const path = await api.shortestPath(s.path.from, s.path.to, s.path.depth);
    model.path = path;
    if (path) {
      path.forEach((step, k) => {
        const prev = nodes.get(step.node.id);
        if (prev) prev.onPath = true;
        else nodes.set(step.node.id, { ...step.node, key: step.node.id, kind: 'entity', onPath: true });
        if (k > 0 && step.via) {
          const from = path[k - 1]!.node.id;
          const et = step.via.edgeType;
          // via.label is read from the previous step: "treats" means previous → this one
          addEdge(from, step.node.id, et, step.via.label, [], true);
        }
      });
    } else {
      const name = async (id: string) => nodes.get(id)?.name ?? (await api.summary(id))?.name ?? id;
      model.notes.push(`No path of at most ${s.path.depth} hops between ${await name(s.path.from)} and ${await name(s.path.to)}: allow more hops, or show hidden relation types.`);
    }
  }
  model.nodes = [...nodes.values()];
  model.edges = [...edges.values()];
  return model;
}

export function elementCount(m: CanvasModel): number {
  return m.nodes.length + m.edges.length;
}
