import type { ReactNode } from 'react';
import type { ViewId } from '../routes';
import { Term } from '../components/help/Term';

const WHAT: Partial<Record<ViewId, { title: string; text: ReactNode }>> = {
  questions: {
    title: 'Questions',
    text: 'Multiple-choice questions synthesised from the knowledge graph (metapath sampling with long-tail priority, masking, relation-preserving distractors, KG verification, difficulty tiers), imported public QA, a curation table with history, and exports (MedQA JSONL, TRL chat JSONL, verl parquet).',
  },
  trajectories: {
    title: 'Trajectories',
    text: 'Chain-of-thought trajectories per question: the built-in KG teacher and optional model teachers, pass@k selection, iterative refinement rounds, and the checks each trajectory passed.',
  },
  train: {
    title: 'Train',
    text: (
      <>
        <Term k="sft" /> cold start and two-stage <Term k="grpo" /> on your GPU, with live reward curves per difficulty tier, stage marks, checkpoints and run comparison.
      </>
    ),
  },
  learn: {
    title: 'Learn GRPO',
    text: (
      <>
        A step-through of one GRPO update: the group of completions, their rewards, the group mean, <Term k="advantage">advantages</Term>, token-level contributions, and what
        changes with the loss type or <Term k="beta">β</Term>.
      </>
    ),
  },
  bench: {
    title: 'Bench',
    text: 'Kernel and training throughput of the WGSL kernels against @tensorflow/tfjs-backend-webgpu on this device.',
  },
};

export function PlaceholderView({ view }: { view: ViewId }) {
  const w = WHAT[view];
  if (!w) return null;
  return (
    <section className="placeholder">
      <h2>{w.title}</h2>
      <p>Not built yet. This view will hold: {w.text}</p>
    </section>
  );
}
