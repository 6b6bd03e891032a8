/** A small hand-made graph for tests: a few real entities, every feature of the format used. */
import type { GraphFileV1 } from './format';

export function smallGraphFile(): GraphFileV1 {
  return {
    format: 'fleming-kg',
    version: 1,
    name: 'test graph',
    datasets: [
      { id: 'a', name: 'Source A', licence: 'CC0 1.0', attribution: 'A' },
      { id: 'b', name: 'Source B', licence: 'CC BY 4.0', attribution: 'B' },
    ],
    nodeTypes: ['disease', 'symptom', 'drug'],
    edgeTypes: [
      { name: 'presents', source: 'disease', target: 'symptom', label: 'presents', inverseLabel: 'is presented by' },
      { name: 'treats', source: 'drug', target: 'disease', label: 'treats', inverseLabel: 'is treated by' },
      { name: 'is_a', source: 'disease', target: 'disease', label: 'is a', inverseLabel: 'has subtype' },
    ],
    nodes: {
      id: ['DOID:2841', 'DOID:1205', 'SYMP:0000604', 'SYMP:0000614', 'DrugCentral:100', 'DrugCentral:200', 'DOID:3083'],
      name: ['asthma', 'allergic disease', 'wheezing', 'cough', 'albuterol', 'budesonide', 'chronic obstructive pulmonary disease'],
      type: [0, 0, 1, 1, 2, 2, 0],
      xrefs: [['MESH:D001249', 'UMLS:C0004096'], [], [], [], ['DrugBank:DB01001'], ['DrugBank:DB01222'], ['MESH:D029424']],
      synonyms: [['bronchial asthma'], [], ['wheeze'], [], ['salbutamol'], [], ['COPD']],
      datasets: [3, 1, 1, 1, 2, 2, 1],
    },
    edges: [
      { type: 0, src: [0, 0, 6, 6], dst: [2, 3, 3, 2], datasets: [1, 3, 1, 2] },
      { type: 1, src: [4, 5, 4], dst: [0, 0, 6], datasets: [2, 3, 2] },
      { type: 2, src: [0], dst: [1], datasets: [1] },
    ],
  };
}
