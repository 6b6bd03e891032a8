/** Tells the user plainly whether WebGPU works here, and what still works when it does not. */
import { useApp } from '../store';

const STILL_WORKS = 'Exploring the knowledge graph, synthesising and curating questions, writing trajectories with the built-in teacher, and every import and export still work.';
const NEEDS_GPU =
  'Training (SFT and GRPO) falls back to the CPU reference model: the micro preset trains, slowly; the bigger presets are impractical without a GPU. Kernel benchmarks and in-browser teacher models need WebGPU: use a recent Chrome or Edge (113+), Safari 26+, or Firefox 141+ on Windows, with hardware acceleration enabled.';

export function GpuBanner() {
  const gpu = useApp((s) => s.gpu);
  if (gpu.phase === 'checking') return <div className="banner info" role="status">Checking WebGPU…</div>;
  const st = gpu.status;
  if (st.ok) {
    const name = [st.info.vendor, st.info.architecture, st.info.description].filter(Boolean).join(' · ') || 'unnamed adapter';
    return (
      <div className="banner ok" role="status" data-testid="gpu-ok">
        WebGPU ready: {name}
        {st.info.isFallbackAdapter || /swiftshader/i.test(name) ? ' (software adapter: correct but slow)' : ''} — kernel self-test{' '}
        {st.selfTest.passed ? 'passed' : `FAILED (max error ${st.selfTest.maxAbsError.toExponential(2)})`}.
      </div>
    );
  }
  const title =
    st.reason === 'no-webgpu' ? 'This browser has no WebGPU.' : st.reason === 'no-adapter' ? 'WebGPU is present but no GPU adapter was found.' : 'The GPU could not be used.';
  return (
    <div className="banner warn" role="alert" data-testid="gpu-missing">
      <strong>{title}</strong> {st.message} {STILL_WORKS} {NEEDS_GPU}
    </div>
  );
}
