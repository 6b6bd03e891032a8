/**
 * What the LLM verifier stores with a question (QuestionRecord.verification): the k
 * votes of a model asked, without the key, which options are correct; how far they
 * agree with the key; and the verdict. The paper's label check ("any instance that fails
 * to be correctly answered by GPT-4 across five independent trials is flagged for manual
 * review") with a drop added for the clear cases: the majority names another option.
 */
export const LLM_VERDICTS = ['keep', 'flag', 'drop'] as const;
export type LlmVerdict = (typeof LLM_VERDICTS)[number];

export interface LlmVote {
  /** the option letters the reply names as correct (sorted; [] = "none is correct"); null when the call failed or the reply could not be read */
  letters: string[] | null;
  /** the end of the model's reply (where the answer is), for the curator to read */
  reply?: string;
  /** why the call failed or the reply could not be read */
  error?: string;
}

export interface LlmVerification {
  method: 'llm_vote';
  /** the chat-completions base URL and model asked */
  endpoint: string;
  model: string;
  k: number;
  temperature: number;
  /** the key when the item was verified (an edit of the key later makes this verification stale) */
  key: string;
  votes: LlmVote[];
  /** votes that could be read */
  readable: number;
  /** per option letter: readable votes that name it correct */
  counts: Record<string, number>;
  /** share of readable votes that name the key and nothing else (0..1) */
  agreement: number;
  /** flag when agreement is below this */
  threshold: number;
  verdict: LlmVerdict;
  /** the verdict in words, e.g. "4 of 5 votes name C as well as the key B" */
  reason: string;
  at: string;
}
