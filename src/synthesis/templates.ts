/**
 * Question types as metapath templates. Each names the node type drawn as the anchor
 * (the answer itself for one-hop items, the hidden first node for multi-hop ones), the
 * evidence slots drawn around the anchor (shown in the stem, some possibly dropped),
 * the hidden chain from the anchor to the answer, and the English stem.
 */
import type { Direction } from '../graph/knowledge-graph';

export interface EvidenceSlot {
  rel: string;
  /** direction from the anchor: 'out' = anchor → other */
  dir: Direction;
  min: number;
  max: number;
  /** chance the slot contributes at all when its min is 0 */
  p?: number;
}

export interface ChainStep {
  rel: string;
  dir: Direction;
}

export interface StemParts {
  /** names of the shown evidence entities, per slot (same order as `evidence`) */
  slots: string[][];
}

export interface QuestionTemplate {
  type: string;
  title: string;
  /** the metapath in arrow notation, stored in provenance */
  metapath: string;
  anchorType: string;
  answerType: string;
  evidence: EvidenceSlot[];
  /** hidden hops from the anchor to the answer; empty when the anchor is the answer */
  chain: ChainStep[];
  /** shown evidence facts needed after dropping */
  minShown: number;
  /** how distractors are contradicted: by missing a shown fact, or by a conflicting fact */
  contradiction: 'missing-evidence' | 'conflicting-fact';
  /** for 'conflicting-fact': the relation that makes an option wrong (e.g. treats) */
  conflictRel?: string;
  /** relations used to perturb the evidence entity to a related one (relation-preserving distractors) */
  perturb: ChainStep[][];
  stems: ((p: StemParts) => string)[];
}

/** "a", "a and b", "a, b and c"; semicolons when a name has its own comma ("Hearing Loss, Noise-Induced") */
export function listPhrase(xs: string[]): string {
  if (xs.length <= 1) return xs[0] ?? '';
  const sep = xs.some((x) => x.includes(',')) ? '; ' : ', ';
  return `${xs.slice(0, -1).join(sep)}${sep === '; ' ? ';' : ''} and ${xs[xs.length - 1]}`;
}

/**
 * Title-case headings ("Angina Pectoris", "Cerebellar Ataxia") read lower-case in a
 * sentence; acronyms and mixed-case names ("HIV", "pH", "Parkinson disease") are kept.
 */
export function lower(s: string): string {
  const words = s.split(/\s+/);
  const titleCase = words.every((w) => /^[A-Z][a-z'-]*[,]?$/.test(w) || /^[a-z0-9'(),-]+$/.test(w)) && words.some((w) => /^[A-Z][a-z]/.test(w));
  const eponym = words.length > 1 && /^[A-Z][a-z]+$/.test(words[0]!) && words.slice(1).every((w) => /^[a-z]/.test(w));
  return titleCase && !eponym ? s.toLowerCase() : s;
}
const findings = (p: StemParts, i = 0) => listPhrase((p.slots[i] ?? []).map(lower));
const first = (p: StemParts, i = 0) => p.slots[i]?.[0] ?? '';
const optional = (p: StemParts, i: number, f: (x: string) => string) => (p.slots[i]?.length ? f(p.slots[i]![0]!) : '');

const DISEASE_NEIGHBOURHOOD: ChainStep[][] = [
  [{ rel: 'resembles', dir: 'out' }],
  [{ rel: 'resembles', dir: 'in' }],
  [{ rel: 'is_a', dir: 'out' }],
  [{ rel: 'is_a', dir: 'in' }],
  [
    { rel: 'is_a', dir: 'out' },
    { rel: 'is_a', dir: 'in' },
  ],
];

const DRUG_NEIGHBOURHOOD: ChainStep[][] = [
  [
    { rel: 'in_class', dir: 'out' },
    { rel: 'in_class', dir: 'in' },
  ],
  [
    { rel: 'treats', dir: 'out' },
    { rel: 'treats', dir: 'in' },
  ],
  [
    { rel: 'targets', dir: 'out' },
    { rel: 'targets', dir: 'in' },
  ],
];

const SYMPTOMS: EvidenceSlot = { rel: 'presents', dir: 'out', min: 2, max: 5 };

export const TEMPLATES: QuestionTemplate[] = [
  {
    type: 'diagnosis',
    title: 'Diagnosis',
    metapath: 'symptom ←presents— disease (—localizes→ anatomy, —in_specialty→ specialty)',
    anchorType: 'disease',
    answerType: 'disease',
    evidence: [SYMPTOMS, { rel: 'localizes', dir: 'out', min: 0, max: 1, p: 0.5 }, { rel: 'in_specialty', dir: 'out', min: 0, max: 1, p: 0.4 }],
    chain: [],
    minShown: 2,
    contradiction: 'missing-evidence',
    perturb: DISEASE_NEIGHBOURHOOD,
    stems: [
      (p) => `A patient presents with ${findings(p)}.${optional(p, 1, (a) => ` Examination points to the ${lower(a)}.`)}${optional(p, 2, (s) => ` The patient is referred to ${lower(s)}.`)} Which is the most likely diagnosis?`,
      (p) => `Which condition best explains ${findings(p)}${optional(p, 1, (a) => ` with involvement of the ${lower(a)}`)}${optional(p, 2, (s) => `, in a patient seen in ${lower(s)}`)}?`,
    ],
  },
  {
    type: 'treatment',
    title: 'Treatment',
    metapath: 'disease ←treats— drug',
    anchorType: 'drug',
    answerType: 'drug',
    evidence: [{ rel: 'treats', dir: 'out', min: 1, max: 1 }],
    chain: [],
    minShown: 1,
    contradiction: 'missing-evidence',
    perturb: DISEASE_NEIGHBOURHOOD,
    stems: [
      (p) => `A patient has been diagnosed with ${first(p)}. Which of the following drugs is used to treat this condition?`,
      (p) => `Which drug is indicated for the treatment of ${first(p)}?`,
    ],
  },
  {
    type: 'two_hop_treatment',
    title: 'Two-hop treatment',
    metapath: 'symptom ←presents— [disease] ←treats— drug',
    anchorType: 'disease',
    answerType: 'drug',
    evidence: [SYMPTOMS],
    chain: [{ rel: 'treats', dir: 'in' }],
    minShown: 2,
    contradiction: 'missing-evidence',
    perturb: DISEASE_NEIGHBOURHOOD,
    stems: [
      (p) => `A patient presents with ${findings(p)}. Which drug is used to treat the most likely underlying condition?`,
      (p) => `A patient's findings are ${findings(p)}. Which of the following drugs treats the condition that best explains them?`,
    ],
  },
  {
    type: 'drug_class',
    title: 'Drug class',
    metapath: 'drug —in_class→ pharmacologic_class',
    anchorType: 'pharmacologic_class',
    answerType: 'pharmacologic_class',
    evidence: [{ rel: 'in_class', dir: 'in', min: 1, max: 1 }],
    chain: [],
    minShown: 1,
    contradiction: 'missing-evidence',
    perturb: DRUG_NEIGHBOURHOOD,
    stems: [(p) => `To which pharmacologic class does ${first(p)} belong?`, (p) => `${first(p)} is a member of which class of drugs?`],
  },
  {
    type: 'mechanism',
    title: 'Mechanism (drug target)',
    metapath: 'drug —targets→ gene',
    anchorType: 'gene',
    answerType: 'gene',
    evidence: [{ rel: 'targets', dir: 'in', min: 1, max: 1 }],
    chain: [],
    minShown: 1,
    contradiction: 'missing-evidence',
    perturb: DRUG_NEIGHBOURHOOD,
    stems: [(p) => `Which gene encodes a molecular target of ${first(p)}?`, (p) => `${first(p)} exerts its effect by acting on the product of which gene?`],
  },
  {
    type: 'localisation',
    title: 'Localisation',
    metapath: 'disease —localizes→ anatomy',
    anchorType: 'anatomy',
    answerType: 'anatomy',
    evidence: [{ rel: 'localizes', dir: 'in', min: 1, max: 1 }],
    chain: [],
    minShown: 1,
    contradiction: 'missing-evidence',
    perturb: DISEASE_NEIGHBOURHOOD,
    stems: [(p) => `Which anatomical structure is affected by ${first(p)}?`, (p) => `${first(p)} localizes to which part of the body?`],
  },
  {
    type: 'contraindicated',
    title: 'Contraindicated choice',
    metapath: 'disease ←not_indicated_for— drug (vs drug —treats→ disease)',
    anchorType: 'drug',
    answerType: 'drug',
    evidence: [{ rel: 'not_indicated_for', dir: 'out', min: 1, max: 1 }],
    chain: [],
    minShown: 1,
    contradiction: 'conflicting-fact',
    conflictRel: 'treats',
    perturb: [],
    stems: [
      (p) => `Which of the following drugs is NOT indicated for ${first(p)}?`,
      (p) => `A patient has ${first(p)}. All of the following drugs are used to treat it EXCEPT which one?`,
    ],
  },
  {
    type: 'causative_agent',
    title: 'Causative agent',
    metapath: 'symptom ←presents— [disease] —caused_by→ pathogen',
    anchorType: 'disease',
    answerType: 'pathogen',
    evidence: [SYMPTOMS, { rel: 'localizes', dir: 'out', min: 0, max: 1, p: 0.4 }],
    chain: [{ rel: 'caused_by', dir: 'out' }],
    minShown: 2,
    contradiction: 'missing-evidence',
    perturb: DISEASE_NEIGHBOURHOOD,
    stems: [
      (p) => `A patient presents with ${findings(p)}${optional(p, 1, (a) => `, with involvement of the ${lower(a)}`)}. Which organism is the most likely cause of the underlying infection?`,
    ],
  },
  {
    type: 'presentation_class',
    title: 'Drug class for a presentation',
    metapath: 'symptom ←presents— [disease] ←treats— [drug] —in_class→ pharmacologic_class',
    anchorType: 'disease',
    answerType: 'pharmacologic_class',
    evidence: [SYMPTOMS],
    chain: [
      { rel: 'treats', dir: 'in' },
      { rel: 'in_class', dir: 'out' },
    ],
    minShown: 2,
    contradiction: 'missing-evidence',
    perturb: DISEASE_NEIGHBOURHOOD,
    stems: [(p) => `A patient presents with ${findings(p)}. A drug of which pharmacologic class is used to treat the most likely underlying condition?`],
  },
  {
    type: 'target_pathway',
    title: 'Pathway of the drug target',
    metapath: 'symptom ←presents— [disease] ←treats— [drug] —targets→ [gene] —participates_pathway→ pathway',
    anchorType: 'disease',
    answerType: 'pathway',
    evidence: [SYMPTOMS],
    chain: [
      { rel: 'treats', dir: 'in' },
      { rel: 'targets', dir: 'out' },
      { rel: 'participates_pathway', dir: 'out' },
    ],
    minShown: 2,
    contradiction: 'missing-evidence',
    perturb: DISEASE_NEIGHBOURHOOD,
    stems: [
      (p) => `A patient presents with ${findings(p)}. A drug used for the most likely underlying condition acts on a target gene that participates in which pathway?`,
    ],
  },
];

export const QUESTION_TYPES = TEMPLATES.map((t) => t.type);

export function templateByType(type: string): QuestionTemplate {
  const t = TEMPLATES.find((x) => x.type === type);
  if (!t) throw new Error(`unknown question type "${type}" (known: ${QUESTION_TYPES.join(', ')})`);
  return t;
}

/** hops from the shown evidence to the answer */
export const templateHops = (t: QuestionTemplate) => 1 + t.chain.length;
