import { describe, it, expect } from 'vitest';
import { learningCurveChart, learningCurveSvg, niceTicks, type ChartPoint, type ChartRun } from '../../src/train/chart.js';

/** A fake learning curve: accuracy rising towards `top`, loss falling, `secondsPerEpoch` apart. */
function curve(epochs: number, secondsPerEpoch: number, top: number, start = 0): ChartPoint[] {
  return Array.from({ length: epochs }, (_, e) => ({
    epoch: e + 1,
    seconds: start + (e + 1) * secondsPerEpoch,
    loss: 2 * Math.exp(-0.3 * e) + 0.1,
    testAccuracy: top - 0.5 * Math.exp(-0.4 * e),
  }));
}

const runs: ChartRun[] = [
  { label: 'full', curve: curve(20, 3, 0.92), secondsToTarget: 27 },
  { label: 'random', curve: curve(20, 0.6, 0.85), secondsToTarget: null },
  { label: 'adacore', curve: curve(20, 0.7, 0.9, 2), secondsToTarget: 9.4 },
];

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;
const polylines = (s: string) => [...s.matchAll(/<polyline\b[^>]*\bpoints="([^"]*)"/g)].map(m =>
  m[1]!.split(' ').filter(Boolean).map(xy => xy.split(',').map(Number) as [number, number]));
/** The markup of the panel with this id: from its group up to the next panel (or the end). */
const panel = (s: string, id: string) => {
  const start = s.indexOf(`data-panel="${id}"`);
  expect(start).toBeGreaterThan(0);
  const next = s.indexOf('data-panel="', start + 1);
  return s.slice(start, next < 0 ? s.length : next);
};
const plotRect = (s: string) => {
  const m = /<rect class="lc-plot" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(s)!;
  const [x, y, w, h] = m.slice(1).map(Number) as [number, number, number, number];
  return { left: x, top: y, right: x + w, bottom: y + h };
};
function clean(s: string) {
  expect(s).not.toMatch(/NaN|Infinity|undefined/);
}

describe('learningCurveChart', () => {
  const html = learningCurveChart(runs, { title: 'Learning curves', targetAccuracy: 0.8, subtitle: 'fake data' });

  it('is a full, self-contained HTML document with one svg', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toMatch(/<\/html>\s*$/);
    expect(count(html, /<svg\b/g)).toBe(1);
    expect(count(html, /<\/svg>/g)).toBe(1);
    expect(html).not.toMatch(/<script|<link|@import|url\(/i);
    // The only URL is the SVG namespace, which browsers never fetch.
    expect(html.match(/https?:\/\/[^"\s]*/g)).toEqual(['http://www.w3.org/2000/svg']);
    clean(html);
  });

  it('draws one polyline per run in each of the four panels, with markers for short curves', () => {
    expect(count(html, /<polyline\b/g)).toBe(4 * runs.length);
    expect(count(html, /class="lc-panel"/g)).toBe(4);
    expect(count(html, /<circle\b/g)).toBe(runs.length /* legend */ + 4 * 20 * runs.length);
    for (const id of ['accuracy-seconds', 'accuracy-epoch', 'loss-seconds', 'loss-epoch']) {
      expect(count(panel(html, id), /<polyline\b/g)).toBe(runs.length);
    }
    // No markers once a curve is long, in the plots or the legend.
    const long = learningCurveSvg([{ label: 'long', curve: curve(40, 1, 0.9) }]);
    expect(count(long, /<circle\b/g)).toBe(0);
  });

  it('keeps colours per run across panels and distinct between runs', () => {
    const strokes = [...html.matchAll(/<polyline class="lc-line" stroke="(#[0-9A-F]{6})"/g)].map(m => m[1]);
    const perRun = strokes.slice(0, 3);
    expect(new Set(perRun).size).toBe(3);
    expect(strokes).toEqual([...perRun, ...perRun, ...perRun, ...perRun]);
  });

  it('has the axis titles, the target line and an accessible svg', () => {
    for (const t of ['seconds (selection included)', 'epoch', 'test accuracy', 'training loss']) expect(html).toContain(`>${t}<`);
    expect(count(html, /class="lc-target"/g)).toBe(4); // a line and its key, in each accuracy panel
    expect(count(html, />target accuracy 0.8</g)).toBe(2);
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-label="Learning curves"/);
    expect(html).toMatch(/viewBox="0 0 960 \d+"/);
    expect(html).toMatch(/<title>Learning curves<\/title>[\s\S]*<desc>3 runs: full/);
    expect(html).toContain('font-family="system-ui');
  });

  it('shows the target in the legend', () => {
    expect(html).toContain('full \u2014 target in 27.0 s');
    expect(html).toContain('adacore \u2014 target in 9.40 s');
    expect(html).toContain('random \u2014 never reached target');
    const noTarget = learningCurveSvg([{ label: 'plain', curve: curve(3, 1, 0.9) }]);
    expect(noTarget).not.toMatch(/target in|never reached|class="lc-target"/);
  });

  it('escapes labels and titles', () => {
    const s = learningCurveChart([{ label: 'a <b>&"\' z', curve: curve(3, 1, 0.9) }], { title: '<T&T>' });
    expect(s).toContain('a &lt;b&gt;&amp;&quot;&apos; z');
    expect(s).not.toContain('<b>');
    expect(s).toContain('<title>&lt;T&amp;T&gt;</title>');
    expect(s).not.toContain('<T&T>');
  });

  it('is deterministic', () => {
    expect(learningCurveChart(runs, { targetAccuracy: 0.8 })).toBe(learningCurveChart(runs, { targetAccuracy: 0.8 }));
  });

  it('places a two-point run inside the plot area, x increasing with seconds', () => {
    const s = learningCurveSvg([{ label: 'two', curve: [
      { epoch: 1, seconds: 1.5, loss: 1, testAccuracy: 0.5 },
      { epoch: 2, seconds: 4, loss: 0.5, testAccuracy: 0.7 },
    ] }]);
    const p = panel(s, 'accuracy-seconds');
    const box = plotRect(p);
    const [line] = polylines(p);
    expect(line).toHaveLength(2);
    const [[x1, y1], [x2, y2]] = line as [[number, number], [number, number]];
    expect(x2).toBeGreaterThan(x1);
    expect(y2).toBeLessThan(y1); // higher accuracy is higher up
    for (const [x, y] of line!) {
      expect(x).toBeGreaterThanOrEqual(box.left);
      expect(x).toBeLessThanOrEqual(box.right);
      expect(y).toBeGreaterThanOrEqual(box.top);
      expect(y).toBeLessThanOrEqual(box.bottom);
    }
  });

  it('uses a log loss axis when the loss spans more than two orders of magnitude', () => {
    const wide = [1e-4, 1e-3, 1e-2, 0.1, 1, 10].map((loss, i) => ({ epoch: i, seconds: i, loss, testAccuracy: 0.5 }));
    const s = learningCurveSvg([{ label: 'wide', curve: wide }]);
    expect(count(s, />training loss \(log scale\)</g)).toBe(2);
    expect(s).toContain('>1e-4<');
    clean(s);
    // Equal decades are equally far apart.
    const ys = polylines(panel(s, 'loss-epoch'))[0]!.map(q => q[1]);
    const gaps = ys.slice(1).map((y, i) => y - ys[i]!);
    for (const g of gaps) expect(g).toBeCloseTo(gaps[0]!, 1);
    expect(learningCurveSvg(runs)).not.toContain('log scale');
  });

  it('handles the edge cases without throwing or emitting NaN', () => {
    const cases: ChartRun[][] = [
      [],
      [{ label: 'one', curve: [{ epoch: 1, seconds: 2, loss: 0.7, testAccuracy: 0.6 }] }],
      [{ label: 'flat', curve: curve(5, 1, 0.9).map(p => ({ ...p, loss: 0.5, testAccuracy: 0.8 })) }],
      [{ label: 'zero time', curve: curve(5, 0, 0.9).map(p => ({ ...p, loss: 0, testAccuracy: 0 })) }],
      [{ label: 'no accuracy', curve: curve(5, 1, 0.9).map(p => ({ ...p, testAccuracy: null })) }],
      [{ label: 'some null', curve: curve(5, 1, 0.9).map((p, i) => ({ ...p, testAccuracy: i % 2 ? null : p.testAccuracy })) }],
      [{ label: 'empty curve', curve: [] }],
      [{ label: 'bad numbers', curve: [
        { epoch: NaN, seconds: Infinity, loss: -Infinity, testAccuracy: NaN },
        { epoch: 1, seconds: 1, loss: 1, testAccuracy: 0.5 },
        { epoch: 2, seconds: 2, loss: NaN, testAccuracy: 0.6 },
      ] }],
    ];
    for (const c of cases) {
      const s = learningCurveChart(c, { targetAccuracy: 0.9 });
      clean(s);
      expect(count(s, /<svg\b/g)).toBe(1);
    }
    expect(learningCurveChart([])).toContain('>no runs<');
    const nulls = learningCurveSvg(cases[4]!);
    expect(count(nulls, /<polyline\b/g)).toBe(2); // the loss panels only
    expect(count(nulls, />no data</g)).toBe(2);
    const some = learningCurveSvg(cases[5]!);
    expect(polylines(panel(some, 'accuracy-epoch'))[0]).toHaveLength(3);
    expect(polylines(panel(learningCurveSvg(cases[7]!), 'loss-epoch'))[0]).toHaveLength(1);
    // Many runs: colours repeat with dashes, the legend wraps, still clean.
    const many = learningCurveSvg(Array.from({ length: 11 }, (_, i) => ({ label: `run ${i}`.repeat(i + 1), curve: curve(4, 1, 0.9) })));
    clean(many);
    expect(count(many, /<polyline\b/g)).toBe(44);
    expect(many).toContain('stroke-dasharray="7 3"');
  });

  it('throws on bad input, naming the problem', () => {
    expect(() => learningCurveChart(null as never)).toThrow(/runs: must be an array/);
    expect(() => learningCurveChart({} as never)).toThrow(/runs/);
    expect(() => learningCurveChart([null] as never)).toThrow(/runs\[0\]/);
    expect(() => learningCurveChart([{ curve: [] }] as never)).toThrow(/runs\[0\]\.label/);
    expect(() => learningCurveChart([{ label: 'a', curve: [] }, { label: 'b' }] as never)).toThrow(/runs\[1\]\.curve/);
    expect(() => learningCurveChart([{ label: 'a', curve: [null] }] as never)).toThrow(/runs\[0\]\.curve\[0\]/);
    expect(() => learningCurveSvg('x' as never)).toThrow(Error);
  });
});

describe('niceTicks', () => {
  it('gives round steps covering the range', () => {
    expect(niceTicks(0, 1)).toMatchObject({ lo: 0, hi: 1, step: 0.2 });
    expect(niceTicks(3, 97)).toMatchObject({ lo: 0, hi: 100, step: 20 });
    const t = niceTicks(0.512, 0.918);
    expect(t.lo).toBeLessThanOrEqual(0.512);
    expect(t.hi).toBeGreaterThanOrEqual(0.918);
    expect(t.step).toBeCloseTo(0.1);
  });
  it('gives flat and empty ranges a non-zero span', () => {
    for (const [a, b] of [[0, 0], [5, 5], [-3, -3], [NaN, 1], [1e-300, 1e-300]] as const) {
      const t = niceTicks(a, b);
      expect(t.hi).toBeGreaterThan(t.lo);
      expect(t.ticks.length).toBeGreaterThan(1);
      expect(t.ticks.every(Number.isFinite)).toBe(true);
    }
  });
});
