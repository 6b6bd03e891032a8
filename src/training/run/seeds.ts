/**
 * Counter-based seeds: every random draw of a run (data order of an epoch, the sampling of a
 * step's completions, a mining pass) is seeded by hashing the run seed with where it happens.
 * Nothing random carries state from one step to the next, so a checkpoint needs only the seed
 * and the counters to resume to the same draws, and the order steps run in cannot change them.
 */
import { Rng } from '../../synthesis/rng';

/** 32-bit FNV-1a over the parts' text, finished with a murmur3 mix */
export function deriveSeed(seed: number, ...parts: Array<string | number>): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  const text = parts.join('\u0001');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function rngFor(seed: number, ...parts: Array<string | number>): Rng {
  return new Rng(deriveSeed(seed, ...parts));
}
