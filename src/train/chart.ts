// Learning-curve charts as one self-contained string: an HTML page (or just its <svg>) that opens
// offline, so a benchmark can write a file next to its JSON and a person can compare runs in a
// browser. No DOM, no Node APIs, no scripts, no URLs: it runs wherever the library runs.
import { ensure as check } from '../tf/errors.js';

export interface ChartPoint { epoch: number; seconds: number; loss: number; testAccuracy: number | null }
export interface ChartRun {
  label: string;
  curve: ChartPoint[];
  /** Optional: seconds to reach the target, shown in the legend (null: never reached). */
  secondsToTarget?: number | null;
}
export interface ChartOptions {
  title?: string;
  /** A horizontal dashed line on the accuracy panels. */
  targetAccuracy?: number;
  subtitle?: string;
}

// Okabe-Ito (colour-blind safe), reordered so the strongest colours on white come first; yellow,
// faint on white, last. Past eight runs the colours repeat with a dash pattern to stay distinct.
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
const DASHES = ['', '7 3', '2 3', '9 3 2 3'];
const W = 960, PAD = 16, CELL_W = (W - 2 * PAD) / 2, CELL_H = 290;
const LEGEND_COLS = 3, LEGEND_COL_W = (W - 2 * PAD) / LEGEND_COLS, LEGEND_ROW = 20;
const M = { left: 62, right: 14, top: 30, bottom: 46 };
const FEW_POINTS = 30; // below this, markers show where each evaluation happened
// Values beyond this are treated as non-finite: the span between two of them could overflow.
const LIMIT = 1e15;
const FONT = 'system-ui, -apple-system, \'Segoe UI\', Roboto, Helvetica, Arial, sans-serif';
const STYLE = '.lc-tick{font-size:11px;fill:#555}.lc-grid{stroke:#e6e6e6;stroke-width:1}'
  + '.lc-plot{fill:#fff;stroke:#aaa;stroke-width:1}.lc-ptitle{font-size:13px;font-weight:600;fill:#222}'
  + '.lc-axis{font-size:12px;fill:#333}.lc-legend{font-size:12px;fill:#222}.lc-empty{font-size:13px;fill:#777}'
  + '.lc-target{stroke:#444;stroke-width:1.2;stroke-dasharray:6 4}.lc-target-label{font-size:11px;fill:#444}'
  + '.lc-line{fill:none;stroke-width:2;stroke-linejoin:round;stroke-linecap:round}';

const PANELS = [
  { id: 'accuracy-seconds', title: 'Test accuracy vs wall time', x: 'seconds', y: 'testAccuracy' },
  { id: 'accuracy-epoch', title: 'Test accuracy vs epoch', x: 'epoch', y: 'testAccuracy' },
  { id: 'loss-seconds', title: 'Training loss vs wall time', x: 'seconds', y: 'loss' },
  { id: 'loss-epoch', title: 'Training loss vs epoch', x: 'epoch', y: 'loss' },
] as const;
const X_TITLES = { seconds: 'seconds (selection included)', epoch: 'epoch' };

interface Axis { lo: number; hi: number; ticks: number[]; log: boolean; fmt: (t: number) => string; title: string }
type Pt = [number, number];

const usable = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= LIMIT;
/** Coordinates with two decimals keep files small; `|| 0` turns -0 into 0. */
const num = (v: number): string => String(Math.round(v * 100) / 100 || 0);
const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&apos;' };
/** Escape for XML text and attributes, dropping control characters XML 1.0 cannot hold at all. */
const esc = (s: string): string =>
  s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[&<>"']/g, c => ESC[c]!);
const seconds = (s: number): string => (s < 10 ? s.toFixed(2) : s < 100 ? s.toFixed(1) : s.toFixed(0));

/**
 * Round tick values (steps of 1, 2 or 5 times a power of ten) covering [min, max], about `count`
 * of them. A flat or empty range gets a small non-zero span so the axis never divides by zero.
 */
export function niceTicks(min: number, max: number, count = 5): { lo: number; hi: number; step: number; ticks: number[] } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) { min = 0; max = 1; }
  if (min > max) [min, max] = [max, min];
  if (max - min <= Math.abs(max) * 1e-12) { // flat: widen by 10% of the value, or to [0, 1] at zero
    const pad = Math.abs(min) * 0.1;
    if (pad === 0) { min = 0; max = 1; } else { min -= pad; max += pad; }
  }
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
  const first = Math.floor(min / step + 1e-9), last = Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(Math.abs(i * step) < step * 1e-9 ? 0 : i * step);
  return { lo: first * step, hi: last * step, step, ticks };
}

function range(values: number[]): [number, number] {
  let min = Infinity, max = -Infinity;
  for (const v of values) { if (v < min) min = v; if (v > max) max = v; } // no spread: curves can be long
  return min <= max ? [min, max] : [0, 1];
}

function linearAxis(values: number[], title: string, fromZero: boolean): Axis {
  let [min, max] = range(values);
  if (fromZero) { min = Math.min(0, min); max = Math.max(0, max); }
  const t = niceTicks(min, max);
  const decimals = Math.min(12, Math.max(0, -Math.floor(Math.log10(t.step) + 1e-9)));
  return { lo: t.lo, hi: t.hi, ticks: t.ticks, log: false, fmt: v => v.toFixed(decimals), title };
}

/** Log axis in decades (positions are log10 units), at most about seven labelled decades. */
function logAxis(values: number[], title: string): Axis {
  const [min, max] = range(values);
  const lo = Math.floor(Math.log10(min));
  const every = Math.max(1, Math.ceil((Math.ceil(Math.log10(max)) - lo) / 6));
  const hi = lo + every * Math.max(1, Math.ceil((Math.ceil(Math.log10(max)) - lo) / every));
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e += every) ticks.push(e);
  const fmt = (e: number) => (e >= -3 && e <= 3 ? String(10 ** e) : `1e${e}`);
  return { lo, hi, ticks, log: true, fmt, title };
}

/** Fraction along the axis, 0 at lo and 1 at hi. */
const frac = (a: Axis, v: number): number => ((a.log ? Math.log10(v) : v) - a.lo) / (a.hi - a.lo);

function validate(runs: unknown): asserts runs is ChartRun[] {
  check(Array.isArray(runs), 'runs', 'must be an array of { label, curve } runs');
  runs.forEach((r: unknown, i) => {
    check(typeof r === 'object' && r !== null, `runs[${i}]`, 'must be an object { label, curve }');
    const run = r as Partial<ChartRun>;
    check(typeof run.label === 'string', `runs[${i}].label`, 'must be a string');
    check(Array.isArray(run.curve), `runs[${i}].curve`, 'must be an array of points');
    run.curve.forEach((p: unknown, j) => check(typeof p === 'object' && p !== null,
      `runs[${i}].curve[${j}]`, 'must be an object { epoch, seconds, loss, testAccuracy }'));
  });
}

interface Series { color: string; dash: string; pts: Pt[]; markers: boolean }

function renderPanel(id: string, title: string, x0: number, y0: number, xa: Axis, ya: Axis,
  series: Series[], target: number | undefined): string {
  const L = x0 + M.left, R = x0 + CELL_W - M.right, T = y0 + M.top, B = y0 + CELL_H - M.bottom;
  const px = (v: number) => L + frac(xa, v) * (R - L);
  const py = (v: number) => B - frac(ya, v) * (B - T);
  const tx = (t: number) => L + (t - xa.lo) / (xa.hi - xa.lo) * (R - L); // ticks are in axis units
  const ty = (t: number) => B - (t - ya.lo) / (ya.hi - ya.lo) * (B - T);
  const o: string[] = [`<g class="lc-panel" data-panel="${id}">`,
    `<text class="lc-ptitle" x="${num(L)}" y="${num(y0 + 18)}">${esc(title)}</text>`,
    `<rect class="lc-plot" x="${num(L)}" y="${num(T)}" width="${num(R - L)}" height="${num(B - T)}"/>`];
  for (const t of xa.ticks) {
    const x = num(tx(t));
    o.push(`<line class="lc-grid" x1="${x}" y1="${num(T)}" x2="${x}" y2="${num(B)}"/>`,
      `<text class="lc-tick" x="${x}" y="${num(B + 15)}" text-anchor="middle">${esc(xa.fmt(t))}</text>`);
  }
  for (const t of ya.ticks) {
    const y = num(ty(t));
    o.push(`<line class="lc-grid" x1="${num(L)}" y1="${y}" x2="${num(R)}" y2="${y}"/>`,
      `<text class="lc-tick" x="${num(L - 6)}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(ya.fmt(t))}</text>`);
  }
  o.push(`<text class="lc-axis" x="${num((L + R) / 2)}" y="${num(B + 34)}" text-anchor="middle">${esc(xa.title)}</text>`,
    `<text class="lc-axis" transform="translate(${num(x0 + 14)} ${num((T + B) / 2)}) rotate(-90)" text-anchor="middle">${esc(ya.title)}</text>`);
  if (target !== undefined) {
    const y = num(py(target)), text = `target accuracy ${+target.toPrecision(4)}`;
    const key = R - text.length * 6.2 - 6; // ~6 px a character at 11 px
    o.push(`<line class="lc-target" x1="${num(L)}" y1="${y}" x2="${num(R)}" y2="${y}"/>`,
      // Labelled in the title row, not on the line, where curves would run through it.
      `<line class="lc-target" x1="${num(key - 22)}" y1="${num(y0 + 14)}" x2="${num(key)}" y2="${num(y0 + 14)}"/>`,
      `<text class="lc-target-label" x="${num(R)}" y="${num(y0 + 18)}" text-anchor="end">${esc(text)}</text>`);
  }
  if (series.every(s => s.pts.length === 0)) {
    o.push(`<text class="lc-empty" x="${num((L + R) / 2)}" y="${num((T + B) / 2)}" text-anchor="middle">no data</text>`);
  }
  for (const s of series) {
    if (s.pts.length === 0) continue;
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
    o.push(`<polyline class="lc-line" stroke="${s.color}"${dash} points="${s.pts.map(([x, y]) => `${num(px(x))},${num(py(y))}`).join(' ')}"/>`);
    if (s.markers) {
      o.push(`<g fill="${s.color}">${s.pts.map(([x, y]) => `<circle cx="${num(px(x))}" cy="${num(py(y))}" r="2.8"/>`).join('')}</g>`);
    }
  }
  o.push('</g>');
  return o.join('\n');
}

function legendText(run: ChartRun): { shown: string; full: string } {
  const s = run.secondsToTarget;
  const suffix = s === undefined ? '' : usable(s) ? ` \u2014 target in ${seconds(s)} s` : ' \u2014 never reached target';
  // Text width is unknown without a DOM: cut long labels to fit the column (~6.6 px a character).
  const room = Math.max(8, Math.floor((LEGEND_COL_W - 40) / 6.6) - suffix.length);
  const label = run.label.length > room ? `${run.label.slice(0, room - 1)}\u2026` : run.label;
  return { shown: label + suffix, full: run.label + suffix };
}

/** Just the <svg> element: four panels (accuracy and loss against wall time and epoch) and a legend. */
export function learningCurveSvg(runs: ChartRun[], options: ChartOptions = {}): string {
  validate(runs);
  const opts = typeof options === 'object' && options !== null ? options : {};
  const title = typeof opts.title === 'string' ? opts.title : 'Learning curves';
  const subtitle = typeof opts.subtitle === 'string' && opts.subtitle !== '' ? opts.subtitle : undefined;
  const target = usable(opts.targetAccuracy) ? opts.targetAccuracy : undefined;
  const head = [`<text x="${PAD}" y="30" font-size="18" font-weight="700" fill="#111">${esc(title)}</text>`];
  if (subtitle) head.push(`<text x="${PAD}" y="50" font-size="13" fill="#555">${esc(subtitle)}</text>`);
  const top = subtitle ? 68 : 50;

  const open = (h: number, desc: string) => [
    `<svg xmlns="http://www.w3.org/2000/svg" class="lc" width="${W}" height="${num(h)}" viewBox="0 0 ${W} ${num(h)}" role="img" aria-label="${esc(title)}" font-family="${esc(FONT)}">`,
    `<title>${esc(title)}</title>`, `<desc>${esc(desc)}</desc>`, `<style>${STYLE}</style>`,
    `<rect width="${W}" height="${num(h)}" fill="#fff"/>`, ...head];
  if (runs.length === 0) {
    const h = top + 70;
    return [...open(h, 'No runs to chart.'),
      `<text class="lc-empty" x="${W / 2}" y="${top + 30}" text-anchor="middle">no runs</text>`, '</svg>'].join('\n');
  }

  // One log-or-linear decision for both loss panels, from every usable loss of every run.
  const losses = runs.flatMap(r => r.curve.map(p => p.loss).filter(usable));
  const [lmin, lmax] = range(losses);
  const logLoss = losses.length > 0 && lmin > 0 && lmax / lmin > 100;
  const style = runs.map((r, i) => ({
    color: PALETTE[i % PALETTE.length]!, dash: DASHES[Math.floor(i / PALETTE.length) % DASHES.length]!,
    markers: r.curve.length < FEW_POINTS,
  }));

  const legendRows = Math.ceil(runs.length / LEGEND_COLS);
  const panelsTop = top + legendRows * LEGEND_ROW + 8;
  const h = panelsTop + 2 * CELL_H + 8;
  const legend = runs.map((r, i) => {
    const x = PAD + (i % LEGEND_COLS) * LEGEND_COL_W, y = top + Math.floor(i / LEGEND_COLS) * LEGEND_ROW + 10;
    const { shown, full } = legendText(r);
    const { color, dash, markers } = style[i]!;
    return `<g class="lc-legend-item"><title>${esc(full)}</title>`
      + `<line x1="${num(x)}" y1="${y}" x2="${num(x + 24)}" y2="${y}" stroke="${color}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`
      + (markers ? `<circle cx="${num(x + 12)}" cy="${y}" r="3" fill="${color}"/>` : '')
      + `<text class="lc-legend" x="${num(x + 32)}" y="${y}" dominant-baseline="middle">${esc(shown)}</text></g>`;
  });

  const panels = PANELS.map((p, k) => {
    const isLoss = p.y === 'loss';
    const series: Series[] = runs.map((r, i) => ({
      ...style[i]!,
      pts: r.curve.map((q): Pt => [q[p.x], q[p.y] as number])
        .filter(([x, y]) => usable(x) && usable(y) && (!logLoss || !isLoss || y > 0)),
    }));
    const xs = series.flatMap(s => s.pts.map(q => q[0]));
    const ys = series.flatMap(s => s.pts.map(q => q[1]));
    if (!isLoss && target !== undefined) ys.push(target); // keep the target line inside the plot
    const yTitle = isLoss ? (logLoss ? 'training loss (log scale)' : 'training loss') : 'test accuracy';
    const ya = isLoss && logLoss ? logAxis(ys, yTitle) : linearAxis(ys, yTitle, false);
    const xa = linearAxis(xs, X_TITLES[p.x], true); // time and epochs read best from zero
    return renderPanel(p.id, p.title, PAD + (k % 2) * CELL_W, panelsTop + Math.floor(k / 2) * CELL_H,
      xa, ya, series, isLoss ? undefined : target);
  });

  const desc = `${runs.length} run${runs.length === 1 ? '' : 's'}: ${runs.map(r => legendText(r).full).join('; ')}. `
    + 'Four panels: test accuracy vs wall time (seconds, selection included), test accuracy vs epoch, '
    + `training loss vs wall time, training loss vs epoch${logLoss ? ' (loss on a log scale)' : ''}.`
    + (target !== undefined ? ` Dashed line: target accuracy ${+target.toPrecision(4)}.` : '');
  return [...open(h, desc), ...legend, ...panels, '</svg>'].join('\n');
}

/** A complete HTML document holding the chart; it opens offline (the CSP even forbids fetching). */
export function learningCurveChart(runs: ChartRun[], options: ChartOptions = {}): string {
  const svg = learningCurveSvg(runs, options);
  const title = options && typeof options.title === 'string' ? options.title : 'Learning curves';
  return ['<!doctype html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    '<style>body{margin:0;padding:16px;background:#f4f4f4;font-family:system-ui,sans-serif}'
      + 'svg{display:block;max-width:100%;height:auto;margin:0 auto;background:#fff;box-shadow:0 1px 3px rgba(0,0,0,.15)}</style>',
    '</head>', '<body>', svg, '</body>', '</html>', ''].join('\n');
}
