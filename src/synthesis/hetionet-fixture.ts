/**
 * Test support: a Hetionet-shaped JSON graph (Hetionet's node kinds, edge kinds, metaedge
 * tuples and per-edge "sources"), large enough for every template that Hetionet's schema
 * supports, built deterministically from a seed. Names are pronounceable made-up words so
 * that stems read like text and no two entities share a content word by accident.
 */
import { Rng } from './rng';

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'si', 'de', 'pa', 'gu', 'fe', 'zo', 'bi', 'ha', 'ki'];

function word(i: number, salt: number): string {
  let x = i * 7919 + salt * 104729;
  let w = '';
  for (let k = 0; k < 3; k++) {
    w += SYLLABLES[x % SYLLABLES.length];
    x = Math.floor(x / SYLLABLES.length) + k * 31;
  }
  return w;
}

export interface FixtureSizes {
  diseases: number;
  symptoms: number;
  compounds: number;
  anatomy: number;
  classes: number;
  genes: number;
  pathways: number;
}

export const DEFAULT_SIZES: FixtureSizes = { diseases: 120, symptoms: 160, compounds: 220, anatomy: 40, classes: 30, genes: 160, pathways: 40 };

/** The Hetionet JSON text. `presentsSource` names the source of every presents edge (Hetionet's own DpS is "MEDLINE"). */
export function hetionetFixture(seed = 1, sizes: FixtureSizes = DEFAULT_SIZES, presentsSource = 'Disease Ontology'): string {
  const rng = new Rng(seed);
  const nodes: { kind: string; identifier: string; name: string; data: object }[] = [];
  const id = (kind: string, i: number) => `${kind.slice(0, 2).toUpperCase()}${i}`;
  const add = (kind: string, n: number, salt: number, suffix: string) => {
    for (let i = 0; i < n; i++) nodes.push({ kind, identifier: id(kind, i), name: `${word(i, salt)}${suffix}`, data: {} });
  };
  add('Disease', sizes.diseases, 1, 'osis');
  add('Symptom', sizes.symptoms, 2, ' sign');
  add('Compound', sizes.compounds, 3, 'mab');
  add('Anatomy', sizes.anatomy, 4, ' lobe'); // a word no organ-system rule reads (lexicon.ts): the made-up structures are unrelated
  add('Pharmacologic Class', sizes.classes, 5, ' blocker');
  add('Gene', sizes.genes, 6, '');
  for (const n of nodes) if (n.kind === 'Gene') n.name = `${n.name.toUpperCase()}${n.identifier.slice(2)}`;
  add('Pathway', sizes.pathways, 7, ' signaling');
  const edges: { source_id: [string, string]; target_id: [string, string]; kind: string; direction: string; data: object }[] = [];
  const seen = new Set<string>();
  const edge = (sk: string, si: number, tk: string, ti: number, kind: string, direction: string, source: string) => {
    const key = `${sk}${si}|${kind}|${tk}${ti}`;
    if (seen.has(key) || (sk === tk && si === ti)) return;
    seen.add(key);
    edges.push({ source_id: [sk, id(sk, si)], target_id: [tk, id(tk, ti)], kind, direction, data: { sources: [source] } });
  };
  const pick = (n: number) => rng.int(n);
  for (let d = 0; d < sizes.diseases; d++) {
    const k = 5 + pick(4);
    for (let j = 0; j < k; j++) edge('Disease', d, 'Symptom', pick(sizes.symptoms), 'presents', 'both', presentsSource);
    edge('Disease', d, 'Anatomy', pick(sizes.anatomy), 'localizes', 'both', 'Disease Ontology');
    if (rng.chance(0.3)) edge('Disease', d, 'Disease', pick(sizes.diseases), 'resembles', 'both', 'MEDLINE');
  }
  for (let c = 0; c < sizes.compounds; c++) {
    const k = 2 + pick(2);
    for (let j = 0; j < k; j++) edge('Compound', c, 'Disease', pick(sizes.diseases), 'treats', 'both', 'PharmacotherapyDB');
    for (let j = 0; j < 1 + pick(2); j++) edge('Compound', c, 'Gene', pick(sizes.genes), 'binds', 'both', 'DrugCentral');
    edge('Pharmacologic Class', pick(sizes.classes), 'Compound', c, 'includes', 'both', 'DrugCentral');
  }
  for (let g = 0; g < sizes.genes; g++) for (let j = 0; j < 1 + pick(3); j++) edge('Gene', g, 'Pathway', pick(sizes.pathways), 'participates', 'both', 'Reactome');
  const meta = [
    ['Disease', 'Symptom', 'presents', 'both'],
    ['Disease', 'Anatomy', 'localizes', 'both'],
    ['Disease', 'Disease', 'resembles', 'both'],
    ['Compound', 'Disease', 'treats', 'both'],
    ['Compound', 'Gene', 'binds', 'both'],
    ['Pharmacologic Class', 'Compound', 'includes', 'both'],
    ['Gene', 'Pathway', 'participates', 'both'],
  ];
  const kinds = ['Disease', 'Symptom', 'Compound', 'Anatomy', 'Pharmacologic Class', 'Gene', 'Pathway'];
  return JSON.stringify({ metanode_kinds: kinds, metaedge_tuples: meta, kind_to_abbrev: {}, nodes, edges }, null, 1);
}
