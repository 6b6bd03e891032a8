/** Options that restate each other by their names: one class name inside another, two salts or congeners of one substance. */
import { classNameKey } from './judges';
/** class names one inside the other, by word stems ("topoisomerase inhibitor" / "anthracycline topoisomerase inhibitor") */
export function classNamesNested(a: string, b: string): boolean {
  const wa = classNameKey(a).split(' ').filter(Boolean);
  const wb = classNameKey(b).split(' ').filter(Boolean);
  if (!wa.length || !wb.length) return false;
  const [small, big] = wa.length <= wb.length ? [wa, wb] : [wb, wa];
  return small.every((w) => big.includes(w));
}

/** drug names that start alike (4 letters of a word of 6 or more): salts and congeners of one substance */
export function drugNamesAlike(a: string, b: string): boolean {
  const first = (s: string) => s.toLowerCase().split(/[^a-z]+/).filter(Boolean)[0] ?? '';
  const fa = first(a);
  const fb = first(b);
  return fa.length >= 6 && fb.length >= 6 && fa.slice(0, 4) === fb.slice(0, 4);
}
