/** Contract of the layout worker: fcose runs there on a headless cytoscape, so the page never freezes. */
export interface LayoutNode {
  id: string;
  /** current position, when the node is already on the canvas */
  x?: number;
  y?: number;
  /** keep this node where it is (nodes the user has already seen) */
  fixed?: boolean;
}

export interface LayoutEdge {
  id: string;
  source: string;
  target: string;
}

export interface GraphLayoutApi {
  layout(nodes: LayoutNode[], edges: LayoutEdge[]): Promise<Record<string, { x: number; y: number }>>;
}
