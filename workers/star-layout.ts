/** Placement of a star (one entity and its neighbour groups), pure so it is testable without a worker. */
import type { LayoutEdge, LayoutNode } from './graph-layout-api';

/**
 * An entity just opened with its neighbour groups is a star: a force layout leaves labels
 * touching at random, so the spokes are spread evenly on an ellipse (wider than tall, as
 * labels are) sized for the label width instead. Null when the graph is not such a star.
 */
export function starLayout(nodes: LayoutNode[], edges: LayoutEdge[]): Record<string, { x: number; y: number }> | null {
  if (nodes.length < 3 || nodes.length > 40 || nodes.some((n) => n.fixed)) return null;
  const deg = new Map<string, number>();
  for (const e of edges) for (const v of [e.source, e.target]) deg.set(v, (deg.get(v) ?? 0) + 1);
  const hub = [...deg.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!hub || edges.some((e) => e.source !== hub && e.target !== hub) || (deg.get(hub) ?? 0) < nodes.length - 1) return null;
  const spokes = nodes.filter((n) => n.id !== hub);
  const r = Math.max(120, (spokes.length * 110) / (2 * Math.PI));
  const out: Record<string, { x: number; y: number }> = { [hub]: { x: 0, y: 0 } };
  spokes.forEach((n, i) => {
    // start at the top, a half step off, so no label sits on the hub's own name below it
    const a = -Math.PI / 2 + ((i + 0.5) * 2 * Math.PI) / spokes.length;
    out[n.id] = { x: 1.5 * r * Math.cos(a), y: r * Math.sin(a) };
  });
  return out;
}

