/** Node and edge types of the built graph: the app's medical schema (src/graph/medical-schema.ts). */
export { EDGE_TYPES, NODE_TYPES, type NodeType } from '../../src/graph/medical-schema';
