/**
 * The question record: one JSON object per question, MedQA-compatible at the top
 * (question, options{A..}, answer_idx, answer) so MedQA tooling reads it as is, with
 * the synthesis provenance (graph, seed, metapath, evidence, distractors and their
 * contradicting facts, difficulty features) kept beside it so every item can be
 * re-checked against the KG and its difficulty explained.
 */
export const DIFFICULTIES = ['easy', 'moderate', 'difficult'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export const STATUSES = ['pending', 'accepted', 'rejected'] as const;
export type QuestionStatus = (typeof STATUSES)[number];

export type QuestionSource = 'synthetic' | 'medqa' | 'medmcqa' | 'pubmedqa' | 'mmlu' | (string & {});

export interface NodeRef {
  id: string;
  type: string;
  name: string;
}

export interface Triple {
  head: NodeRef;
  /** edge type name of the KG, e.g. "presents" */
  relation: string;
  tail: NodeRef;
}

export interface EvidenceTriple extends Triple {
  /** false when the fact was dropped from the stem (partial information) or lies on the hidden path */
  shown: boolean;
  /** what the triple is: stem evidence, or a link of the hidden chain to the answer */
  role: 'evidence' | 'chain';
}

export interface ContradictingFact extends Triple {
  /**
   * true: the KG asserts this triple and it conflicts with the stem (e.g. the distractor
   * treats the disease the stem asks a contraindication for);
   * false: the stem requires this triple of the correct option and the KG has no such
   * edge for the distractor (closed-world: the distractor lacks a discriminating feature).
   */
  holds: boolean;
}

export interface Distractor extends NodeRef {
  contradicted_by: ContradictingFact;
  /**
   * How the option was reached by perturbing the answer's subgraph: for multi-hop items
   * the KG path from a competing hidden node to this option; for one-hop items the
   * relation-preserving edge to a related entity (e.g. it treats a resembling disease).
   */
  via?: Triple[];
}

export interface DifficultyFeatures {
  hops: number;
  evidenceShown: number;
  evidenceDropped: number;
  /** 0 = hub of its type, 1 = rarest (share of same-type nodes with a higher degree) */
  answerRarity: number;
  answerDegree: number;
  /** mean share of the shown evidence each distractor also satisfies (0..1) */
  distractorOverlap: number;
  optionCount: number;
  score: number;
}

export interface Provenance {
  graph: string;
  seed: number;
  alpha: number;
  metapath: string;
  hops: number;
  answer_node: NodeRef;
  evidence: EvidenceTriple[];
  distractors: Distractor[];
  features: DifficultyFeatures;
}

export interface EditEntry {
  at: string;
  /** the fields changed, with their values before the edit */
  before: Partial<Pick<QuestionRecord, 'question' | 'options' | 'answer_idx' | 'answer' | 'status' | 'difficulty'>>;
  note?: string;
}

export interface QuestionRecord {
  id: string;
  question: string;
  options: Record<string, string>;
  answer_idx: string;
  answer: string;
  difficulty: Difficulty;
  type: string;
  source: QuestionSource;
  status: QuestionStatus;
  /** synthetic items only */
  provenance?: Provenance;
  /** imported items: the source file's own metadata (subject, context, explanation …) */
  meta?: Record<string, unknown>;
  /** curation history, oldest first; absent until the item is first edited */
  history?: EditEntry[];
}

export const OPTION_LETTERS = 'ABCDEFGHIJ';

export function optionLetters(n: number): string[] {
  return OPTION_LETTERS.slice(0, n).split('');
}
