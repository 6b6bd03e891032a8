/**
 * The group on a number line: each completion's reward as a numbered dot, the group mean as the
 * baseline, the ±1 std band, and an arrow from the mean to each reward (its advantage before any
 * division). SVG, sized for a projector.
 */
import type { ClassroomNumbers } from '../../learn/grpo-step';

export function NumberLine({ n, maxReward }: { n: ClassroomNumbers; maxReward: number }) {
  const W = 720;
  const H = 150;
  const pad = 36;
  const lo = Math.min(0, ...n.rewards);
  const hi = Math.max(maxReward, ...n.rewards, lo + 1e-9);
  const x = (v: number) => pad + ((v - lo) / (hi - lo)) * (W - 2 * pad);
  const axisY = 104;
  // equal rewards stack upwards, closer together when many share a value, always inside the plot
  const counts = new Map<string, number>();
  for (const r of n.rewards) counts.set(r.toFixed(6), (counts.get(r.toFixed(6)) ?? 0) + 1);
  const tallest = Math.max(...counts.values());
  const gap = Math.min(19, (axisY - 28) / Math.max(1, tallest - 1));
  const seen = new Map<string, number>();
  const dots = n.rewards.map((r, i) => {
    const k = r.toFixed(6);
    const level = seen.get(k) ?? 0;
    seen.set(k, level + 1);
    return { r, i, y: axisY - 14 - level * gap };
  });
  const ticks: number[] = [];
  const step = hi - lo > 2 ? 0.5 : 0.25;
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) ticks.push(+t.toFixed(6));
  return (
    <svg className="number-line" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`rewards ${n.rewards.map((r) => r.toFixed(2)).join(', ')}; mean ${n.mean.toFixed(3)}; std ${n.std.toFixed(3)}`} data-testid="number-line">
      <rect x={x(n.mean - n.std)} y={16} width={Math.max(0, x(n.mean + n.std) - x(n.mean - n.std))} height={axisY - 16} fill="rgba(42,111,151,0.10)" />
      <line x1={pad} x2={W - pad} y1={axisY} y2={axisY} stroke="#37474f" strokeWidth={2} />
      {ticks.map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={axisY} y2={axisY + 6} stroke="#37474f" />
          <text x={x(t)} y={axisY + 24} textAnchor="middle" fontSize={16} fill="#37474f">
            {t}
          </text>
        </g>
      ))}
      <line x1={x(n.mean)} x2={x(n.mean)} y1={10} y2={axisY + 8} stroke="#1d3557" strokeWidth={3} />
      <text x={Math.min(W - pad - 95, Math.max(pad + 95, x(n.mean)))} y={H - 4} textAnchor="middle" fontSize={16} fontWeight={700} fill="#1d3557">
        mean {n.mean.toFixed(2)} · std {n.std.toFixed(2)}
      </text>
      {dots.map((d) => {
        const a = n.advantages[d.i]!;
        const colour = a > 1e-12 ? '#1f7a3f' : a < -1e-12 ? '#b42318' : '#607d8b';
        return (
          <g key={d.i}>
            {Math.abs(d.r - n.mean) > 1e-9 && <line x1={x(n.mean)} x2={x(d.r)} y1={d.y} y2={d.y} stroke={colour} strokeWidth={2} markerEnd="" opacity={0.55} />}
            <circle cx={x(d.r)} cy={d.y} r={9} fill={colour} />
            <text x={x(d.r)} y={d.y + 5} textAnchor="middle" fontSize={12} fontWeight={700} fill="white">
              {d.i + 1}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
