/**
 * The question record: one JSON object per question, MedQA-compatible at the top
 * (question, options{A..}, answer_idx, answer) so MedQA tooling reads it as is, with
 * the synthesis provenance (graph, seed, metapath, evidence, distractors and their
 * contradicting facts, difficulty features) kept beside it so every item can be
 * re-checked against the KG and its difficulty explained.
 */
import type { LlmVerification } from './llm-verify/types';

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

/**
 * One positive reason an option is wrong, as the KG states it. Kinds:
 * - 'points_elsewhere': the option's own facts point to another answer ("X is indicated for Y");
 * - 'conflicts': a KG fact contradicts the stem (a drug listed as treating the disease in an EXCEPT item);
 * - 'lacks': the option lacks a fact the stem requires although it is well annotated in that
 *   relation (`annotated` edges), so the absence is informative;
 * - 'separate': the option is not a relative of the answer (no is-a / part-of / shared member).
 */
export interface DistractorReason {
  kind: 'points_elsewhere' | 'conflicts' | 'lacks' | 'separate';
  /** the triple it rests on: holds = true, asserted by the KG; false, absent from it */
  fact: ContradictingFact;
  /** for 'lacks': how many edges of that relation the option (or its hidden node) has */
  annotated?: number;
  /** the reason as one English sentence (for the inspector and trajectory teachers) */
  text: string;
}

export interface Distractor extends NodeRef {
  contradicted_by: ContradictingFact;
  /** every positive reason the option is wrong (the first is the strongest); absent on items made before they were stored */
  reasons?: DistractorReason[];
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
  /** rarity of the entity the stem names or hides (0 hub … 1 rarest) */
  subjectRarity?: number;
  /** how close the distractors sit to the answer: 0 far … 1 same neighbourhood (shared evidence, siblings) */
  distractorCloseness?: number;
  /** the score's terms (weight × feature), so the tier can be explained */
  scoreParts?: Record<string, number>;
  /** this type's tier cut points [moderate, difficult] on the score (per-type terciles from a calibration sample) */
  tierCuts?: [number, number];
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
  /**
   * open-book items: the facts given with the question, one sentence each (the chain to the
   * answer mixed with facts leading to the distractors; synthesis/open-book.ts). Prompts and
   * exports show them before the stem.
   */
  context?: string[];
  /** curation history, oldest first; absent until the item is first edited */
  history?: EditEntry[];
  /** the LLM verifier's votes and verdict (src/synthesis/llm-verify); absent until an item is verified */
  verification?: LlmVerification;
}

export const OPTION_LETTERS = 'ABCDEFGHIJ';

export function optionLetters(n: number): string[] {
  return OPTION_LETTERS.slice(0, n).split('');
}
