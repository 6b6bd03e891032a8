import { describe, expect, it } from 'vitest';
import { DEFAULT_CURRICULUM, DEFAULT_GRPO, DEFAULT_SFT } from '../../../training/rl/defaults';
import { resolveRunSettings, validateRunSettings } from '../../../training/run/settings';
import { FIELDS, fieldValue, withField } from './settings-fields';
import { RECIPES } from './setup-store';

describe('Train view settings form', () => {
  it('offers every SFT, GRPO and curriculum setting the engine takes, each with a one-line explanation', () => {
    const offered = (g: string) => new Set(FIELDS.filter((f) => f.group === g).map((f) => f.key));
    for (const [g, defaults] of [
      ['sft', DEFAULT_SFT],
      ['grpo', DEFAULT_GRPO],
      ['curriculum', DEFAULT_CURRICULUM],
    ] as const)
      for (const k of Object.keys(defaults)) expect(offered(g), `${g}.${k}`).toContain(k);
    for (const f of FIELDS) {
      expect(f.help.length, `${f.group}.${f.key}`).toBeGreaterThan(10);
      expect(f.help.split(/(?<=\.)\s/).length, `${f.group}.${f.key} help is one line`).toBeLessThanOrEqual(2);
    }
  });

  it('reads and writes fields without touching the others; epsilon_high follows epsilon while they were equal', () => {
    const s = resolveRunSettings();
    const eps = FIELDS.find((f) => f.group === 'grpo' && f.key === 'epsilon')!;
    const next = withField(s, eps, 0.3);
    expect(next.grpo.epsilon).toBe(0.3);
    expect(next.grpo.epsilon_high).toBe(0.3);
    expect(s.grpo.epsilon).toBe(0.2);
    const hi = withField(next, FIELDS.find((f) => f.key === 'epsilon_high')!, 0.28);
    expect(withField(hi, eps, 0.1).grpo.epsilon_high).toBe(0.28);
    const seed = FIELDS.find((f) => f.group === 'run' && f.key === 'seed')!;
    expect(fieldValue(withField(s, seed, 7), seed)).toBe(7);
    const sftSteps = FIELDS.find((f) => f.group === 'sft' && f.key === 'max_steps')!;
    expect(withField(s, sftSteps, 3).grpo.max_steps).toBe(s.grpo.max_steps);
  });

  it('every recipe is a valid run', () => {
    for (const r of Object.values(RECIPES)) expect(validateRunSettings(r.settings())).toEqual([]);
    expect(RECIPES.paper.settings().grpo).toMatchObject({ loss_type: 'paper', scale_rewards: 'none', beta: 0 });
  });
});
