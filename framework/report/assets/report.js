// faultline report: draws the data embedded in this page (framework/report/report_data.h,
// campaign_data.h). Plain JavaScript, no library, nothing fetched. Large histories stay fast:
// the timeline draws only the lanes scrolled into view and the ops in the time window, and
// past kDetailLimit ops it aggregates each lane into one rect per run of 2-pixel columns
// (level of detail); the plots thin their points to one per pixel cell.
'use strict';
(function () {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const app = document.getElementById('app');
  const kDetailLimit = 3000;   // ops drawn one by one at most; past it, lanes are aggregated
  const kLaneHeight = 16;
  const kLeft = 70;            // px left of every time axis, for lane labels
  const kRight = 16;
  const OUTCOMES = ['ok', 'fail', 'info', 'open'];
  const FAULT_COLORS = { partition: '#7b3fb8', crash: '#b8323b', kill: '#b8323b', pause: '#c8951a',
                         clock: '#138a8a', flaky: '#d66a12' };
  const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];

  // ---- small helpers ----
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  const json = (v) => (v === undefined ? '' : JSON.stringify(v));
  const clamp = (x, lo, hi) => Math.max(lo, Math.min(hi, x));
  const faultColor = (kind) => FAULT_COLORS[kind] || '#6b7280';
  function el(tag, attrs, html) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (html !== undefined) node.innerHTML = html;
    return node;
  }
  function section(id, title) {
    const s = el('section', { id });
    s.appendChild(el('h2', {}, esc(title)));
    return s;
  }
  function fmtDuration(ns) {
    const a = Math.abs(ns);
    if (a < 1e3) return ns.toFixed(0) + ' ns';
    if (a < 1e6) return (ns / 1e3).toFixed(1) + ' µs';
    if (a < 1e9) return (ns / 1e6).toFixed(a < 1e7 ? 2 : 1) + ' ms';
    return (ns / 1e9).toFixed(3) + ' s';
  }
  const fmtTime = (ns) => 't=' + (ns / 1e9).toFixed(3) + ' s';
  function niceStep(span, count) {
    const raw = span / Math.max(1, count);
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
    return 10 * p;
  }
  function tickLabel(t, step) {
    if (step >= 1e9) return (t / 1e9).toFixed(0) + ' s';
    if (step >= 1e8) return (t / 1e9).toFixed(1) + ' s';
    if (step >= 1e6) return (t / 1e6).toFixed(0) + ' ms';
    if (step >= 1e3) return (t / 1e3).toFixed(0) + ' µs';
    return t.toFixed(0) + ' ns';
  }
  function lowerBound(array, predicate) {  // first position where predicate holds (predicate monotone)
    let lo = 0, hi = array.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (predicate(array[mid])) hi = mid; else lo = mid + 1; }
    return lo;
  }

  // ---- the tooltip shared by every chart ----
  const tip = el('div', { id: 'tip', role: 'tooltip' });
  document.body.appendChild(tip);
  function showTip(text, event) {
    tip.textContent = text;
    tip.style.display = 'block';
    const x = event.clientX + 14, y = event.clientY + 14;
    const w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = Math.min(x, window.innerWidth - w - 8) + 'px';
    tip.style.top = (y + h > window.innerHeight ? event.clientY - h - 10 : y) + 'px';
  }
  const hideTip = () => { tip.style.display = 'none'; };

  // ---- a zoomable time window: [start, end] in ns, shared by a chart's renders ----
  class TimeView {
    constructor(start, end, limitStart, limitEnd) {
      this.limitStart = limitStart; this.limitEnd = Math.max(limitEnd, limitStart + 1000);
      this.listeners = [];
      this.set(start, end);
    }
    set(start, end) {
      const full = this.limitEnd - this.limitStart;
      let span = clamp(end - start, 1000, full * 1.2);
      let s = clamp(start, this.limitStart - full * 0.1, this.limitEnd + full * 0.1 - span);
      this.start = s; this.end = s + span;
      for (const listener of this.listeners) listener();
    }
    zoom(factor, fraction) {
      const span = this.end - this.start, at = this.start + span * fraction;
      this.set(at - (at - this.start) * factor, at + (this.end - at) * factor);
    }
    pan(fraction) { const d = (this.end - this.start) * fraction; this.set(this.start + d, this.end + d); }
    fit() { this.set(this.limitStart, this.limitEnd); }
  }

  // Ctrl/⌘ + wheel (or a pinch) zooms at the pointer, Shift + wheel pans, dragging pans;
  // the buttons and keys (+ - ← → 0) do the same.
  function attachZoom(target, view, plotWidth) {
    target.addEventListener('wheel', (e) => {
      const horizontal = Math.abs(e.deltaX) > Math.abs(e.deltaY);
      if (!(e.ctrlKey || e.metaKey || e.shiftKey || horizontal)) return;
      e.preventDefault();
      const rect = target.getBoundingClientRect();
      const fraction = clamp((e.clientX - rect.left - kLeft) / plotWidth(), 0, 1);
      if (e.ctrlKey || e.metaKey) view.zoom(Math.exp(e.deltaY * 0.002), fraction);
      else view.pan((horizontal ? e.deltaX : e.deltaY) / plotWidth());
    }, { passive: false });
    let drag = null;
    target.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      drag = { x: e.clientX, start: view.start, end: view.end, moved: false, id: e.pointerId };
    });
    target.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const dx = e.clientX - drag.x;
      if (!drag.moved && Math.abs(dx) < 4) return;
      if (!drag.moved) { drag.moved = true; target.setPointerCapture(drag.id); hideTip(); }
      const shift = -dx / plotWidth() * (drag.end - drag.start);
      view.set(drag.start + shift, drag.end + shift);
    });
    const stop = () => { drag = null; };
    target.addEventListener('pointerup', stop);
    target.addEventListener('pointercancel', stop);
    target.addEventListener('keydown', (e) => {
      const actions = { '+': () => view.zoom(0.5, 0.5), '=': () => view.zoom(0.5, 0.5), '-': () => view.zoom(2, 0.5),
                        'ArrowLeft': () => view.pan(-0.25), 'ArrowRight': () => view.pan(0.25), '0': () => view.fit() };
      if (actions[e.key] && e.target === target) { e.preventDefault(); actions[e.key](); }
    });
  }
  function zoomButtons(view, extra) {
    const bar = el('div', { class: 'toolbar' });
    const button = (label, title, action) => {
      const b = el('button', { type: 'button', title }, esc(label));
      b.addEventListener('click', action);
      bar.appendChild(b);
      return b;
    };
    button('+', 'zoom in', () => view.zoom(0.5, 0.5));
    button('−', 'zoom out', () => view.zoom(2, 0.5));
    button('←', 'pan left', () => view.pan(-0.25));
    button('→', 'pan right', () => view.pan(0.25));
    button('whole run', 'show the whole run', () => view.fit());
    for (const [label, title, action] of extra || []) button(label, title, action);
    bar.appendChild(el('span', { class: 'hint' }, 'Ctrl+wheel zooms at the pointer, Shift+wheel or drag pans; + − ← → 0 when focused'));
    return bar;
  }
  function axisSvg(view, width, y, height) {
    const span = view.end - view.start, w = width - kLeft - kRight;
    const step = niceStep(span, Math.max(2, Math.floor(w / 110)));
    let out = '<g class="axis">';
    for (let t = Math.ceil(view.start / step) * step; t <= view.end; t += step) {
      const x = kLeft + (t - view.start) / span * w;
      out += `<line x1="${x}" x2="${x}" y1="${y}" y2="${y + height}"></line><text x="${x + 3}" y="${y + 11}">${tickLabel(t, step)}</text>`;
    }
    return out + '</g>';
  }

  // ---- the run's data ----
  function runModel() {
    const S = data.strings;
    const ops = data.ops.map((a, i) => ({
      i, inv: a[0], cmp: a[1], p: a[2], f: S[a[3]], key: a[4] < 0 ? null : S[a[4]], t0: a[5], t1: a[6], o: a[7],
      node: a[8], role: a[9] < 0 ? null : S[a[9]], fin: a[10] === 1, addr: a[11] }));
    const endNs = Math.max(1, data.end_ns);
    const byIndex = new Map();
    for (const op of ops) { byIndex.set(op.inv, op); if (op.cmp >= 0) byIndex.set(op.cmp, op); }
    const processes = [...new Set(ops.map((o) => o.p))].sort((a, b) => a - b);
    const laneOf = new Map(processes.map((p, lane) => [p, lane]));
    const lanes = processes.map(() => []);
    for (const op of ops) lanes[laneOf.get(op.p)].push(op);
    let nodeCount = data.node_count || 0;
    for (const op of ops) nodeCount = Math.max(nodeCount, op.node + 1, op.addr + 1);
    for (const fault of data.faults) for (const n of fault.nodes) nodeCount = Math.max(nodeCount, n + 1);
    const opEnd = (op) => (op.t1 >= 0 ? op.t1 : endNs);
    return { ops, endNs, byIndex, processes, laneOf, lanes, nodeCount, opEnd };
  }

  function opSummary(op) {
    const v = data.values[op.i];
    let text = `#${op.inv} process ${op.p}: ${op.f}${op.key !== null ? ' ' + op.key : ''}${v[0] !== null ? ' ' + json(v[0]) : ''} → ${OUTCOMES[op.o]}`;
    if (op.o === 0 && json(v[1]) !== json(v[0])) text += ' ' + json(v[1]);
    if (v[2]) text += ` (${v[2]})`;
    if (op.node >= 0) text += `, served by node ${op.node}${op.role ? ' (' + op.role + ')' : ''}`;
    else if (op.addr >= 0) text += `, sent to node ${op.addr}`;
    return text;
  }
  function opRecord(model, op) {
    const v = data.values[op.i];
    const invoke = { index: op.inv, time: op.t0, process: op.p, type: 'invoke', f: op.f };
    if (op.key !== null) invoke.key = op.key;
    invoke.value = v[0];
    if (op.addr >= 0) invoke.node = op.addr;
    if (op.fin) invoke.final = true;
    const lines = [opSummary(op), `${fmtTime(op.t0)} .. ${op.t1 >= 0 ? fmtTime(op.t1) + ', took ' + fmtDuration(op.t1 - op.t0) : 'never completed'}`, JSON.stringify(invoke)];
    if (op.cmp >= 0) {
      const done = { index: op.cmp, time: op.t1, process: op.p, type: OUTCOMES[op.o], f: op.f };
      if (op.key !== null) done.key = op.key;
      done.value = v[1];
      if (op.node >= 0) done.node = op.node;
      if (op.role) done.role = op.role;
      if (v[2]) done.error = v[2];
      if (op.fin) done.final = true;
      lines.push(JSON.stringify(done));
    }
    if (op.o >= 2) lines.push('unknown outcome: it may take effect at any later time, or never');
    return lines.join('\n');
  }

  // The ops each claim's witness names, and the one at fault (the first violated claim's).
  function witnessMarks(model) {
    const marks = new Map();  // op position -> 'primary' | 'witness' | 'related'
    let primary = null, focus = null;
    for (const claim of data.claims) {
      if (claim.verdict === 'valid' || !claim.focus || claim.focus.ops.length === 0) continue;
      const violated = claim.claimed && claim.verdict === 'invalid';
      if (focus && !violated) continue;
      for (const index of claim.focus.related) { const op = model.byIndex.get(index); if (op && !marks.has(op.i)) marks.set(op.i, 'related'); }
      for (const index of claim.focus.ops) { const op = model.byIndex.get(index); if (op) marks.set(op.i, 'witness'); }
      if (!focus || violated) {
        focus = claim.focus;
        const op = claim.focus.primary !== null ? model.byIndex.get(claim.focus.primary) : null;
        if (op) primary = op;
      }
      if (violated) break;
    }
    if (primary) marks.set(primary.i, 'primary');
    return { marks, primary, focus };
  }

  function initialWindow(model, focus) {
    if (!focus) return [0, model.endNs];
    const span = Math.max(focus.end_ns - focus.start_ns, 2e6);
    return [focus.start_ns - span * 0.3, focus.end_ns + span * 0.3];
  }

  // ---- header: what ran, each claim's verdict, the commands ----
  function verdictBadge(claim) {
    if (!claim.claimed) return `<span class="badge notclaimed">not claimed (${claim.verdict === 'invalid' ? 'anomalies seen' : claim.verdict === 'valid' ? 'none seen' : 'undecided'})</span>`;
    if (claim.verdict === 'valid') return '<span class="badge held">held</span>';
    if (claim.verdict === 'invalid') return '<span class="badge violated">VIOLATED</span>';
    return '<span class="badge unknown">UNKNOWN</span>';
  }
  function scenarioLine(s) {
    if (!s) return 'a history with no header';
    const p = s.params || {};
    const parts = [`system ${s.system}`, `workload ${s.workload}`, `nemesis ${(s.nemesis || []).join(',') || 'none'}`, `seed ${s.seed}`];
    if (p.nodes) parts.push(`${p.nodes} nodes`);
    if (p.concurrency) parts.push(`${p.concurrency} clients`);
    if (p.bug) parts.push(`planted bug ${p.bug}`);
    return parts.join(' · ');
  }
  function header(model) {
    const h = el('header');
    h.appendChild(el('h1', {}, esc(data.title)));
    h.appendChild(el('div', { class: 'scenario' }, esc(scenarioLine(data.scenario)) + ` · ${model.ops.length} client ops · ${data.faults.length} faults · ${fmtDuration(model.endNs)} simulated` + (data.source ? ` · <span class="mono">${esc(data.source)}</span>` : '')));
    let rows = '<tr><th>claim</th><th>checker</th><th>verdict</th><th>summary</th></tr>';
    for (const claim of data.claims)
      rows += `<tr><td>${esc(claim.name)}</td><td class="mono">${esc(claim.checker)}</td><td>${verdictBadge(claim)}</td><td>${esc(claim.summary)}</td></tr>`;
    h.appendChild(el('table', { class: 'claims' }, rows));
    if (data.invariant_violation || data.aborted) {
      const a = data.aborted;
      let text = data.invariant_violation ? `<b>Invariant broken:</b> ${esc(data.invariant_violation)}` : '';
      if (a) text += `<br><b>The run aborted</b> (${esc(a.signal_name || a.signal)})${a.while_handling ? ' while handling: ' + esc(a.while_handling) : ''}<pre>${esc(a.stderr_tail || '')}</pre>`;
      h.appendChild(el('div', { class: 'box alert', id: 'invariant' }, text));
    }
    if (data.commands.length) {
      const box = el('div', { class: 'box commands' });
      for (const [what, line] of data.commands) box.appendChild(el('div', {}, `${esc(what)}: <code>${esc(line)}</code>`));
      h.appendChild(box);
    }
    return h;
  }

  // ---- the witness, drawn: the ops the evidence names on an axis of history positions ----
  // (line order is real-time order, Jepsen), so concurrency reads at a glance at any scale.
  function witnessOpsSvg(model, opsShown, roles, steps, width) {
    const positions = [];
    for (const op of opsShown) { positions.push(op.inv); if (op.cmp >= 0) positions.push(op.cmp); }
    const ranks = [...new Set(positions)].sort((a, b) => a - b);
    const rankOf = new Map(ranks.map((p, r) => [p, r]));
    const processes = [...new Set(opsShown.map((o) => o.p))].sort((a, b) => a - b);
    const lane = new Map(processes.map((p, i) => [p, i]));
    const step = clamp((width - kLeft - 60) / Math.max(1, ranks.length), 14, 90);
    const plotWidth = Math.max(width, kLeft + 60 + step * ranks.length);
    const laneH = 30, top = 18, height = top + processes.length * laneH + 10;
    const x = (index) => kLeft + 8 + rankOf.get(index) * step;
    let out = `<svg width="${plotWidth}" height="${height}" role="img" aria-label="the witness's operations">`;
    out += `<text x="${kLeft + 8}" y="12" class="muted">history order →</text>`;
    processes.forEach((p, i) => { out += `<text class="lanelabel" x="4" y="${top + i * laneH + 18}">process ${p}</text>`; });
    const stepCenter = new Map();
    const placed = new Set(steps.map((s) => s.op.i));  // ops that carry a step's number at their right end
    for (const op of opsShown) {
      const role = roles.get(op.i) || 'witness';
      const x0 = x(op.inv), x1 = op.cmp >= 0 && op.o < 2 ? x(op.cmp) : plotWidth - 10;
      const y = top + lane.get(op.p) * laneH + 4;
      const id = role === 'primary' ? ' id="witness-primary"' : '';
      out += `<g data-op="${op.i}"${id}><rect class="op ${OUTCOMES[op.o]} ${role === 'primary' ? 'primary-op' : ''}" x="${x0}" y="${y}" width="${Math.max(4, x1 - x0)}" height="20" rx="3"${op.o >= 2 ? ' opacity="0.55"' : ''}></rect>`;
      const v = data.values[op.i];
      const label = `#${op.inv} ${op.f} ${v[0] !== null ? json(v[0]) : ''}${op.o === 0 && json(v[1]) !== json(v[0]) ? '→' + json(v[1]) : ''}${op.node >= 0 ? ' @n' + op.node : ''}`;
      // A step's number sits at the right end of a completed op, at the left of an open one
      // (whose bar runs to the edge); the label makes room for it.
      const open = op.o >= 2, numbered = placed.has(op.i);
      const labelX = x0 + (numbered && open ? 20 : 4), labelWidth = x1 - x0 - (numbered ? 18 : 0);
      out += `<text class="oplabel" x="${labelX}" y="${y + 14}">${esc(label.slice(0, Math.max(3, Math.floor(labelWidth / 6))))}</text></g>`;
      stepCenter.set(op.i, { x: open ? x0 + 9 : Math.max(x0 + 7, x1 - 9), y: y + 10 });
    }
    // The partial order found: a numbered point on each op it placed, joined in order (Porcupine).
    let path = '', marks = '';
    steps.forEach((s) => {
      const c = stepCenter.get(s.op.i);
      if (!c) return;
      const cx = c.x, cy = c.y;
      path += (path ? ' L' : 'M') + cx + ' ' + cy;
      marks += `<circle class="linstep" cx="${cx}" cy="${cy}" r="7"></circle><text class="linstep-text" x="${cx}" y="${cy + 3.5}" text-anchor="middle">${s.number}</text>`;
    });
    if (path) out += `<path class="linpath" d="${path}"></path>` + marks;
    return out + '</svg>';
  }

  function attachOpTips(container, model, details) {
    container.addEventListener('mousemove', (e) => {
      const g = e.target.closest('[data-op]');
      if (!g) { hideTip(); return; }
      showTip(opRecord(model, model.ops[+g.getAttribute('data-op')]), e);
    });
    container.addEventListener('mouseleave', hideTip);
    if (details) container.addEventListener('click', (e) => {
      const g = e.target.closest('[data-op]');
      if (g) details.textContent = opRecord(model, model.ops[+g.getAttribute('data-op')]);
    });
  }

  function contextHtml(context) {
    if (!context) return '';
    let rows = '<tr><th>op</th><th>outcome</th><th>served by</th><th>when</th></tr>';
    const list = context.waited_for || context.ops;
    for (const op of list) {
      const served = op.served_by !== null ? `node ${op.served_by}${op.role ? ' (' + esc(op.role) + ')' : ''}` : op.addressed_node !== null ? `sent to node ${op.addressed_node}, no answer` : '—';
      rows += `<tr${op.primary ? ' class="failed"' : ''}><td class="mono">#${op.index} ${esc(op.f)} ${op.key !== null ? esc(op.key) : ''} ${op.value !== null ? esc(json(op.value)) : ''}${op.result !== undefined ? ' → ' + esc(json(op.result)) : ''}</td><td>${esc(op.outcome)}${op.error ? ' (' + esc(op.error) + ')' : ''}</td><td>${served}</td><td>${fmtTime(op.invoke_ns)}${op.completion_ns !== null ? ' .. ' + (op.completion_ns / 1e9).toFixed(3) + ' s' : ''}</td></tr>`;
    }
    let faults = context.faults.map((f) => `<span class="legend"><span><span class="sw" style="background:${faultColor(f.kind)}"></span>${esc(f.label)} (${(f.start_ns / 1e9).toFixed(3)} s .. ${f.ended ? (f.end_ns / 1e9).toFixed(3) + ' s' : 'end'})</span></span>`).join('');
    return `<h3>Context</h3><table>${rows}</table><div>Faults active during the witness (${fmtTime(context.window_ns[0])} .. ${(context.window_ns[1] / 1e9).toFixed(3)} s): ${faults || 'none'}</div>`;
  }

  function linearizablePanel(model, claim, box, width) {
    const e = claim.evidence;
    const roles = new Map();
    const shown = [];
    const add = (index, role) => {
      const op = model.byIndex.get(index);
      if (!op) return;
      if (!roles.has(op.i)) shown.push(op);
      if (!roles.has(op.i) || role === 'primary') roles.set(op.i, role);
    };
    const total = e.linearization_steps || 0, linearization = e.linearization || [];
    const steps = linearization.map((s, k) => ({ op: model.byIndex.get(s.op.index), state: s.state_after, number: total - linearization.length + k + 1 })).filter((s) => s.op);
    const drawnSteps = steps.slice(-12);
    for (const s of drawnSteps) add(s.op.inv, 'related');
    for (const w of e.window || []) add(w.index, 'witness');
    add(e.failing_op.index, 'primary');
    shown.sort((a, b) => a.inv - b.inv);
    const windowSize = (e.window || []).length;
    const windowText = windowSize ? `the ${windowSize} operation(s) still unordered at that point are the window` : 'no other operation was still unordered at that point';
    const orderText = total ? `The numbered points are the longest partial order the search found (${total} operations; the last ${drawnSteps.length} drawn), joined in the order they take effect.` : 'The search could place no operation before it: it is impossible from the initial state.';
    box.appendChild(el('p', {}, `The operation no order of the others can explain is drawn in red; ${windowText}. ${orderText}`));
    const holder = el('div', { class: 'chart', style: 'overflow-x:auto' }, witnessOpsSvg(model, shown, roles, drawnSteps, width));
    box.appendChild(holder);
    attachOpTips(holder, model, null);
    const sources = new Map((e.state_sources || []).map((s) => [json(s.state), s]));
    let states = `<h3>Model states possible just before #${e.failing_op.index} (${e.distinct_states_before})</h3><div class="states">`;
    for (const state of e.states_before) {
      const source = sources.get(json(state));
      let origin = '';
      if (source) origin = [source.initial ? 'the initial state' : '', ...source.writes.map((w) => { const op = model.byIndex.get(w); return `#${w}${op ? ' (' + OUTCOMES[op.o] + (op.node >= 0 ? ', node ' + op.node : '') + ')' : ''}`; })].filter(Boolean).join(', ');
      states += `<span class="state mono">${esc(json(state))}</span>${origin ? '<span class="muted">from ' + esc(origin) + '</span> ' : ''}`;
    }
    box.appendChild(el('div', {}, states + '</div>'));
    if (steps.length) {
      let rows = '<tr><th>step</th><th>operation</th><th>state after</th></tr>';
      for (const s of steps.slice(-20)) rows += `<tr><td class="num">${s.number}</td><td class="mono">${esc(opSummary(s.op))}</td><td class="mono">${esc(json(s.state))}</td></tr>`;
      box.appendChild(el('details', {}, `<summary>The partial order, step by step (last ${Math.min(20, steps.length)} of ${total})</summary><table>${rows}</table>`));
    }
  }

  // Other checkers: the ops the evidence names, and its own rows (docs/checkers/*.md, "Evidence").
  function evidenceRows(claim) {
    const e = claim.evidence || {};
    const rows = [];
    const family = claim.family;
    if (family === 'set-full') {
      for (const x of (e.lost && e.lost.elements) || []) rows.push(['lost', `element ${json(x.element)} of ${x.key === null ? 'the set' : x.key}: added by #${x.add.index} (${x.add.outcome}), known at #${x.known_at}, last seen by ${x.last_seen_by === null ? 'no read' : '#' + x.last_seen_by}, absent from #${x.absent_from} and ${x.absent_reads - 1} later read(s)`]);
      for (const x of (e.unexpected && e.unexpected.elements) || []) rows.push(['unexpected', `element ${json(x.element)} of ${x.key === null ? 'the set' : x.key} read by #${x.read} (${x.reads} read(s)) but never added before it`]);
      for (const x of (e.stale && e.stale.elements) || []) rows.push(['stale', `element ${json(x.element)}: known at #${x.known_at}, missed until #${x.stable_from} (${x.latency_ms} ms)`]);
    } else if (family === 'counter') {
      for (const r of (e.violations && e.violations.reads) || []) rows.push(['read out of bounds', `#${r.read} ${r.key === null ? '' : r.key} read ${r.value}, possible values [${r.lower}, ${r.upper}]${r.final ? ' (a final read)' : ''}`]);
      for (const f of e.final_reads || []) if (!f.agree || !f.acceptable) rows.push(['final reads', `${f.key === null ? 'the counter' : f.key}: ${f.values.map((v) => json(v.value) + ' by nodes ' + v.nodes.join(',') + (v.acceptable ? '' : ' (not acceptable)')).join('; ')}`]);
    } else if (family === 'session') {
      for (const g of e.guarantees || []) if (g.verdict === 'violated') rows.push([g.guarantee, `${g.violation_count} violation(s); first: ${g.first_violation.story} (expected ${g.first_violation.expected}, seen ${g.first_violation.seen})`]);
      for (const a of e.anomalies || []) rows.push([a.kind, a.explanation]);
    } else if (family === 'convergence') {
      for (const k of e.keys || []) {
        if (k.values_by_node && k.values_by_node.length > 1) rows.push(['diverged', `${k.key}: ` + k.values_by_node.map((v) => `nodes ${v.nodes.join(',')} read ${json(v.value)} (#${v.read})`).join('; ')]);
        if (k.lost && k.lost.count > 0) rows.push(['lost', `${k.key}: ${k.lost.count} acknowledged update(s) missing: ` + k.lost.ops.map((o) => `#${o.index} ${o.f} ${json(o.value)}`).join(', ')]);
      }
    } else if (family === 'staleness') {
      for (const r of (e.beyond_bounds && e.beyond_bounds.first) || []) rows.push(['beyond the bound', r.story]);
    } else if (family === 'availability') {
      if (e.worst) rows.push(['worst window', `${(e.worst.start_ns / 1e9).toFixed(3)} s .. ${(e.worst.end_ns / 1e9).toFixed(3)} s, side ${json(e.worst.nodes)}: ${(e.worst.fraction * 100).toFixed(1)}% available`]);
    } else if (family === 'liveness') {
      for (const u of e.unanswered || []) rows.push(['unanswered', `#${u.invoke}${u.completion === null ? ' never completed' : ' ended without an answer at #' + u.completion}`]);
    }
    return rows;
  }

  function genericPanel(model, claim, box, width) {
    const rows = evidenceRows(claim);
    if (rows.length) box.appendChild(el('table', {}, rows.slice(0, 20).map(([what, text]) => `<tr><td><b>${esc(what)}</b></td><td>${esc(text)}</td></tr>`).join('')));
    const roles = new Map(), shown = [];
    for (const index of claim.focus.ops) {
      const op = model.byIndex.get(index);
      if (op && !roles.has(op.i)) { roles.set(op.i, 'witness'); shown.push(op); }
    }
    const primary = claim.focus.primary !== null ? model.byIndex.get(claim.focus.primary) : null;
    if (primary) { if (!roles.has(primary.i)) shown.push(primary); roles.set(primary.i, 'primary'); }
    shown.sort((a, b) => a.inv - b.inv);
    const drawn = shown.length > 40 && primary ? shown.filter((o) => Math.abs(o.inv - primary.inv) < 400).slice(0, 40) : shown.slice(0, 40);
    if (primary && !drawn.includes(primary)) drawn.push(primary);
    if (drawn.length) {
      box.appendChild(el('p', {}, `The operations the evidence names${drawn.length < shown.length ? ` (${drawn.length} of ${shown.length} near the one at fault)` : ''}; the one at fault in red.`));
      const holder = el('div', { class: 'chart', style: 'overflow-x:auto' }, witnessOpsSvg(model, drawn, roles, [], width));
      box.appendChild(holder);
      attachOpTips(holder, model, null);
    }
  }

  function witnessSection(model, width) {
    const claims = data.claims.filter((c) => c.verdict !== 'valid' && c.claimed);
    const notClaimed = data.claims.filter((c) => c.verdict === 'invalid' && !c.claimed);
    if (!claims.length && !notClaimed.length) return null;
    const s = section('witness', claims.some((c) => c.verdict === 'invalid') ? 'The violation' : 'Undecided claims');
    for (const claim of [...claims, ...notClaimed]) {
      const box = el('div', { class: 'box' + (claim.verdict === 'invalid' && claim.claimed ? ' alert' : ''), 'data-claim': claim.name });
      box.appendChild(el('h3', {}, `${esc(claim.name)} ${verdictBadge(claim)} <span class="muted mono">${esc(claim.checker)}</span>`));
      box.appendChild(el('p', {}, esc(claim.summary)));
      if (claim.verdict === 'invalid' && claim.family === 'linearizable' && claim.evidence && claim.evidence.failing_op) linearizablePanel(model, claim, box, width);
      else if (claim.focus && claim.focus.ops.length) genericPanel(model, claim, box, width);
      box.insertAdjacentHTML('beforeend', contextHtml(claim.context));
      if (claim.text) box.appendChild(el('details', { class: 'witness-text' }, `<summary>The checker's own text</summary><pre>${esc(claim.text)}</pre>`));
      box.appendChild(el('details', {}, `<summary>The evidence as JSON</summary><pre>${esc(JSON.stringify(claim.evidence, null, 1).slice(0, 20000))}</pre>`));
      s.appendChild(box);
    }
    return s;
  }

  // ---- the timeline: a lane per process, faults shaded, node states above ----
  function nodeStates(model) {
    const states = [];  // per node: [{start, end, kind, label}]
    for (let n = 0; n < model.nodeCount; ++n) states.push([]);
    for (const f of data.faults) for (const n of f.nodes) if (n < model.nodeCount) states[n].push(f);
    return states;
  }
  function faultLegend(kinds) {
    const legend = el('div', { class: 'legend' });
    legend.innerHTML = '<span><span class="sw" style="background:var(--ok)"></span>ok</span><span><span class="sw" style="background:var(--fail)"></span>fail</span><span><span class="sw" style="background:var(--info)"></span>info / never completed (open-ended)</span><span><span class="sw" style="background:#fff;border:2px solid var(--bad)"></span>op at fault</span><span><span class="sw" style="background:#fff;border:2px solid #1f3a93"></span>named by the witness</span>' +
      [...kinds].map((k) => `<span><span class="sw" style="background:${faultColor(k)};opacity:.6"></span>${esc(k)}</span>`).join('');
    return legend;
  }

  function timelineSection(model, marks) {
    const s = section('timeline', 'Timeline');
    const [start, end] = initialWindow(model, marks.focus);
    const view = new TimeView(start, end, 0, model.endNs);
    const kinds = new Set(data.faults.map((f) => f.kind));
    s.appendChild(zoomButtons(view, marks.focus ? [['witness', 'zoom to the witness', () => { const w = initialWindow(model, marks.focus); view.set(w[0], w[1]); }]] : []));
    s.appendChild(faultLegend(kinds));
    s.appendChild(el('p', { class: 'muted' }, 'Above: each node, shaded while a fault takes it away (down, paused, cut off), ticks where it served ops (blue as leader or primary). Below: one lane per client process, each op a bar from invoke to completion. Hover or focus an op for its record; click to keep it below.'));
    const chart = el('div', { class: 'chart', tabindex: '0', 'aria-label': 'timeline; + and - zoom, arrows pan' });
    const head = el('div');
    const lanesBox = el('div', { class: 'lanes' });
    chart.appendChild(head);
    chart.appendChild(lanesBox);
    s.appendChild(chart);
    const details = el('pre', { class: 'details', 'aria-live': 'polite' }, 'Click an op to keep its record here.');
    s.appendChild(details);
    const states = nodeStates(model);
    const plotWidth = () => Math.max(200, chart.clientWidth - kLeft - kRight);
    const X = (t) => kLeft + (t - view.start) / (view.end - view.start) * plotWidth();
    let frame = 0;
    const schedule = () => { if (!frame) frame = requestAnimationFrame(() => { frame = 0; render(); }); };
    view.listeners.push(schedule);
    lanesBox.addEventListener('scroll', schedule);
    window.addEventListener('resize', schedule);
    attachZoom(chart, view, plotWidth);
    attachOpTips(chart, model, details);
    chart.addEventListener('focusin', (e) => {
      const g = e.target.closest && e.target.closest('[data-op]');
      if (g) details.textContent = opRecord(model, model.ops[+g.getAttribute('data-op')]);
    });
    function faultBands(y, height, withLabels) {
      let out = '';
      for (const f of data.faults) {
        if (f.end_ns < view.start || f.start_ns > view.end) continue;
        const x0 = clamp(X(f.start_ns), kLeft, kLeft + plotWidth()), x1 = clamp(X(f.end_ns), kLeft, kLeft + plotWidth());
        const color = faultColor(f.kind);
        out += `<rect class="fault" x="${x0}" y="${y}" width="${Math.max(1, x1 - x0)}" height="${height}" fill="${color}"><title>${esc(f.label)}</title></rect>`;
        out += `<line class="faultedge" x1="${X(f.start_ns)}" x2="${X(f.start_ns)}" y1="${y}" y2="${y + height}" stroke="${color}"></line>`;
        if (withLabels && x1 - x0 > 60) out += `<text x="${x0 + 3}" y="${y + 10}" fill="${color}" style="fill:${color}">${esc(f.label.slice(0, Math.floor((x1 - x0) / 6)))}</text>`;
      }
      return out;
    }
    function renderHead(width) {
      const rowH = 14, top = 34, height = top + model.nodeCount * rowH + 6;
      let out = `<svg width="${width}" height="${height}" data-view-start="${view.start}" data-view-end="${view.end}">`;
      out += axisSvg(view, width, 0, height) + faultBands(14, 16, true);
      const served = [];
      for (let n = 0; n < model.nodeCount; ++n) served.push(new Map());
      const w = plotWidth();
      for (const op of model.ops) {
        if (op.node < 0 || op.t1 < view.start || op.t1 > view.end || op.node >= model.nodeCount) continue;
        const column = Math.floor((op.t1 - view.start) / (view.end - view.start) * w / 2);
        const leading = op.role === 'leader' || op.role === 'primary';
        if (!served[op.node].has(column) || leading) served[op.node].set(column, leading);
      }
      for (let n = 0; n < model.nodeCount; ++n) {
        const y = top + n * rowH;
        out += `<text class="lanelabel" x="4" y="${y + 10}">node ${n}</text><line class="grid" x1="${kLeft}" x2="${width - kRight}" y1="${y + rowH - 1}" y2="${y + rowH - 1}"></line>`;
        for (const f of states[n]) {
          if (f.end_ns < view.start || f.start_ns > view.end) continue;
          const x0 = clamp(X(f.start_ns), kLeft, kLeft + w), x1 = clamp(X(f.end_ns), kLeft, kLeft + w);
          out += `<rect class="nodestate" x="${x0}" y="${y + 1}" width="${Math.max(1, x1 - x0)}" height="${rowH - 3}" fill="${faultColor(f.kind)}"><title>${esc(f.label)}</title></rect>`;
        }
        for (const [column, leading] of served[n]) out += `<rect x="${kLeft + column * 2}" y="${y + 3}" width="1.5" height="${rowH - 7}" fill="${leading ? '#1f4fa3' : '#9aa3af'}"></rect>`;
      }
      head.innerHTML = out + '</svg>';
    }
    function renderLanes(width) {
      const laneCount = model.processes.length, height = laneCount * kLaneHeight + 4;
      const firstLane = Math.max(0, Math.floor(lanesBox.scrollTop / kLaneHeight) - 2);
      const lastLane = Math.min(laneCount - 1, Math.ceil((lanesBox.scrollTop + (lanesBox.clientHeight || 400)) / kLaneHeight) + 2);
      const w = plotWidth();
      let visible = 0;
      const ranges = [];
      for (let lane = firstLane; lane <= lastLane; ++lane) {
        const ops = model.lanes[lane];
        const from = lowerBound(ops, (op) => model.opEnd(op) >= view.start);
        const to = lowerBound(ops, (op) => op.t0 > view.end);
        ranges.push([lane, from, to]);
        visible += Math.max(0, to - from);
      }
      const detailed = visible <= kDetailLimit;
      let out = `<svg width="${width}" height="${height}" class="${detailed ? 'detailed' : 'aggregated'}" data-visible-ops="${visible}">`;
      out += '<defs><linearGradient id="fade" x1="0" x2="1"><stop offset="0" stop-color="#8a8f98" stop-opacity=".45"></stop><stop offset="1" stop-color="#8a8f98" stop-opacity="0"></stop></linearGradient></defs>';
      out += faultBands(0, height, false);
      const marked = [];
      for (const [lane, from, to] of ranges) {
        const y = lane * kLaneHeight;
        out += `<text class="lanelabel" x="4" y="${y + 11}">p${model.processes[lane]}</text>`;
        if (detailed) {
          for (let k = from; k < to; ++k) {
            const op = model.lanes[lane][k];
            if (marks.marks.has(op.i)) { marked.push([op, y]); continue; }
            out += opBar(op, y, false);
          }
        } else {
          out += aggregatedLane(model.lanes[lane], from, to, y, w);
          for (let k = from; k < to; ++k) if (marks.marks.has(model.lanes[lane][k].i)) marked.push([model.lanes[lane][k], y]);
        }
      }
      for (const [op, y] of marked) out += opBar(op, y, true);
      lanesBox.innerHTML = out + '</svg>';
      lanesBox.firstChild.style.height = height + 'px';
    }
    function opBar(op, y, marked) {
      const w = plotWidth();
      const x0 = X(op.t0), x1 = X(model.opEnd(op));
      const left = Math.max(x0, kLeft - 2), right = Math.min(Math.max(x1, x0 + 2), kLeft + w + 2);
      const role = marks.marks.get(op.i) || '';
      let out = `<g data-op="${op.i}" tabindex="0"${role === 'primary' ? ' id="timeline-primary"' : ''}>`;
      out += `<rect class="op ${OUTCOMES[op.o]} ${role}" x="${left}" y="${y + 2}" width="${Math.max(2, right - left)}" height="${kLaneHeight - 5}" rx="2"></rect>`;
      if (op.o >= 2) out += `<rect class="tail" x="${right}" y="${y + 4}" width="${Math.max(0, Math.min(120, kLeft + w - right))}" height="${kLaneHeight - 9}"></rect>`;
      if (right - left > 46) {
        const v = data.values[op.i];
        const label = `${op.f} ${op.key !== null ? op.key : ''} ${v[0] !== null ? json(v[0]) : ''}${op.o === 0 && json(v[1]) !== json(v[0]) ? '→' + json(v[1]) : ''}`;
        out += `<text class="oplabel" x="${left + 3}" y="${y + 11}">${esc(label.slice(0, Math.floor((right - left - 4) / 5.6)))}</text>`;
      }
      return out + '</g>';
    }
    // Level of detail: each 2-pixel column of a lane takes the worst outcome of its ops
    // (info over fail over ok), and equal neighbouring columns become one rect.
    function aggregatedLane(ops, from, to, y, w) {
      const columns = new Int8Array(Math.ceil(w / 2) + 1).fill(-1);
      const rank = [0, 1, 2, 2];
      for (let k = from; k < to; ++k) {
        const op = ops[k];
        const c0 = clamp(Math.floor((X(op.t0) - kLeft) / 2), 0, columns.length - 1);
        const c1 = clamp(Math.floor((X(model.opEnd(op)) - kLeft) / 2), 0, columns.length - 1);
        for (let c = c0; c <= c1; ++c) columns[c] = Math.max(columns[c], rank[op.o]);
      }
      let out = '';
      for (let c = 0; c < columns.length;) {
        let e = c + 1;
        while (e < columns.length && columns[e] === columns[c]) ++e;
        if (columns[c] >= 0) out += `<rect class="agg ${OUTCOMES[columns[c]]}" x="${kLeft + c * 2}" y="${y + 3}" width="${(e - c) * 2}" height="${kLaneHeight - 7}"></rect>`;
        c = e;
      }
      return out;
    }
    function render() {
      const width = Math.max(300, chart.clientWidth);
      renderHead(width);
      renderLanes(width);
    }
    s.scrollToPrimary = () => {
      if (!marks.primary) return;
      const lane = model.laneOf.get(marks.primary.p);
      lanesBox.scrollTop = Math.max(0, lane * kLaneHeight - lanesBox.clientHeight / 2);
    };
    s.render = render;
    s.view = view;
    return s;
  }

  // ---- the message (Lamport) diagram ----
  function messagesSection(model, marks) {
    const s = section('messages', 'Messages');
    const m = data.messages;
    if (!m) {
      s.appendChild(el('p', { class: 'muted' }, 'No messages were recorded for this run (run it with --record-messages, or a failing run writes them).'));
      return s;
    }
    const S = data.strings;
    const items = m.items.map((a, k) => ({ k, id: a[0], from: a[1], to: a[2], sent: a[3], ended: a[4], fate: S[a[5]], type: S[a[6]], dup: a[7] === 1 }));
    const header = m.header;
    const nodeCount = Math.max(model.nodeCount, header.node_count || 0);
    const hasClients = items.some((x) => x.from >= nodeCount || x.to >= nodeCount);
    const hasOperator = items.some((x) => x.from === -2);
    const lanes = [];
    for (let n = 0; n < nodeCount; ++n) lanes.push(`node ${n}`);
    if (hasClients) lanes.push('clients');
    if (hasOperator) lanes.push('operator');
    const laneOf = (endpoint) => (endpoint === -2 ? lanes.length - 1 : endpoint >= nodeCount ? nodeCount : endpoint);
    const types = new Map();
    for (const x of items) types.set(x.type, (types.get(x.type) || 0) + 1);
    const shown = new Set(types.keys());
    s.appendChild(el('p', { class: 'muted' }, `${header.written} of the ${header.recorded} messages the run sent${header.whole_run ? ' (all of them)' : header.near_witness ? ', those around the witness' : ', the first it sent'}. One lane per node${hasClients ? ', one for every client' : ''}; each arrow a message from its send to its delivery; red dashed with × where it was dropped (a cut link, loss, a node down). Hover an arrow for its content.`));
    let start, end;
    if (marks.primary) {
      const p = marks.primary, d = Math.max(model.opEnd(p) - p.t0, 2e6);
      start = p.t0 - d; end = model.opEnd(p) + d;
    } else if (items.length) { start = items[0].sent; end = Math.min(items[items.length - 1].sent, start + 50e6); }
    else { start = 0; end = model.endNs; }
    const limitStart = items.length ? Math.min(...items.map((x) => x.sent)) : 0;
    const limitEnd = items.length ? Math.max(...items.map((x) => (x.ended >= 0 ? x.ended : x.sent))) : model.endNs;
    const view = new TimeView(start, end, Math.min(limitStart, start), Math.max(limitEnd, end));
    s.appendChild(zoomButtons(view, marks.primary ? [['the op at fault', 'around the op at fault', () => view.set(start, end)]] : []));
    const filters = el('div', { class: 'filters toolbar' }, 'types: ');
    for (const [type, count] of [...types.entries()].sort()) {
      const label = el('label', {}, `<input type="checkbox" checked data-type="${esc(type)}"> ${esc(type)} (${count})`);
      filters.appendChild(label);
    }
    filters.addEventListener('change', (e) => {
      const type = e.target.getAttribute('data-type');
      if (e.target.checked) shown.add(type); else shown.delete(type);
      schedule();
    });
    s.appendChild(filters);
    const chart = el('div', { class: 'chart', tabindex: '0', 'aria-label': 'message diagram; + and - zoom, arrows pan' });
    s.appendChild(chart);
    const plotWidth = () => Math.max(200, chart.clientWidth - kLeft - kRight);
    attachZoom(chart, view, plotWidth);
    let frame = 0;
    const schedule = () => { if (!frame) frame = requestAnimationFrame(() => { frame = 0; render(); }); };
    view.listeners.push(schedule);
    window.addEventListener('resize', schedule);
    chart.addEventListener('mousemove', (e) => {
      const a = e.target.closest('[data-message]');
      if (!a) { hideTip(); return; }
      const x = items[+a.getAttribute('data-message')];
      showTip(`${x.type}: ${x.from === -2 ? 'operator' : x.from < nodeCount ? 'node ' + x.from : 'client endpoint ' + x.from} → ${x.to < nodeCount ? 'node ' + x.to : 'client endpoint ' + x.to}\nsent ${fmtTime(x.sent)}, ${x.fate.replace('_', ' ')}${x.ended >= 0 ? ' ' + fmtTime(x.ended) + ' (after ' + fmtDuration(x.ended - x.sent) + ')' : ''}${x.dup ? ', a duplicate' : ''}\n${JSON.stringify(m.bodies[x.k])}`, e);
    });
    chart.addEventListener('mouseleave', hideTip);
    function render() {
      const width = Math.max(300, chart.clientWidth), w = plotWidth();
      const laneGap = 46, top = 30, height = top + (lanes.length - 1) * laneGap + 30;
      const X = (t) => kLeft + (t - view.start) / (view.end - view.start) * w;
      const Y = (lane) => top + lane * laneGap;
      let out = '', arrows = 0;
      out += axisSvg(view, width, 0, height);
      for (const f of data.faults) {
        if (f.end_ns < view.start || f.start_ns > view.end) continue;
        const x0 = clamp(X(f.start_ns), kLeft, kLeft + w), x1 = clamp(X(f.end_ns), kLeft, kLeft + w);
        out += `<rect class="fault" x="${x0}" y="14" width="${Math.max(1, x1 - x0)}" height="${height - 14}" fill="${faultColor(f.kind)}"><title>${esc(f.label)}</title></rect>`;
        for (const n of f.nodes) if (n < nodeCount) out += `<rect class="nodestate" x="${x0}" y="${Y(n) - 3}" width="${Math.max(1, x1 - x0)}" height="6" fill="${faultColor(f.kind)}"><title>${esc(f.label)}</title></rect>`;
      }
      if (marks.primary) {
        const p = marks.primary;
        out += `<rect class="focusband" x="${clamp(X(p.t0), kLeft, kLeft + w)}" y="14" width="${Math.max(2, clamp(X(model.opEnd(p)), kLeft, kLeft + w) - clamp(X(p.t0), kLeft, kLeft + w))}" height="${height - 14}"><title>${esc(opSummary(p))}</title></rect>`;
      }
      lanes.forEach((name, lane) => { out += `<line class="lamportlane" x1="${kLeft}" x2="${kLeft + w}" y1="${Y(lane)}" y2="${Y(lane)}"></line><text class="lanelabel" x="4" y="${Y(lane) + 4}">${name}</text>`; });
      for (const x of items) {
        if (!shown.has(x.type)) continue;
        const ended = x.ended >= 0 ? x.ended : view.end;
        if (x.sent > view.end || ended < view.start) continue;
        const y0 = Y(laneOf(x.from)), y1full = Y(laneOf(x.to));
        const x0 = X(x.sent);
        let x1 = X(ended), y1 = y1full;
        if (x.fate === 'dropped_loss') { x1 = x0 + 8; y1 = y0 + (y1full - y0) * 0.35; }
        const client = x.from >= nodeCount || x.to >= nodeCount ? ' client' : '';
        const delivered = x.fate === 'delivered';
        out += `<g data-message="${x.k}"><line class="arrow ${x.fate}${client}" x1="${x0}" y1="${y0}" x2="${x1}" y2="${y1}"${delivered ? ' marker-end="url(#head)"' : ''}></line>`;
        if (x.fate.startsWith('dropped')) out += `<path class="drop" d="M${x1 - 4} ${y1 - 4} L${x1 + 4} ${y1 + 4} M${x1 - 4} ${y1 + 4} L${x1 + 4} ${y1 - 4}"></path>`;
        out += '</g>';
        ++arrows;
      }
      chart.innerHTML = `<svg width="${width}" height="${height}" data-view-start="${view.start}" data-view-end="${view.end}" data-arrows="${arrows}"><defs><marker id="head" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L8 4 L0 8 z" fill="#3c4a60"></path></marker></defs>${out}</svg>`;
    }
    s.render = render;
    return s;
  }

  // ---- plots: latency and throughput over the run, availability per fault window ----
  function plotFrame(width, height, yTicks, yLabel) {
    let out = `<svg width="${width}" height="${height}">`;
    for (const [y, label] of yTicks) out += `<line class="grid" x1="${kLeft}" x2="${width - kRight}" y1="${y}" y2="${y}"></line><text class="lanelabel" x="${kLeft - 6}" y="${y + 3}" text-anchor="end">${label}</text>`;
    out += `<text class="lanelabel" x="4" y="12">${yLabel}</text>`;
    return out;
  }
  function plotFaults(view, width, top, height) {
    const w = width - kLeft - kRight;
    let out = '';
    for (const f of data.faults) {
      const x0 = kLeft + f.start_ns / view.end * w, x1 = kLeft + f.end_ns / view.end * w;
      out += `<rect class="fault" x="${x0}" y="${top}" width="${Math.max(1, x1 - x0)}" height="${height}" fill="${faultColor(f.kind)}"><title>${esc(f.label)}</title></rect>`;
    }
    return out;
  }
  function plotsSection(model) {
    const s = section('plots', 'Latency, throughput and availability');
    const width = Math.max(600, Math.min(1440, app.clientWidth - 8));
    const view = { start: 0, end: model.endNs };
    const fs = [...new Set(model.ops.map((o) => o.f))].sort();
    const color = new Map(fs.map((f, k) => [f, PALETTE[k % PALETTE.length]]));
    // Latency, log scale; one point per pixel cell and series.
    const done = model.ops.filter((o) => o.t1 >= 0);
    const latencies = done.map((o) => Math.max(1e-3, (o.t1 - o.t0) / 1e6));
    const lo = Math.pow(10, Math.floor(Math.log10(Math.min(...latencies, 1)))), hi = Math.pow(10, Math.ceil(Math.log10(Math.max(...latencies, 10))));
    const height = 240, top = 10, bottom = height - 22, w = width - kLeft - kRight;
    const Y = (ms) => bottom - (Math.log10(ms) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) * (bottom - top);
    const ticks = [];
    for (let d = lo; d <= hi; d *= 10) ticks.push([Y(d), d >= 1000 ? d / 1000 + ' s' : d + ' ms']);
    let out = plotFrame(width, height, ticks, 'latency (log)') + plotFaults(view, width, top, bottom - top) + axisSvg(view, width, bottom, 1).replace(/y1="[^"]*" y2="[^"]*"/g, `y1="${bottom}" y2="${bottom + 4}"`);
    const seen = new Set();
    let points = 0;
    done.forEach((o, k) => {
      const x = kLeft + o.t0 / model.endNs * w, y = Y(latencies[k]);
      const cell = `${o.f}|${o.o}|${Math.round(x / 2)}|${Math.round(y / 2)}`;
      if (seen.has(cell)) return;
      seen.add(cell);
      ++points;
      const c = color.get(o.f);
      if (o.o === 0) out += `<circle class="point" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="2" fill="${c}"></circle>`;
      else if (o.o === 1) out += `<rect class="point" x="${(x - 2).toFixed(1)}" y="${(y - 2).toFixed(1)}" width="4" height="4" fill="${c}" opacity=".7"></rect>`;
      else out += `<path class="xmark" d="M${x - 3} ${y - 3} L${x + 3} ${y + 3} M${x - 3} ${y + 3} L${x + 3} ${y - 3}" stroke="${c}"></path>`;
    });
    s.appendChild(el('h3', {}, 'Latency over time, per operation (log scale)'));
    s.appendChild(el('div', { class: 'legend' }, fs.map((f) => `<span><span class="sw" style="background:${color.get(f)}"></span>${esc(f)}</span>`).join('') + '<span>● ok</span><span>■ fail</span><span>× info (timed out or unknown)</span>'));
    s.appendChild(el('div', { class: 'chart', id: 'latency-plot', 'data-points': points }, out + '</svg>'));
    // Throughput: completions per second in ~120 buckets, by outcome.
    const buckets = 120, size = model.endNs / buckets;
    const counts = [[], [], []].map(() => new Array(buckets).fill(0));
    for (const o of done) counts[Math.min(2, o.o)][Math.min(buckets - 1, Math.floor(o.t1 / size))] += 1;
    const rates = counts.map((row) => row.map((c) => c / (size / 1e9)));
    const peak = Math.max(1, ...rates.flat());
    const step = niceStep(peak, 4), theight = 180, tbottom = theight - 22;
    const TY = (r) => tbottom - r / (Math.ceil(peak / step) * step) * (tbottom - top);
    const tticks = [];
    for (let r = 0; r <= Math.ceil(peak / step) * step; r += step) tticks.push([TY(r), r.toFixed(0)]);
    let t = plotFrame(width, theight, tticks, 'ops/s') + plotFaults(view, width, top, tbottom - top) + axisSvg(view, width, tbottom, 1).replace(/y1="[^"]*" y2="[^"]*"/g, `y1="${tbottom}" y2="${tbottom + 4}"`);
    ['var(--ok)', 'var(--fail)', 'var(--info)'].forEach((stroke, outcome) => {
      const d = rates[outcome].map((r, k) => `${k ? 'L' : 'M'}${(kLeft + (k + 0.5) / buckets * w).toFixed(1)} ${TY(r).toFixed(1)}`).join(' ');
      t += `<path d="${d}" fill="none" stroke="${stroke}" stroke-width="1.6"></path>`;
    });
    s.appendChild(el('h3', {}, 'Throughput over time (completions per second)'));
    s.appendChild(el('div', { class: 'legend' }, '<span><span class="sw" style="background:var(--ok)"></span>ok</span><span><span class="sw" style="background:var(--fail)"></span>fail</span><span><span class="sw" style="background:var(--info)"></span>info</span>'));
    s.appendChild(el('div', { class: 'chart', id: 'throughput-plot' }, t + '</svg>'));
    // Availability per fault window.
    let rows = '<tr><th>window</th><th>faults active</th><th class="num">ops</th><th class="num">ok</th><th class="num">fail</th><th class="num">info</th><th>ok fraction</th></tr>';
    for (const win of data.windows) {
      const fraction = win.ops ? win.ok / win.ops : 1;
      rows += `<tr><td>${(win.start_ns / 1e9).toFixed(3)} s .. ${(win.end_ns / 1e9).toFixed(3)} s</td><td>${win.faults.length ? win.faults.map(esc).join('; ') : '<span class="muted">none</span>'}</td><td class="num">${win.ops}</td><td class="num">${win.ok}</td><td class="num">${win.fail}</td><td class="num">${win.info}</td><td>${win.ops ? `<span class="bar${fraction < 0.5 ? ' bad' : ''}" style="width:${(fraction * 120).toFixed(0)}px"></span> ${(fraction * 100).toFixed(1)}%` : '—'}</td></tr>`;
    }
    s.appendChild(el('h3', {}, 'Availability per fault window (ops by the window their invoke lies in)'));
    s.appendChild(el('table', { id: 'availability' }, rows));
    return s;
  }

  function renderRun() {
    const model = runModel();
    const marks = witnessMarks(model);
    const nav = el('nav', { class: 'toc' }, ['witness', 'timeline', 'messages', 'plots'].map((id) => `<a href="#${id}">${id === 'witness' ? 'the violation' : id}</a>`).join(''));
    document.body.insertBefore(nav, app);
    const main = el('main');
    app.appendChild(main);
    main.appendChild(header(model));
    const width = Math.max(600, Math.min(1440, app.clientWidth - 60));
    const witness = witnessSection(model, width);
    if (witness) main.appendChild(witness); else nav.querySelector('a[href="#witness"]').remove();
    const timeline = timelineSection(model, marks);
    main.appendChild(timeline);
    const messages = messagesSection(model, marks);
    main.appendChild(messages);
    main.appendChild(plotsSection(model));
    timeline.render();
    timeline.scrollToPrimary();
    if (messages.render) messages.render();
    // The page opens at the witness, zoomed to it.
    if (witness) witness.scrollIntoView({ block: 'start' });
    document.body.setAttribute('data-ready', 'true');
  }

  // ---- a campaign's index page ----
  function renderCampaign() {
    const main = el('main');
    app.appendChild(main);
    main.appendChild(el('h1', {}, esc(data.title)));
    const t = data.totals;
    main.appendChild(el('div', { class: 'scenario' }, `${esc(scenarioLine(Object.assign({ seed: data.seeds ? data.seeds.first + '..' + data.seeds.last : '?' }, data.scenario)))} · ${t.seeds_run} of ${t.seeds_planned} seeds run: ${t.seeds_failed} failed, ${t.seeds_unknown} undecided · ${t.client_ops} client ops · ${(t.wall_time_ms / 1000).toFixed(1)} s of seed time · <span class="mono">${esc(data.dir)}</span>`));
    let rows = '<tr><th>claim</th><th class="num">held</th><th class="num">violated</th><th class="num">unknown</th><th>failing seeds</th></tr>';
    for (const c of data.claims)
      rows += `<tr class="${c.violated ? 'failed' : 'passed'}"><td>${esc(c.claim)}${c.claimed ? '' : ' <span class="muted">(not claimed)</span>'}</td><td class="num">${c.held}</td><td class="num">${c.violated}</td><td class="num">${c.claim === 'invariants' ? '—' : c.unknown}</td><td>${c.failing_seeds.slice(0, 12).join(' ')}${c.failing_seeds.length > 12 ? ' …' : ''}</td></tr>`;
    const s1 = section('verdicts', 'Verdicts per claim');
    s1.appendChild(el('table', { id: 'tallies' }, rows));
    main.appendChild(s1);
    const links = new Map(data.failing.map((f) => [f.seed, f]));
    const records = [...data.per_seed].sort((a, b) => (links.has(b.seed) - links.has(a.seed)) || a.seed - b.seed);
    const s2 = section('seeds', `Seeds (${records.length}; failing first)`);
    const table = el('table', { id: 'seed-table' });
    const head = '<tr><th>seed</th><th>result</th><th class="num">ops</th><th class="num">faults</th><th class="num">wall</th><th>inspect</th></tr>';
    const row = (r) => {
      const f = links.get(r.seed);
      const verdicts = r.claims.map((c) => `${esc(c.claim)} ${verdictBadge({ claimed: c.claimed, verdict: c.verdict })}`).join(' ');
      let result = verdicts + (r.invariant_violation ? `<div class="mono">invariant: ${esc(r.invariant_violation)}</div>` : '');
      if (r.crash) result += `<div><b>the seed's process died</b> (${esc(r.crash.signal ? 'signal ' + r.crash.signal : 'exit ' + r.crash.exit_code)})${f && f.assertion ? ': <span class="mono">' + esc(f.assertion) + '</span>' : ''}</div>`;
      let inspect = '';
      if (f) {
        inspect += f.report ? `<a href="${esc(f.report)}">report</a> · ` : '';
        inspect += f.history ? `<a href="${esc(f.history)}">history</a>` : '';
        inspect += `<div class="commands"><div>repro: <code>${esc(f.repro)}</code></div><div>shrink: <code>${esc(f.shrink)}</code></div>${f.run ? `<div>rerun: <code>${esc(f.run)}</code></div>` : ''}</div>`;
      }
      return `<tr class="${f ? 'failed' : 'passed'}" data-seed="${r.seed}"><td class="num">${r.seed}</td><td>${result}</td><td class="num">${r.client_ops ?? '—'}</td><td class="num">${r.faults ?? '—'}</td><td class="num">${(r.wall_time_ms / 1000).toFixed(2)} s</td><td>${inspect}</td></tr>`;
    };
    const kShown = 200;  // passing seeds shown before "show all"
    const failing = records.filter((r) => links.has(r.seed)), passing = records.filter((r) => !links.has(r.seed));
    table.innerHTML = head + failing.map(row).join('') + passing.slice(0, kShown).map(row).join('');
    s2.appendChild(table);
    if (passing.length > kShown) {
      const more = el('button', { type: 'button' }, `show all ${passing.length} passing seeds`);
      more.addEventListener('click', () => { table.insertAdjacentHTML('beforeend', passing.slice(kShown).map(row).join('')); more.remove(); });
      s2.appendChild(more);
    }
    main.appendChild(s2);
    document.body.setAttribute('data-ready', 'true');
  }

  if (data.kind === 'campaign') renderCampaign(); else renderRun();
})();
