/**
 * Chain-of-thought trajectories: what a teacher is asked, what it returns, and what
 * verification stores about every candidate. A trajectory is kept whether it passed or
 * not, with each check's result, so the inspector can show how refinement changed it.
 */
import type { QuestionRecord } from '../synthesis/record';

export const CHECK_NAMES = ['format', 'answer', 'entities', 'relations', 'discriminating', 'length'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export interface CheckResult {
  name: CheckName;
  passed: boolean;
  /** false when the check does not apply to the item (e.g. no provenance for an imported question); it then passes */
  applicable: boolean;
  /** why it failed (or what it counted), in words the refinement prompt can quote */
  detail: string;
}

/** A relation the chain asserts between two KG entities, as the verifier read it. */
export interface Claim {
  head: { id: string; name: string };
  relation: string;
  tail: { id: string; name: string };
  /** every node the names could denote that fits the relation (names shared by several nodes) */
  headIds: string[];
  tailIds: string[];
  /** false: the chain says the relation does NOT hold */
  positive: boolean;
  /** the KG agrees (positive: a strong edge exists; negative: no edge, and that absence is informative) */
  supported: boolean;
  /** a negative claim the KG has no edge for but whose absence proves nothing: why (absence.ts) */
  absence?: string;
  /** a positive claim the KG asserts only weakly: the datasets that do (trust.ts) */
  weakSources?: string[];
  /** the wording claims more than the edge: a hallmark ("is characterised by"), the only site ("is the site of") */
  qualifier?: 'hallmark' | 'sole_site' | 'label';
  /** a strong edge stated more strongly than the graph backs (teachable.ts): why, and what to say instead */
  overclaim?: string;
  /** the sentence it came from */
  text: string;
}

export const REFINEMENT_STRATEGIES = ['backtracking', 'path_exploration', 'self_correction'] as const;
export type RefinementStrategy = (typeof REFINEMENT_STRATEGIES)[number];

export interface Trajectory {
  id: string;
  questionId: string;
  /** `<think>…</think><answer>X</answer>` */
  text: string;
  /** teacher id, e.g. "kg", "openai:http://…#model", "transformers:onnx-community/…" */
  teacher: string;
  /** 0 = the pass@k candidates; 1..N = refinement rounds */
  round: number;
  /** index among the round's candidates */
  candidate: number;
  strategy: 'initial' | RefinementStrategy;
  /** the teacher's style for this candidate, when it has named styles (the KG teacher: evidence_first, elimination, hypothesis, compact) */
  style?: string;
  checks: CheckResult[];
  claims: Claim[];
  unsupportedClaims: number;
  /** KG entities named in the reasoning (character ranges of reasoningBody(text)), for links in the inspector */
  mentions: { start: number; end: number; ids: string[] }[];
  passed: boolean;
  /** the one chosen for the SFT set */
  selected: boolean;
  /** the user's decision in the inspector; absent until made */
  review?: 'accepted' | 'rejected';
  /** the trajectory this one refines (refinement rounds only) */
  refines?: string;
  createdAt: string;
}

export interface RefinementRequest {
  strategy: RefinementStrategy;
  /** the text being refined */
  previous: string;
  /** the checks it failed, with their details */
  failed: CheckResult[];
}

export interface TeacherRequest {
  question: QuestionRecord;
  /** round and candidate index: a deterministic teacher varies its output by these */
  round: number;
  candidate: number;
  seed: number;
  refinement?: RefinementRequest;
  signal?: AbortSignal;
  /** streamed text as it arrives (LLM teachers) */
  onToken?: (delta: string) => void;
}

export interface Teacher {
  readonly id: string;
  /** the raw completion; throws on failure (nothing is stored for a failed call) */
  generate(req: TeacherRequest): Promise<string>;
  /** the named style a request is written in, for teachers that have styles */
  styleOf?(req: TeacherRequest): string;
  /**
   * Why this teacher should write nothing for an item (asked once, before any candidate):
   * the KG teacher skips an item with an option it has no positive reason to rule out,
   * rather than write a weak chain. `kind` groups the reasons in the run summary.
   */
  cannotWrite?(question: QuestionRecord): { kind: string; reason: string } | null;
}

export function passedAll(checks: CheckResult[]): boolean {
  return checks.every((c) => c.passed);
}
