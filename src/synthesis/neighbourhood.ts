/**
 * Where plausible distractors come from: the answer's neighbourhood. Diseases near the
 * subject (sharing the shown findings, resembling it, its siblings and cousins in the
 * disease hierarchy) and what those diseases lead to (their drugs, sites, organisms, drug
 * classes, target pathways); for a drug, the classes and targets of drugs used for the same
 * diseases. Each candidate carries a closeness (0 far … 1 same neighbourhood) that weights
 * the draw and feeds the difficulty score. Lists are capped with a random start, so
 * sampling stays cheap on hubs.
 */
import type { Candidate } from './judges';
import type { SynthGraph } from './kg-view';
import type { Hierarchies } from './relatedness';
import type { Rng } from './rng';

const CAP = 24;

export class Neighbourhood {
  constructor(
    readonly g: SynthGraph,
    readonly h: Hierarchies,
    /** swapped by the engine for its calibration stream */
    public rng: Rng,
  ) {}

  /** widens every cap: candidates computed once per subject and kept can afford to look further */
  scale = 1;

  private capped(list: ArrayLike<number>, visit: (x: number) => void, cap = CAP): void {
    cap *= this.scale;
    const n = list.length;
    const start = n > cap ? this.rng.int(n) : 0;
    for (let j = 0; j < Math.min(n, cap); j++) visit(list[(start + j) % n]!);
  }

  /** diseases near d; with `shown`, closeness is the share of shown findings each presents */
  diseases(d: number, shown: readonly number[] | null): Candidate[] {
    const g = this.g;
    const out = new Map<number, Candidate>();
    const add = (x: number, closeness: number) => {
      if (x === d) return;
      const c = out.get(x);
      if (!c || c.closeness < closeness) out.set(x, { node: x, closeness, origin: x });
    };
    if (shown?.length) {
      const count = new Map<number, number>();
      for (const f of shown) this.capped(g.nb(f, 'presents', 'in'), (x) => count.set(x, (count.get(x) ?? 0) + 1), 60);
      for (const [x, k] of count) add(x, k / shown.length);
    } else {
      // diseases sharing strong findings with d
      const count = new Map<number, number>();
      for (const f of g.strongNb(d, 'presents', 'out')) this.capped(g.strongNb(f, 'presents', 'in'), (x) => count.set(x, (count.get(x) ?? 0) + 1));
      for (const [x, k] of count) if (k >= 2) add(x, Math.min(0.8, 0.3 + 0.1 * k));
    }
    // same organ, same specialty: plausible, seldom the same treatment
    this.capped(g.strongNb(d, 'localizes', 'out'), (a) => this.capped(g.strongNb(a, 'localizes', 'in'), (x) => add(x, 0.35), 12), 4);
    this.capped(g.nb(d, 'in_specialty', 'out'), (sp) => this.capped(g.nb(sp, 'in_specialty', 'in'), (x) => add(x, 0.3), 16), 3);
    this.capped(g.nb(d, 'resembles', 'out'), (x) => add(x, 0.7));
    this.capped(g.nb(d, 'resembles', 'in'), (x) => add(x, 0.7));
    const parents = g.nb(d, 'is_a', 'out');
    for (let i = 0; i < parents.length; i++) {
      const p = parents[i]!;
      this.capped(g.nb(p, 'is_a', 'in'), (x) => add(x, 0.6));
      const grand = g.nb(p, 'is_a', 'out');
      for (let j = 0; j < grand.length; j++) this.capped(g.nb(grand[j]!, 'is_a', 'in'), (u) => this.capped(g.nb(u, 'is_a', 'in'), (x) => add(x, 0.4), 6), 8);
    }
    return [...out.values()];
  }

  /** what the neighbour diseases lead to along a role (strong edges), closeness inherited */
  via(diseases: readonly Candidate[], role: string, dir: 'out' | 'in'): Candidate[] {
    const out = new Map<number, Candidate>();
    for (const c of diseases) {
      this.capped(this.g.strongNb(c.node, role, dir), (x) => {
        const cur = out.get(x);
        if (!cur || cur.closeness < c.closeness) out.set(x, { node: x, closeness: c.closeness, origin: c.node });
      }, 12);
    }
    return [...out.values()];
  }

  /** classes of the drugs that treat the neighbour diseases */
  classesOfTreaters(diseases: readonly Candidate[]): Candidate[] {
    const drugs = this.via(diseases, 'treats', 'in');
    const out = new Map<number, Candidate>();
    for (const c of drugs) {
      this.capped(this.g.nb(c.node, 'in_class', 'out'), (x) => {
        if (!out.has(x)) out.set(x, { node: x, closeness: c.closeness, origin: c.node });
      }, 12);
    }
    return [...out.values()];
  }

  private readonly nearDiseases = new Map<number, number[]>();
  /** a disease and its six nearest picture-independent neighbours (kept: drugs for the same disease ask again) */
  private near(d: number): number[] {
    let v = this.nearDiseases.get(d);
    if (!v) {
      if (this.nearDiseases.size > 20_000) this.nearDiseases.clear();
      const scale = this.scale;
      this.scale = 1;
      try {
        this.nearDiseases.set(d, (v = [d, ...this.diseases(d, null).slice(0, 6).map((c) => c.node)]));
      } finally {
        this.scale = scale;
      }
    }
    return v;
  }

  /** for a drug: classes or targets of the drugs used for the same diseases */
  ofPeerDrugs(x: number, role: 'in_class' | 'targets'): Candidate[] {
    const g = this.g;
    const out = new Map<number, Candidate>();
    const diseases = g.strongNb(x, 'treats', 'out').length ? g.strongNb(x, 'treats', 'out') : g.nb(x, 'treats', 'out');
    this.capped(diseases, (d) => {
      const neighbours = this.near(d);
      for (const e of neighbours) {
        this.capped(g.strongNb(e, 'treats', 'in'), (z) => {
          if (z === x) return;
          this.capped(g.nb(z, role, 'out'), (y) => {
            const closeness = e === d ? 0.7 : 0.4;
            const cur = out.get(y);
            if (!cur || cur.closeness < closeness) out.set(y, { node: y, closeness, origin: z });
          }, 8);
        }, 10);
      }
    }, 6);
    return [...out.values()];
  }

  /** pathways of the targets of drugs for the neighbour diseases */
  pathwaysOfTreaters(diseases: readonly Candidate[]): Candidate[] {
    const drugs = this.via(diseases, 'treats', 'in');
    const out = new Map<number, Candidate>();
    for (const c of drugs) {
      this.capped(this.g.nb(c.node, 'targets', 'out'), (gene) => {
        this.capped(this.g.nb(gene, 'participates_pathway', 'out'), (p) => {
          if (!out.has(p)) out.set(p, { node: p, closeness: c.closeness, origin: c.node });
        }, 8);
      }, 6);
    }
    return [...out.values()];
  }

  /** structures next to the key in the anatomy tree (same parent), closeness 0.5 */
  anatomySiblings(key: number): Candidate[] {
    const g = this.g;
    const out: Candidate[] = [];
    for (const role of ['anatomy_part_of', 'anatomy_is_a']) {
      const parents = g.nb(key, role, 'out');
      for (let i = 0; i < parents.length; i++) this.capped(g.nb(parents[i]!, role, 'in'), (x) => x !== key && out.push({ node: x, closeness: 0.5 }));
    }
    return out;
  }
}
