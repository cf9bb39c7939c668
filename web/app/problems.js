// 问题工单: counts, a filtered and paged list (masked), and one problem's detail with its feedback
// records. Bureau staff decide on a problem waiting for a unit: 交由 XX 办理 (one button per
// candidate, or any other unit) or 不予受理 with a reason — the server sends the cards as chat does.
(function () {
  'use strict';
  const { api, esc, showError, clearError, pager, STATUS, qs } = Duban;
  const $ = (id) => document.getElementById(id);
  const FILTERS = ['period', 'status', 'grade', 'source', 'unit', 'overdue'];
  const LIMIT = 50;
  const st = { user: null, filter: {}, offset: 0, id: null, options: null };

  function readUrl() {
    const p = qs();
    st.filter = {};
    for (const k of FILTERS) if (p.get(k)) st.filter[k] = p.get(k);
    st.offset = Number(p.get('offset') || 0) || 0;
    st.id = /^\d+$/.test(p.get('id') || '') ? Number(p.get('id')) : null;
  }

  function writeUrl() {
    const p = new URLSearchParams(st.filter);
    if (st.offset) p.set('offset', String(st.offset));
    if (st.id) p.set('id', String(st.id));
    history.replaceState(null, '', p.toString() ? `/problems?${p}` : '/problems');
  }

  function fillOptions(o, scope) {
    const fill = (id, entries) => {
      const el = $(id);
      if (el.options.length > 1) return;
      el.insertAdjacentHTML('beforeend', entries.map(([v, l]) => `<option value="${esc(v)}">${esc(l)}</option>`).join(''));
    };
    fill('f-status', Object.entries(o.statuses));
    fill('f-grade', Object.entries(o.grades));
    fill('f-source', o.sources.map((s) => [s.code, s.name]));
    fill('f-unit', o.units.map((u) => [u.code, u.name]));
    $('f-unit-label').hidden = scope.kind === 'UNIT';
    for (const k of FILTERS) {
      const el = $('f-' + k);
      if (k === 'overdue') el.checked = st.filter.overdue === 'true';
      else if (el) el.value = st.filter[k] || (k === 'period' ? 'month' : '');
    }
  }

  function stat(id, value, label, cls) {
    return `<div class="stat${cls ? ' ' + cls : ''}" id="count-${id}"><b>${esc(value)}</b><span>${esc(label)}</span></div>`;
  }

  function renderCounts(c) {
    const fmt = (n) => Number(n).toLocaleString('zh-CN');
    $('counts').innerHTML = [
      stat('received', fmt(c.received), `${c.period}受理`),
      stat('closed', fmt(c.closed), `${c.period}销号`),
      stat('rate', c.onTimeRate === null ? '—' : c.onTimeRate.toFixed(1) + '%', `${c.period}按时整改率`),
      stat('open', fmt(c.open), '未销号（当前）'),
      stat('overdue', fmt(c.overdue), '逾期（当前）', c.overdue ? 'red' : ''),
      c.pendingRoute === null ? '' : stat('pending', fmt(c.pendingRoute), '待分派（当前）', c.pendingRoute ? 'red' : ''),
    ].join('');
  }

  function short(text, n) {
    const chars = Array.from(text || '');
    return chars.length > n ? chars.slice(0, n).join('') + '…' : chars.join('');
  }

  function where(p) {
    if (p.status === 'PENDING_ROUTE') return '<span class="violation">待分派</span>';
    if (p.status === 'DISMISSED') return '不予受理';
    const t = p.ticketId ? ` <a href="/tickets/${p.ticketId}">#${p.ticketId}</a>` : '';
    return `${esc(p.unitName || '-')}${t}<br><span class="small">${esc(p.ticketStatus ? STATUS[p.ticketStatus] || p.ticketStatus : p.statusLabel)}</span>`;
  }

  function renderList(r) {
    const rows = r.items.map((p) =>
      `<tr data-id="${p.id}"><td><a href="/problems?id=${p.id}" data-open="${p.id}">P${p.id}</a></td>` +
      `<td><span class="grade-${esc(p.grade)}">${esc(p.gradeLabel)}</span></td><td>${esc(p.statusLabel)}</td>` +
      `<td>${esc(p.sourceName)}</td><td>${esc(p.serviceName || '未识别服务')}</td><td class="desc">${esc(short(p.description, 60))}</td>` +
      `<td>${where(p)}</td><td>${esc(p.due || '—')}${p.overdue ? ' <span class="violation">逾期</span>' : ''}</td></tr>`).join('');
    $('problems-table').innerHTML = '<thead><tr><th>编号</th><th>等级</th><th>状态</th><th>来源</th><th>服务</th><th>问题描述（已脱敏）</th><th>承办单位 / 整改单</th><th>整改时限</th></tr></thead>' +
      `<tbody>${rows || '<tr><td colspan="8" class="muted">没有符合条件的问题。</td></tr>'}</tbody>`;
    $('problems-table').querySelectorAll('[data-open]').forEach((a) => a.addEventListener('click', (e) => {
      e.preventDefault();
      openDetail(Number(a.dataset.open));
    }));
    pager($('problems-pager'), r.total, LIMIT, st.offset, (o) => {
      st.offset = o;
      load();
    });
  }

  async function load() {
    clearError('problems-error');
    writeUrl();
    try {
      const q = new URLSearchParams(Object.assign({}, st.filter, { limit: String(LIMIT), offset: String(st.offset) }));
      const r = await api('/api/problem-list?' + q);
      st.options = r.options;
      fillOptions(r.options, r.scope);
      $('new-problem').hidden = !r.canFile;
      const unit = r.scope.kind === 'UNIT' ? r.options.units[0] : null;
      $('scope-line').textContent = `今天 ${r.today}` + (unit ? ` · 仅显示${unit.name}的问题` : '') + ' · 问题描述与联系方式已脱敏';
      renderCounts(r.counts);
      renderList(r);
    } catch (e) {
      showError('problems-error', e);
    }
  }

  function field(label, html) {
    return `<dt>${esc(label)}</dt><dd>${html}</dd>`;
  }

  function renderDetail(d) {
    const p = d.problem;
    $('detail-title').textContent = `问题 P${p.id}`;
    $('detail-fields').innerHTML = [
      field('状态', `<b id="detail-status">${esc(p.statusLabel)}</b>`),
      field('等级', `<span class="grade-${esc(p.grade)}">${esc(p.gradeLabel)}</span>（${esc(p.gradeReason)}）`),
      field('来源', esc(p.sourceName)),
      field('服务名称', esc(p.serviceName || '未识别服务')),
      field('问题描述', `<span id="detail-description">${esc(p.description)}</span>`),
      field('联系方式', esc(p.contact || '—')),
      field('反映时间', esc(new Date(p.reportedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }))),
      p.attachments.length ? field('附件', p.attachments.map((a) => esc(a.name)).join('、')) : '',
      field('分派依据', `${esc(p.routeReason)}（把握度 ${Math.round(p.routeConfidence * 100)}%）`),
      p.unitName ? field('承办单位', esc(p.unitName)) : '',
      p.ticketId ? field('问题整改单', `<a id="detail-ticket" href="/tickets/${p.ticketId}">#${p.ticketId}</a>（${esc(STATUS[p.ticketStatus] || '')}，时限 ${esc(p.due)}${p.overdue ? '，<span class="violation">已逾期</span>' : ''}）——时间线与核验在整改单页面`) : '',
    ].join('');
    $('decide').hidden = !d.canDecide;
    if (d.canDecide) {
      $('decide-reason').textContent = d.candidates.length ? '系统未能确定承办单位，以下为可能的单位（把握度与匹配依据）：' : '系统未能识别可能的承办单位，请选择单位或不予受理。';
      $('candidates').innerHTML = d.candidates.map((c) =>
        `<button type="button" class="primary" data-route="${esc(c.unitCode)}">交由 ${esc(c.unitName)} 办理</button>` +
        `<span class="muted">把握度 ${Math.round(c.score * 100)}%，匹配：${esc(c.matched)}</span>`).join('');
      $('candidates').querySelectorAll('[data-route]').forEach((b) => b.addEventListener('click', () => route(b.dataset.route)));
      $('other-unit').innerHTML = '<option value="">请选择单位</option>' + d.units.map((u) => `<option value="${esc(u.code)}">${esc(u.name)}</option>`).join('');
    }
    $('feedback').innerHTML = d.feedback.map((f) =>
      `<li><span class="when">${esc(new Date(f.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }))}</span> <b>${esc(f.stage)}</b><br>${esc(f.message)}</li>`).join('') || '<li class="muted">暂无记录</li>';
    $('detail').hidden = false;
  }

  async function openDetail(id) {
    st.id = id;
    writeUrl();
    clearError('problems-error');
    try {
      renderDetail(await api(`/api/problem-list/${id}`));
      $('detail').scrollIntoView({ block: 'start' });
    } catch (e) {
      $('detail').hidden = true;
      showError('problems-error', e);
    }
  }

  function notice(text) {
    const n = $('problems-notice');
    n.hidden = false;
    n.textContent = text;
  }

  async function decide(path, body, buttons) {
    buttons.forEach((b) => (b.disabled = true));
    clearError('problems-error');
    try {
      const r = await api(`/api/problem-list/${st.id}/${path}`, { json: body });
      notice(r.message);
    } catch (e) {
      showError('problems-error', e);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
    await openDetail(st.id);
    await load();
  }

  function decideButtons() {
    return Array.from($('decide').querySelectorAll('button'));
  }

  function route(unitCode) {
    if (!unitCode) return showError('problems-error', '请选择承办单位。');
    return decide('route', { unitCode }, decideButtons());
  }

  $('route-other').addEventListener('click', () => route($('other-unit').value));
  $('dismiss').addEventListener('click', () => {
    const reason = $('dismiss-reason').value.trim();
    if (!reason) return showError('problems-error', '不予受理须写明原因。');
    return decide('dismiss', { reason }, decideButtons());
  });

  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    st.filter = {};
    for (const k of FILTERS) {
      const el = $('f-' + k);
      if (k === 'overdue') { if (el.checked) st.filter.overdue = 'true'; } else if (el.value) st.filter[k] = el.value;
    }
    st.offset = 0;
    load();
  });
  $('f-reset').addEventListener('click', () => {
    st.filter = {};
    st.offset = 0;
    $('filters').reset();
    load();
  });

  (async () => {
    st.user = await Duban.shell('problems');
    readUrl();
    const done = Duban.qs().get('filed');
    if (done) notice(`已登记问题 P${done}。`);
    await load();
    if (st.id) await openDetail(st.id);
  })().catch((e) => showError('problems-error', e));
})();
