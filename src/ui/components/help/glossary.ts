/**
 * One plain sentence per piece of jargon, shown where the word appears (<Term k="…">).
 * Written for a clinician or an engineer new to the paper: what it is, and why it matters here.
 */
export const GLOSSARY = {
  kg: { term: 'knowledge graph', text: 'A network of medical facts: entities (diseases, drugs, symptoms, genes…) joined by typed relations such as "treats" or "presents with".' },
  degree: { term: 'degree', text: 'How many relations an entity has in the graph; hubs like "asthma" have hundreds, rare entities a handful.' },
  connectedness: { term: 'connectedness', text: 'Where the entity stands among entities of its type by number of relations: well-connected ones are common in the literature, sparsely connected ones are the long tail the paper samples on purpose.' },
  hop: { term: 'hop', text: 'One step along a relation in the graph; a 3-hop question needs three linked facts to reach its answer.' },
  path: { term: 'shortest path', text: 'The fewest relations that link two entities, e.g. disease → gene → drug.' },
  metapath: { term: 'metapath', text: 'The pattern of entity and relation types a question is built on, e.g. Symptom ← presents ← Disease → treated by → Drug.' },
  alpha: { term: 'long-tail α', text: 'How strongly sampling favours rare entities: each start entity is weighted (degree + 1)^(−α), so α = 0 samples uniformly and larger α picks sparsely connected entities more often (the report after a run compares the share of rare answers with uniform sampling).' },
  masking: { term: 'masking', text: 'Hiding the answer entity and the hops leading to it, so the question gives the clues but not the answer.' },
  withhold: { term: 'withhold evidence p', text: 'The chance that each clue fact is left out of the question stem (kept in the record as "not shown"), so the model must reason from partial information; higher p makes questions harder.' },
  distractor: { term: 'distractor', text: 'A wrong option chosen to be plausible (same type, same neighbourhood) and stored with the graph fact that rules it out.' },
  tier: { term: 'difficulty tier', text: 'Easy, moderate or difficult, computed from stored features of the item (hops, evidence withheld, rarity of the answer, how close the distractors are), so every tier can be explained.' },
  provenance: { term: 'provenance', text: 'Where an item came from: the graph, seed, metapath, the evidence shown and withheld, and why each distractor is wrong.' },
  verification: { term: 'verification', text: 'Re-checking a drafted question against the graph before it is kept: the key must be supported and every distractor ruled out; failures are dropped and counted.' },
  mix: { term: 'imported share', text: 'The fraction of public benchmark questions (MedQA, MedMCQA…) mixed into an export, kept the same in every difficulty tier.' },
  trajectory: { term: 'trajectory', text: 'A worked chain of thought for one question, written by a teacher, ending in an answer; verified trajectories become the SFT data.' },
  teacher: { term: 'teacher', text: 'What writes the trajectories: the built-in graph teacher (offline, deterministic), an OpenAI-compatible endpoint, or a model running in this browser.' },
  passk: { term: 'pass@k', text: 'The share of questions for which at least one of k sampled trajectories passes every check; pass@1 uses only the first.' },
  refinement: { term: 'refinement round', text: 'When no candidate passes, the teacher is asked again with the failed checks named (backtrack, explore another path, self-correct); every round is kept.' },
  unsupported: { term: 'unsupported claim', text: 'A statement in a trajectory that names a relation the graph does not contain.' },
  sft: { term: 'SFT', text: 'Supervised fine-tuning: the model is trained to reproduce the verified trajectories token by token — the cold start before reinforcement learning.' },
  grpo: { term: 'GRPO', text: 'Group Relative Policy Optimization: for each question the model samples a group of answers, each is rewarded (correct, well formed), and answers better than their group\'s average are made more likely.' },
  advantage: { term: 'advantage', text: 'How much better one completion scored than the average of its group; GRPO pushes up completions with positive advantage and down those with negative.' },
  beta: { term: 'β (KL penalty)', text: 'How strongly the policy is held close to the reference model, so learning the reward does not wreck what SFT taught.' },
  curriculum: { term: 'curriculum', text: 'Training in stages: stage 1 on easy and moderate items, stage 2 on the difficult ones the model still fails (the paper\'s two-stage GRPO).' },
  ratio: { term: 'ratio', text: 'tfjs time divided by our time for the same maths on the same GPU: above 1 means our kernel is faster.' },
  gflops: { term: 'GFLOP/s', text: 'Billions of floating-point operations per second: how much arithmetic the kernel gets done.' },
  webgpu: { term: 'WebGPU', text: 'The browser\'s interface to the graphics card for general computation; the training kernels run on it.' },
  indexeddb: { term: 'IndexedDB', text: 'The browser\'s built-in database, where the app keeps graphs, questions, trajectories and runs on this device.' },
  persistence: { term: 'persistent storage', text: 'A promise from the browser not to delete this site\'s data when the disk runs low; without it, the browser may evict the data of sites you have not used recently.' },
  quota: { term: 'quota', text: 'The most space the browser lets this site use, usually a share of the free disk.' },
  workspace: { term: 'workspace file', text: 'One file with everything in this browser\'s workbench database — graphs, questions with their history, trajectories, runs, metrics, checkpoints — to back up or to move to another browser or machine.' },
} as const satisfies Record<string, { term: string; text: string }>;

export type GlossaryKey = keyof typeof GLOSSARY;
