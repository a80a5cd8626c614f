// The latency chart, written by hand (no browser, no plotting library): one percentile curve per
// distribution, HdrHistogram style: x = percentile on a log scale of 1/(1-p), y = latency, log scale.
const COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#393b79',
  '#637939',
  '#8c6d31',
  '#843c39',
];
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function latencyChart(distributions, title) {
  const series = Object.entries(distributions)
    .filter(([, v]) => v.length > 0)
    .map(([name, v]) => [name, Float64Array.from(v).sort()]);
  if (series.length === 0) {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="60"><text x="10" y="35" font-family="sans-serif">${esc(title)}: no latency data in this run</text></svg>`;
  }
  const W = 1060;
  const H = 540;
  const left = 70;
  const right = 330 + 100;
  const top = 40;
  const bottom = 60;
  const pw = W - left - right;
  const ph = H - top - bottom;
  const maxX = 3; // p99.9
  let lo = Infinity;
  let hi = 0;
  for (const [, s] of series) {
    lo = Math.min(lo, Math.max(s[0], 0.01));
    hi = Math.max(hi, s[s.length - 1]);
  }
  const yMin = Math.floor(Math.log10(lo));
  const yMax = Math.ceil(Math.log10(hi));
  const X = (p) => left + (Math.min(maxX, -Math.log10(1 - p)) / maxX) * pw;
  const Y = (ms) => top + ph - ((Math.log10(Math.max(ms, 10 ** yMin)) - yMin) / (yMax - yMin || 1)) * ph;
  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${left}" y="24" font-size="15" font-weight="bold">${esc(title)}</text>`);
  for (let e = yMin; e <= yMax; e++) {
    const y = Y(10 ** e);
    out.push(`<line x1="${left}" x2="${left + pw}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 8}" y="${y + 4}" text-anchor="end">${10 ** e >= 1 ? 10 ** e : (10 ** e).toFixed(-e)} ms</text>`);
  }
  for (const [p, label] of [
    [0, 'p0'],
    [0.5, 'p50'],
    [0.9, 'p90'],
    [0.99, 'p99'],
    [0.999, 'p99.9'],
  ]) {
    const x = X(p);
    out.push(`<line x1="${x}" x2="${x}" y1="${top}" y2="${top + ph}" stroke="#ddd"/>`);
    out.push(`<text x="${x}" y="${top + ph + 18}" text-anchor="middle">${label}</text>`);
  }
  out.push(`<text x="${left + pw / 2}" y="${H - 16}" text-anchor="middle">percentile</text>`);
  out.push(`<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
  series.forEach(([name, s], k) => {
    const color = COLORS[k % COLORS.length];
    const pts = [];
    const steps = 300;
    for (let j = 0; j <= steps; j++) {
      const x = (j / steps) * maxX;
      const p = 1 - 10 ** -x;
      const i = Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1));
      pts.push(`${X(p).toFixed(1)},${Y(s[i]).toFixed(1)}`);
    }
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="1.8" points="${pts.join(' ')}"/>`);
    const ly = top + 8 + k * 20;
    out.push(`<line x1="${W - right + 16}" x2="${W - right + 40}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/>`);
    out.push(`<text x="${W - right + 46}" y="${ly + 4}">${esc(name)} (n=${s.length})</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
