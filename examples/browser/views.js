// Drawing, in the page (cheap; everything heavy ran in the Workers): the picked images per
// class, the 2-D map with the picks sized by weight, and the live learning-curve chart.

/** Colour per run, as the library's learning-curve charts order Okabe-Ito's palette (src/train/chart.ts). */
export const RUN_COLOURS = { full: '#0072B2', random: '#D55E00', adacore: '#009E73', craig: '#CC79A7' };
export const RUN_NAMES = { full: 'Full data', random: 'Random subset', adacore: 'AdaCore coreset', craig: 'CRAIG coreset' };
const CLASS_COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#79706e'];
export const classColour = (c) => CLASS_COLOURS[c] ?? `hsl(${(c * 137.5) % 360} 55% 48%)`;


export function formatWeight(w) {
  return Number.isInteger(w) ? String(w) : w.toFixed(1);
}

export function formatSeconds(s) {
  if (s == null) return '—';
  return s < 10 ? `${s.toFixed(2)} s` : s < 100 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
}

/** Picks grouped by class (or one group without labels), each group's largest weight first. */
export function groupsOf(ds, selection) {
  const groups = new Map();
  for (let p = 0; p < selection.indices.length; p++) {
    const row = selection.indices[p];
    const c = ds.labels ? ds.labels[row] : 0;
    if (!groups.has(c)) groups.set(c, []);
    groups.get(c).push({ row, weight: selection.weights[p] });
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([c, picks]) => ({
    c, name: ds.labels ? ds.classNames[c] : 'All rows', picks: picks.sort((a, b) => b.weight - a.weight || a.row - b.row),
    size: ds.labels ? ds.classSizes[c] : ds.rows,
  }));
}

/** One section per class: its picks as small canvases, ink on paper, with the weight under each. */
export function renderImages(container, ds, selection, perClass = Infinity) {
  container.replaceChildren();
  const { width, height } = ds.image;
  const [lo, hi] = ds.range;
  const span = hi - lo || 1;
  const maxWeight = Math.max(...selection.weights);
  for (const group of groupsOf(ds, selection)) {
    const total = group.picks.reduce((s, p) => s + p.weight, 0);
    const heading = el('h3', {},
      el('span', { class: 'dot', style: `background:${classColour(group.c)}`, 'aria-hidden': 'true' }),
      el('span', { class: 'name', text: group.name }),
      el('span', { class: 'meta', text: `${group.picks.length} of ${group.size} kept · they stand for ${formatWeight(Math.round(total * 10) / 10)} rows` }));
    const list = el('ol', { class: 'tiles' });
    for (const { row, weight } of group.picks.slice(0, perClass)) {
      const canvas = el('canvas', { width: String(width), height: String(height), 'aria-hidden': 'true' });
      const ctx = canvas.getContext('2d');
      const image = ctx.createImageData(width, height);
      for (let k = 0; k < width * height; k++) {
        const ink = Math.min(1, Math.max(0, (ds.x[row * ds.dim + k] - lo) / span));
        image.data[4 * k] = 255 - ink * (255 - 22);
        image.data[4 * k + 1] = 255 - ink * (255 - 34);
        image.data[4 * k + 2] = 255 - ink * (255 - 64);
        image.data[4 * k + 3] = 255;
      }
      ctx.putImageData(image, 0, 0);
      const bar = el('span', { class: 'bar', style: `width:${Math.max(6, (100 * weight) / maxWeight).toFixed(1)}%`, 'aria-hidden': 'true' });
      list.append(el('li', { title: `row ${row}: stands for ${formatWeight(weight)} rows` },
        canvas, bar, el('span', { class: 'w' }, el('span', { class: 'visually-hidden', text: `row ${row}, weight ` }), `×${formatWeight(weight)}`)));
    }
    const section = el('section', { class: 'class-group', 'aria-label': `${group.name}: ${group.picks.length} picks` }, heading, list);
    if (group.picks.length > perClass) section.append(el('p', { class: 'more', text: `and ${group.picks.length - perClass} more with smaller weights` }));
    container.append(section);
  }
}

/** The PCA map: every row a faint dot, the picks as discs whose area grows with their weight. */
export function renderMap(canvas, legend, caption, ds, selection) {
  const cssWidth = Math.max(260, canvas.parentElement.clientWidth);
  const cssHeight = Math.round(Math.min(520, Math.max(240, cssWidth * 0.68)));
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(cssWidth * dpr);
  canvas.height = Math.round(cssHeight * dpr);
  canvas.style.width = `${cssWidth}px`;
  canvas.style.height = `${cssHeight}px`;
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, cssWidth, cssHeight);
  const p = ds.projection;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let r = 0; r < ds.rows; r++) {
    const x = p[2 * r], y = p[2 * r + 1];
    if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
  }
  const pad = 18;
  const sx = (cssWidth - 2 * pad) / (x1 - x0 || 1), sy = (cssHeight - 2 * pad) / (y1 - y0 || 1);
  const X = (r) => pad + (p[2 * r] - x0) * sx, Y = (r) => cssHeight - pad - (p[2 * r + 1] - y0) * sy;
  // every row, faintly in its class's colour
  ctx.globalAlpha = selection ? 0.4 : 0.6;
  const dot = ds.rows > 20000 ? 2 : 3;
  for (let r = 0; r < ds.rows; r++) {
    ctx.fillStyle = ds.labels ? classColour(ds.labels[r]) : '#5a6478';
    ctx.fillRect(X(r) - dot / 2, Y(r) - dot / 2, dot, dot);
  }
  ctx.globalAlpha = 1;
  if (selection) {
    const maxWeight = Math.max(...selection.weights);
    const order = Array.from(selection.indices.keys()).sort((a, b) => selection.weights[b] - selection.weights[a]);
    // the largest disc shrinks as picks get many, so that they do not cover the map
    const rMax = Math.min(16, Math.max(3.5, 0.35 * Math.sqrt((cssWidth * cssHeight) / selection.indices.length)));
    const rMin = Math.min(2.2, rMax / 2);
    for (const q of order) {
      const row = selection.indices[q];
      const radius = rMin + (rMax - rMin) * Math.sqrt(selection.weights[q] / maxWeight);
      ctx.beginPath();
      ctx.arc(X(row), Y(row), radius, 0, 2 * Math.PI);
      ctx.fillStyle = ds.labels ? classColour(ds.labels[row]) : '#0b63c4';
      ctx.globalAlpha = 0.78;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.lineWidth = 1;
      ctx.strokeStyle = '#fff';
      ctx.stroke();
    }
  }
  const pct = (v) => `${(100 * (v ?? 0)).toFixed(0)} %`;
  caption.textContent = `First two principal components (${pct(ds.explained[0])} and ${pct(ds.explained[1])} of the variance), computed in the data Worker. `
    + (selection ? `Small dots: all ${ds.rows} rows; discs: the ${selection.indices.length} picks, their area growing with their weight.` : `All ${ds.rows} rows.`);
  canvas.setAttribute('aria-label', caption.textContent);
  legend.replaceChildren(...(ds.labels ? ds.classNames.map((name, c) => el('li', {},
    el('span', { class: 'dot', style: `background:${classColour(c)}`, 'aria-hidden': 'true' }), name)) : []));
}

function niceTicks(lo, hi, count) {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / count, mag = 10 ** Math.floor(Math.log10(raw)), f = raw / mag;
  const step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
  const ticks = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push(+t.toPrecision(12));
  return { ticks, step };
}

/**
 * Test accuracy against wall time, one line per run, drawn at the container's width (an SVG in
 * CSS pixels, so text stays readable on a phone); the target as a dashed line, and each run's
 * crossing of it marked.
 */
export function renderChart(container, runs, target) {
  const width = Math.max(280, container.clientWidth);
  const height = Math.round(Math.min(380, Math.max(240, width * 0.56)));
  const m = { left: 48, right: 14, top: 14, bottom: 40 };
  const points = runs.flatMap((r) => r.curve.filter((q) => q.testAccuracy != null));
  if (points.length === 0) {
    container.innerHTML = `<div class="chart-empty" style="height:${height}px"><p>Press <strong>Train</strong> to draw the curves here as they are measured.</p></div>`;
    return;
  }
  const xMax = Math.max(0.1, ...points.map((q) => q.seconds));
  let yLo = Math.min(...points.map((q) => q.testAccuracy)), yHi = Math.max(...points.map((q) => q.testAccuracy));
  if (target != null) { yLo = Math.min(yLo, target); yHi = Math.max(yHi, target); }
  const xt = niceTicks(0, xMax, width < 480 ? 4 : 6);
  const yt = niceTicks(Math.max(0, yLo - 0.02), Math.min(1, yHi + 0.02), 5);
  const x1 = xt.ticks.at(-1) < xMax ? xMax : xt.ticks.at(-1);
  const ya = yt.ticks[0] > yLo ? yLo : yt.ticks[0], yb = Math.max(yt.ticks.at(-1), yHi);
  const W = width - m.left - m.right, H = height - m.top - m.bottom;
  const X = (s) => m.left + (s / x1) * W, Y = (a) => m.top + H - ((a - ya) / (yb - ya || 1)) * H;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="chart-caption">`,
    `<rect x="${m.left}" y="${m.top}" width="${W}" height="${H}" class="plot"/>`];
  for (const t of yt.ticks) {
    if (t < ya - 1e-9 || t > yb + 1e-9) continue;
    out.push(`<line class="grid" x1="${m.left}" x2="${m.left + W}" y1="${Y(t)}" y2="${Y(t)}"/>`,
      `<text class="tick" x="${m.left - 6}" y="${Y(t)}" text-anchor="end" dominant-baseline="middle">${(t * 100).toFixed(yt.step < 0.01 ? 1 : 0)} %</text>`);
  }
  for (const t of xt.ticks) {
    if (t > x1 + 1e-9) continue;
    out.push(`<line class="grid" y1="${m.top}" y2="${m.top + H}" x1="${X(t)}" x2="${X(t)}"/>`,
      `<text class="tick" x="${X(t)}" y="${m.top + H + 16}" text-anchor="middle">${+t.toPrecision(6)}</text>`);
  }
  out.push(`<text class="axis" x="${m.left + W / 2}" y="${height - 6}" text-anchor="middle">seconds, selection included</text>`);
  if (target != null) {
    out.push(`<line class="target" x1="${m.left}" x2="${m.left + W}" y1="${Y(target)}" y2="${Y(target)}"/>`,
      `<text class="target-label" x="${m.left + 6}" y="${Y(target) - 5}">target ${(target * 100).toFixed(1)} %</text>`);
  }
  for (const run of runs) {
    const pts = run.curve.filter((q) => q.testAccuracy != null).map((q) => `${X(q.seconds).toFixed(1)},${Y(q.testAccuracy).toFixed(1)}`);
    if (pts.length === 0) continue;
    const colour = RUN_COLOURS[run.method];
    out.push(`<polyline class="line" stroke="${colour}" points="${pts.join(' ')}"/>`);
    const last = pts.at(-1).split(',');
    out.push(`<circle cx="${last[0]}" cy="${last[1]}" r="${run.done ? 3 : 4.5}" fill="${run.done ? colour : '#fff'}" stroke="${colour}" stroke-width="2"/>`);
    if (run.secondsToTarget != null) {
      const hit = run.curve.find((q) => q.seconds === run.secondsToTarget && q.testAccuracy != null);
      if (hit) out.push(`<circle class="hit" cx="${X(hit.seconds)}" cy="${Y(hit.testAccuracy)}" r="6" stroke="${colour}"/>`);
    }
  }
  out.push('</svg>');
  container.innerHTML = out.join('');
}
