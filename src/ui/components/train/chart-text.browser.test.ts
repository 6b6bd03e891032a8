/**
 * Chart text is user text (run names in comparisons, dataset names in titles, the reasons
 * of stage marks): the live chart's read-out and mark flags (built as HTML strings) and the
 * SVG export must show it literally and create no element from it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LiveChart } from './live-chart';
import { chartSvg } from './svg-export';

const IMG = '<img src=x onerror="window.__xss=1">';
const SCRIPT = '<script>window.__xss=1</script>';
const ATTR = '" onmouseover="window.__xss=1" x="';

let host: HTMLDivElement | null = null;
afterEach(() => {
  host?.remove();
  host = null;
});

describe('chart text is shown as text', () => {
  it('live chart: title, line labels, mark kinds and reasons', async () => {
    host = document.createElement('div');
    host.style.width = '600px';
    document.body.append(host);
    const chart = new LiveChart(host, { title: `Run ${SCRIPT}`, lines: [{ label: `run ${IMG}`, colour: '#1565c0' }, { label: ATTR, colour: '#c62828' }], withRaw: false, log: false, height: 200 });
    chart.setData([
      [0, 1, 2, 3],
      [0.1, 0.2, 0.3, 0.4],
      [0.4, 0.3, 0.2, 0.1],
    ]);
    chart.setMarks([], [{ step: 2, kind: `stage2${ATTR}`, reason: `plateau ${IMG}`, detail: SCRIPT }]);
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    const text = host.textContent ?? '';
    expect(text).toContain(`Run ${SCRIPT}`);
    expect(text).toContain(`run ${IMG}`);
    expect(text).toContain(ATTR);
    expect(host.querySelectorAll('img, script, [onerror], [onmouseover]')).toHaveLength(0);
    const mark = host.querySelector('[data-testid="stage-mark"]');
    expect(mark, 'the stage mark is drawn').not.toBeNull();
    expect(mark!.getAttribute('data-kind')).toBe(`stage2${ATTR}`);
    expect(mark!.textContent).toContain(`plateau ${IMG}`);
    expect((window as unknown as { __xss?: number }).__xss).toBeUndefined();
    chart.destroy();
  });

  it('SVG export parses to the same text and holds no element from it', () => {
    const svg = chartSvg({ title: `Run ${SCRIPT}`, xLabel: `step ${IMG}`, lines: [{ label: ATTR, colour: '#000', x: [0, 1], y: [0, 1] }], events: [{ step: 1, kind: IMG, reason: SCRIPT }] });
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    expect(doc.querySelector('parsererror')).toBeNull();
    expect(doc.querySelectorAll('img, script, foreignObject, [onerror], [onmouseover]')).toHaveLength(0);
    const texts = [...doc.querySelectorAll('text, title')].map((t) => t.textContent);
    expect(texts).toEqual(expect.arrayContaining([`Run ${SCRIPT}`, `step ${IMG}`, ATTR]));
  });
});
