// The run as a table (console) and as a Markdown report, with every target checked.
const ms = (x) => (x === null || x === undefined ? 'n/a' : `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`);
const num = (x) => (x === null || x === undefined ? 'n/a' : Math.round(x).toLocaleString('en-US'));
const kb = (b) => (b === null || b === undefined ? 'n/a' : `${(b / 1024).toFixed(1)} KB`);
const verdict = (ok) => (ok === null ? '—' : ok ? 'met' : 'MISSED');
const pct = (s) => (s ? `p50 ${ms(s.p50)} · p99 ${ms(s.p99)}` : 'n/a');

/** [section, measure, result, target or anchor, met (true/false/null)] rows. */
export function rows(run) {
  const r = run.results;
  const out = [];
  const err = (name) => r[name]?.error && out.push([name, 'error', r[name].error.slice(0, 120), '', false]);
  ['floor', 'e2e', 'throughput', 'fanout', 'connections', 'reads', 'search', 'poll', 'sizes', 'scale'].forEach(err);
  const floor = r.floor?.floor;
  if (r.floor && !r.floor.error) {
    out.push(['floor', 'PostgreSQL insert+commit', pct(r.floor.pgInsertCommit), 'physical floor', null]);
    out.push(['floor', 'WebSocket round trip (loopback, bare ws)', pct(r.floor.wsRoundTrip), 'physical floor', null]);
    out.push(['floor', 'floor = commit + round trip', pct(floor), '', null]);
  }
  for (const [key, label] of [
    ['postgres', 'PostgreSQL'],
    ['pglite', 'PGlite'],
  ]) {
    const e = r.e2e?.[key];
    if (!e) continue;
    if (e.error) {
      out.push(['e2e', `${label}`, e.error.slice(0, 120), '', false]);
      continue;
    }
    const ratio = floor ? e.lowLoad.p50 / floor.p50 : null;
    const met = floor ? ratio <= 4 && e.lowLoad.p99 < 10 : null;
    out.push([
      'e2e',
      `POST -> message.created, ${label}, low load`,
      `${pct(e.lowLoad)} · ${ratio ? ratio.toFixed(1) : '?'}x floor`,
      'p50 <= 4x floor, p99 < 10 ms',
      met,
    ]);
    out.push([
      'e2e',
      `POST answered (201), ${label}, low load`,
      `${pct(e.postAnswer)} · server CPU ${ms(e.serverCpuMsPerMessage)}/message`,
      '',
      null,
    ]);
    // Delivered out of STORED (answered 201): a send that failed stored no message and owes no event.
    const m = e.moderate;
    const stored = m.stored ?? m.sent;
    // Failed sends are counted apart (their reasons are in the JSON), so they are not mistaken for lost events.
    const failedSends = m.failed ? `, ${m.failed} send failed` : '';
    out.push([
      'e2e',
      `POST -> message.created, ${label}, ${m.rate} msg/s`,
      `${pct(m)} (${m.delivered}/${stored}${failedSends})`,
      '',
      m.delivered === stored ? null : false,
    ]);
  }
  const t = r.throughput;
  if (t && !t.error) {
    const s = t.sustained;
    out.push([
      'throughput',
      `${t.senders} senders, ${t.senders} conversations, PostgreSQL (p99 <= 50 ms)`,
      s ? `${num(s.storedPerSec)} stored/s · ${num(s.deliveredPerSec)} delivered/s (p99 ${ms(s.p99)})` : 'no step under 50 ms p99',
      '5,000 msg/s',
      s ? s.storedPerSec >= 5000 : false,
    ]);
    const last = t.steps[t.steps.length - 1];
    if (last && last !== s)
      out.push([
        'throughput',
        'first step over the limit',
        `offered ${num(last.offered)}/s: stored ${num(last.storedPerSec)}/s, p99 ${ms(last.p99)}`,
        '',
        null,
      ]);
    const c = t.saturated;
    if (c)
      out.push([
        'throughput',
        `${t.senders} senders, closed loop (capacity, whatever the latency)`,
        `${num(c.storedPerSec)} stored/s · ${num(c.deliveredPerSec)} delivered/s · POST ${pct(c.postAnswer)} · server CPU ${ms(c.serverCpuMsPerMessage)}/message (${c.serverCores} cores)`,
        '5,000 msg/s',
        c.storedPerSec >= 5000,
      ]);
    out.push([
      'throughput',
      `one hot conversation, ${t.hot.senders} senders (closed loop)`,
      `${num(t.hot.storedPerSec)} stored/s · POST ${pct(t.hot.postAnswer)}`,
      '',
      null,
    ]);
  }
  const f = r.fanout;
  if (f && !f.error) {
    if (f.single?.error) out.push(['fan-out', 'trigger -> receive', f.single.error, '', false]);
    else if (f.single)
      out.push([
        'fan-out',
        'trigger -> receive, 1 subscriber (pusher SDK -> relay HTTP API)',
        pct(f.single),
        'Soketi p50 0.39 ms · p99 2.97 ms',
        f.single.p50 <= 0.39,
      ]);
    for (const n of [1000, 5000]) {
      const x = f[`subscribers${n}`];
      if (!x) continue;
      if (x.error) {
        out.push(['fan-out', `${n} subscribers`, x.error, '', false]);
        continue;
      }
      const soketi = n === 1000;
      out.push([
        'fan-out',
        `${num(n)} subscribers on one private channel: last receipt`,
        pct(x.lastReceipt),
        soketi ? 'Soketi p50 8.9 ms · p99 15.5 ms' : '',
        soketi ? x.lastReceipt.p99 <= 15.5 : null,
      ]);
      out.push([
        'fan-out',
        `${num(n)} subscribers: deliveries/s (burst of ${x.burst.triggers})`,
        num(x.burst.deliveriesPerSec),
        soketi ? 'Soketi 104,000/s' : '',
        soketi ? x.burst.deliveriesPerSec >= 104_000 : null,
      ]);
    }
  }
  const c = r.connections;
  if (c && !c.error) {
    out.push([
      'connections',
      `RSS per idle relay connection at ${num(c.connections)}`,
      `${kb(c.relay.rssPerConnection)} (heap ${kb(c.relay.heapPerConnection)})`,
      '<= 8 KB at 10,000 (Soketi 6.1 KB)',
      c.connections >= 10_000 ? c.relay.rssPerConnection <= 8192 : null,
    ]);
    if (c.bareWs)
      out.push([
        'connections',
        `RSS per idle bare ws connection at ${num(c.connections)}`,
        kb(c.bareWs.rssPerConnection),
        'baseline',
        null,
      ]);
  }
  const rd = r.reads;
  if (rd && !rd.error) {
    const d = rd.dataset;
    const label = `${num(d.readerConversations)} conversations, ${num(d.messages)} messages${d.kept ? '' : ' (quick: smaller set)'}`;
    const five = (s) => (d.kept ? s.p99 < 5 : null);
    out.push([
      'reads',
      `conversation list, first page (${label})`,
      pct(rd.listFirstPage),
      'p99 < 5 ms at full size',
      five(rd.listFirstPage),
    ]);
    if (rd.listPage11)
      out.push(['reads', 'conversation list, page 11 (cursor)', pct(rd.listPage11), 'p99 < 5 ms at full size', five(rd.listPage11)]);
    out.push(['reads', 'history page (50 messages before a seq)', pct(rd.historyPage), 'p99 < 5 ms at full size', five(rd.historyPage)]);
  }
  const sr = r.search;
  if (sr && !sr.error) {
    const d = sr.dataset;
    const label = `${num(d.readerMessages)} of ${num(d.messages)} messages${d.kept ? '' : ' (quick: smaller set)'}`;
    out.push([
      'search',
      `GET /search, mix of queries (${label})`,
      pct(sr.all),
      'p99 < 100 ms at full size',
      d.kept ? sr.all.p99 < 100 : null,
    ]);
    for (const [kind, s] of Object.entries(sr.byKind)) out.push(['search', `  ${kind}`, pct(s), '', null]);
    if (sr.nextPage?.n) out.push(['search', '  next page (cursor)', pct(sr.nextPage), '', null]);
  }
  const p = r.poll;
  if (p && !p.error) {
    out.push(['delivery', 'default (wake on commit), 20 msg/s', pct(p.endToEnd.default), '', null]);
    out.push([
      'delivery',
      'poll-only outbox at 1 s (source design), 20 msg/s',
      `${pct(p.endToEnd.poll)} · ${p.ratioP50 ?? '?'}x default p50`,
      'ratio to default',
      null,
    ]);
    const o = p.outboxLatencyScript;
    if (o?.results) {
      for (const x of o.results)
        out.push([
          'delivery',
          `commit -> trigger, ${x.mode} (bench/outbox-latency.mjs)`,
          `p50 ${ms(x.p50Ms)} · p99 ${ms(x.p99Ms)} (${x.delivered}/${x.messages})`,
          '',
          null,
        ]);
      out.push([
        'delivery',
        'commit -> trigger: poll-only / wake-up',
        `p50 ${o.ratio.p50}x · p99 ${o.ratio.p99}x`,
        'ratio to default',
        null,
      ]);
    } else if (o) out.push(['delivery', 'bench/outbox-latency.mjs', `exit ${o.exitCode}: ${String(o.output).slice(-200)}`, '', false]);
  }
  const z = r.sizes;
  if (z && !z.error) {
    out.push(['size', 'widget script-tag build (min+gzip)', kb(z.widgetScriptTag.minGzip), '', null]);
    out.push(['size', 'core createChatClient with pusher-js (min+gzip)', kb(z.coreWithPusherJs.minGzip), '', null]);
    out.push(['size', 'core createChatClient without pusher-js (min+gzip)', kb(z.coreWithoutPusherJs.minGzip), '', null]);
  }
  scaleRows(r.scale, out);
  return out;
}

/** The scale section: 1 and 2 instances, a 20 ms broadcaster (sections/scale.mjs). */
function scaleRows(x, out) {
  if (!x || x.error) return;
  const delay = `${x.broadcasterDelayMs} ms broadcaster`;
  for (const n of [1, 2]) {
    const run = x[`instances${n}`];
    if (!run) continue;
    if (run.error) {
      out.push(['scale', `${n} instance(s)`, String(run.error).slice(0, 120), '', false]);
      continue;
    }
    const d = run.direct;
    if (d) {
      const lost = d.receivedEvents < d.expectedEvents ? `, ${d.expectedEvents - d.receivedEvents} not received` : '';
      out.push([
        'scale',
        `${n} instance(s), ${delay}, 64 direct conversations, closed loop`,
        `${num(d.storedPerSec)} msg/s · ${num(d.eventsPerSec)} events/s · ${pct(d.endToEnd)}${lost}${d.duplicates ? `, ${d.duplicates} dup` : ''}`,
        n === 1 ? '>= 2,000 events/s' : '',
        n === 1 ? d.eventsPerSec >= 2000 : null,
      ]);
    }
    const g = run.group;
    if (g) {
      const b = g.best;
      const last = g.steps.at(-1);
      out.push([
        'scale',
        `${n} instance(s), ${delay}, groups of ${x.groupSize}: highest step kept up with (within ${x.groupP99LimitMs} ms p99)`,
        `${
          b
            ? `${num(b.offeredEventsPerSec)} events/s offered, ${num(b.deliveredEventsPerSec)}/s delivered · ${pct(b)}`
            : `none (first: ${last ? `${num(last.deliveredEventsPerSec)}/s, p99 ${ms(last.p99)}` : 'n/a'})`
        } · within p99: ${g.bestWithinP99 ? `${num(g.bestWithinP99.offeredEventsPerSec)}/s` : 'none'} · capacity ${num(g.capacityEventsPerSec)} events/s`,
        n === 1 ? '>= 2,000 events/s' : '',
        n === 1 ? (g.capacityEventsPerSec ?? 0) >= 2000 : null,
      ]);
    }
  }
  if (x.groupRatio !== null || x.directRatio !== null) {
    out.push([
      'scale',
      '2 instances / 1 instance (group capacity; direct closed loop)',
      `groups ${x.groupRatio ?? 'n/a'}x · direct ${x.directRatio ?? 'n/a'}x`,
      '>= 1.7x',
      x.groupRatio === null ? null : x.groupRatio >= 1.7,
    ]);
  }
}

export function renderTable(run) {
  const body = rows(run).map(([s, m, v, t, ok]) => [s, m, v, t, verdict(ok)]);
  const head = ['section', 'measure', 'result', 'target / anchor', ''];
  const widths = head.map((h, i) => Math.min(70, Math.max(h.length, ...body.map((r) => String(r[i]).length))));
  const line = (r) => r.map((c, i) => String(c).slice(0, widths[i]).padEnd(widths[i])).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function renderMarkdown(run, svgName) {
  const m = run.machine;
  const lines = [
    `# Banter bench — ${run.mode} run, ${run.startedAt}`,
    '',
    `Command: \`${run.command}\` at commit ${run.commit ?? '?'} · duration ${(run.durationMs / 1000).toFixed(0)} s · outbox delivery: ${run.dispatcher ?? 'n/a'}`,
    '',
    `Machine: ${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, PostgreSQL ${m.postgres ?? '?'}` +
      ` (synchronous_commit ${m.synchronousCommit ?? '?'}), load average ${m.loadAverageAtStart?.join(' ')} at start, ${m.loadAverageAtEnd?.join(' ')} at end.`,
    'Shared and noisy: compare the ratios within this run rather than absolute figures across runs.',
    '',
    '| section | measure | result | target / anchor | |',
    '|---|---|---|---|---|',
    ...rows(run).map(([s, me, v, t, ok]) => `| ${s} | ${me} | ${String(v).replace(/\|/g, '\\|')} | ${t} | ${verdict(ok)} |`),
    '',
    `![latency distributions](${svgName})`,
    '',
  ];
  const steps = run.results.throughput?.steps;
  if (steps?.length) {
    lines.push(
      '## Throughput steps (PostgreSQL, 64 senders, open loop)',
      '',
      '| offered/s | stored/s | delivered/s | p50 | p99 | server CPU/message | server cores busy | failed | not sent (generator full) |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const s of steps)
      lines.push(
        `| ${num(s.offered)} | ${num(s.storedPerSec)} | ${num(s.deliveredPerSec)} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.serverCpuMsPerMessage)} | ${s.serverCores} | ${s.failed} | ${s.skipped} |`,
      );
    lines.push('');
  }
  lines.push('Raw figures: the JSON file of the same name.', '');
  return lines.join('\n');
}
