// 督办总览: counts, what is overdue, the plan's tasks with their milestones, and the ticket list.
// Every figure comes from the server (aggregated in SQL); the filters live in the address bar so a
// view can be shared as a link.
(function () {
  'use strict';
  const { api, esc, showError, clearError, pager, STATUS, light, qs } = Duban;
  const $ = (id) => document.getElementById(id);
  const FILTERS = ['category', 'unit', 'unitKind', 'status', 'light', 'kind', 'q', 'overdue', 'task', 'milestone', 'plan', 'dueFrom', 'dueTo'];
  const KIND = { PLAN: '方案任务', PROBLEM: '问题整改', RETURN: '报表报送' };
  const st = { user: null, filter: {}, tasksOffset: 0, ticketsOffset: 0, milestoneText: '' };
  const TASK_LIMIT = 10;
  const TICKET_LIMIT = 50;

  function readUrl() {
    const p = qs();
    st.filter = {};
    for (const k of FILTERS) if (p.get(k)) st.filter[k] = p.get(k);
  }

  function writeUrl() {
    const p = new URLSearchParams(st.filter);
    history.replaceState(null, '', p.toString() ? `/?${p}` : '/');
  }

  function query(extra) {
    return new URLSearchParams(Object.assign({}, st.filter, extra || {})).toString();
  }

  function fillForm() {
    for (const k of ['category', 'unit', 'unitKind', 'status', 'light', 'kind', 'q']) {
      const el = $('f-' + k);
      if (el) el.value = st.filter[k] || '';
    }
    $('f-overdue').checked = st.filter.overdue === 'true';
  }

  function readForm() {
    const keep = { task: st.filter.task, milestone: st.filter.milestone, plan: st.filter.plan, dueFrom: st.filter.dueFrom, dueTo: st.filter.dueTo };
    st.filter = {};
    for (const k of ['category', 'unit', 'unitKind', 'status', 'light', 'kind', 'q']) {
      const el = $('f-' + k);
      if (el && el.value.trim()) st.filter[k] = el.value.trim();
    }
    if ($('f-overdue').checked) st.filter.overdue = 'true';
    for (const [k, v] of Object.entries(keep)) if (v) st.filter[k] = v;
  }

  function stat(id, value, label, cls, filter) {
    const attrs = filter ? ` data-filter="${esc(JSON.stringify(filter))}" role="button" tabindex="0" title="点击筛选"` : '';
    return `<div class="stat${cls ? ' ' + cls : ''}" id="stat-${id}"${attrs}><b>${esc(value)}</b><span>${esc(label)}</span></div>`;
  }

  function renderSummary(s) {
    const plan = s.plans[0];
    $('plan-line').textContent = (plan ? `${plan.title}（${plan.docNo}）· 重点任务 ${plan.tasks} 项 · 节点 ${plan.milestones} 个 · ` : '尚未导入工作方案 · ') +
      `今天 ${s.today}` + (s.scope.kind === 'UNIT' ? ' · 仅显示本单位督办单' : '');
    const fmt = (n) => n.toLocaleString('zh-CN');
    $('stats').innerHTML = [
      stat('total', fmt(s.total), '督办单总数'),
      ...Object.entries(STATUS).map(([k, label]) => stat(k, fmt(s.byStatus[k] || 0), label, '', { status: k })),
      stat('overdue', fmt(s.overdue), '已逾期', s.overdue ? 'red' : '', { overdue: 'true' }),
      stat('yellow', fmt(s.lights.YELLOW), `临期（${s.yellowWorkdays}个工作日内）`, '', { light: 'YELLOW' }),
      stat('week', fmt(s.dueThisWeek), `本周到期未办结（${s.week.start.slice(5)}–${s.week.end.slice(5)}）`, '', { status: 'OPEN', dueFrom: s.week.start, dueTo: s.week.end }),
      stat('completion', s.completionRate.toFixed(1) + '%', '完成率'),
      ...(s.problems ? [
        `<a class="stat" style="color:inherit;text-decoration:none" id="stat-problems-open" href="/problems?status=ROUTED"><b>${esc(fmt(s.problems.open))}</b><span>问题未销号</span></a>`,
        `<a class="stat${s.problems.overdue ? ' red' : ''}" style="color:inherit;text-decoration:none" id="stat-problems-overdue" href="/problems?overdue=true"><b>${esc(fmt(s.problems.overdue))}</b><span>问题逾期</span></a>`,
      ] : []),
    ].join('');
    $('stats').querySelectorAll('[data-filter]').forEach((el) => {
      const go = () => {
        const f = JSON.parse(el.dataset.filter);
        st.filter = Object.assign({}, st.filter, f);
        if (f.status) delete st.filter.light;
        apply();
      };
      el.addEventListener('click', go);
      el.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && go());
    });
    // Filter choices.
    const cat = $('f-category');
    cat.innerHTML = '<option value="">全部</option>' + s.options.categories.map((c) => `<option>${esc(c)}</option>`).join('');
    const unit = $('f-unit');
    unit.innerHTML = '<option value="">全部</option>' + s.options.units.map((u) => `<option value="${esc(u.code)}">${esc(u.name)}</option>`).join('');
    const unitScoped = s.scope.kind === 'UNIT';
    $('f-unit-label').hidden = unitScoped;
    $('f-unitkind-label').hidden = unitScoped;
    fillForm();
    // What is overdue, by unit.
    $('overdue-units').innerHTML = s.overdueByUnit && s.overdueByUnit.length
      ? '<h3>逾期最多的单位</h3><ol class="compact">' + s.overdueByUnit.map((u) =>
        `<li><a href="#" data-unit="${esc(u.unitCode)}">${esc(u.unitName)}</a> <b class="violation">${u.count}</b> 件（最早 ${esc(u.oldestDue)} 到期）</li>`).join('') + '</ol>'
      : '';
    $('overdue-units').querySelectorAll('[data-unit]').forEach((a) => a.addEventListener('click', (e) => {
      e.preventDefault();
      st.filter = Object.assign({}, st.filter, { unit: a.dataset.unit, overdue: 'true' });
      apply();
    }));
    if (s.outbox) {
      $('outbox-panel').hidden = false;
      $('outbox-stats').innerHTML = stat('outbox-pending', fmt(s.outbox.PENDING), '待发送') + stat('outbox-sent', fmt(s.outbox.SENT), '已发送') +
        stat('outbox-dead', fmt(s.outbox.DEAD), '发送失败', s.outbox.DEAD ? 'red' : '');
    }
  }

  function ticketRows(items, withUnit) {
    return items.map((t) => {
      const what = t.taskSeq ? `任务${t.taskSeq} · ${esc(t.milestone || t.title)}` : esc(t.title);
      const late = t.light === 'RED' && t.overdueWorkdays > 0 ? `<br><span class="violation small">超 ${t.overdueWorkdays} 个工作日</span>` : '';
      return `<tr data-ticket="${t.id}"><td><a href="/tickets/${t.id}">#${t.id}</a></td>` +
        (withUnit ? `<td>${esc(t.unitName)}</td>` : '') +
        `<td class="what">${what}${t.kind !== 'PLAN' ? ` <span class="tag">${esc(KIND[t.kind] || t.kind)}</span>` : ''}</td>` +
        `<td class="nowrap">${esc(t.due)}${t.due !== t.originalDue ? `<br><span class="muted">原 ${esc(t.originalDue)}</span>` : ''}</td>` +
        `<td class="nowrap">${light(t.light)}${late}</td><td class="nowrap">${esc(STATUS[t.status] || t.status)}${t.extensionDue ? '<br><span class="muted">延期待批</span>' : ''}${t.disclaimed ? '<br><span class="muted">退单待处理</span>' : ''}</td>` +
        `<td class="num">${t.progress}%</td></tr>`;
    }).join('');
  }

  const HEAD = (withUnit) => `<thead><tr><th>编号</th>${withUnit ? '<th>承办单位</th>' : ''}<th>事项</th><th>完成时限</th><th>信号灯</th><th>状态</th><th class="num">进度</th></tr></thead>`;

  async function loadOverdue() {
    const r = await api('/api/tickets?' + query({ overdue: 'true', limit: 10, offset: 0, sort: 'due' }));
    $('overdue-count').textContent = `共 ${r.total.toLocaleString('zh-CN')} 件，最早到期的在前`;
    $('overdue-table').innerHTML = r.items.length ? HEAD(true) + `<tbody>${ticketRows(r.items, true)}</tbody>` : '<tbody><tr><td class="ok">没有逾期的督办单。</td></tr></tbody>';
  }

  async function loadOutbox() {
    if ($('outbox-panel').hidden) return;
    const r = await api('/api/dashboard/outbox?status=DEAD&limit=10');
    $('outbox-table').innerHTML = r.items.length
      ? '<thead><tr><th>编号</th><th>平台</th><th>内容</th><th>接收方</th><th>原因</th></tr></thead><tbody>' +
        r.items.map((m) => `<tr><td>${m.id}</td><td>${esc(m.platform)}</td><td>${esc(m.kind)}${m.ticketId ? ` · <a href="/tickets/${m.ticketId}">#${m.ticketId}</a>` : ''}</td><td class="what">${esc(m.target)}</td><td class="what">${esc(m.lastError || '')}</td></tr>`).join('') + '</tbody>'
      : '<tbody><tr><td class="ok">没有发送失败的消息。</td></tr></tbody>';
  }

  function counts(c) {
    const parts = [`${c.total} 件`];
    if (c.byStatus.DONE) parts.push(`办结 ${c.byStatus.DONE}`);
    if (c.byStatus.SUBMITTED) parts.push(`待审核 ${c.byStatus.SUBMITTED}`);
    if (c.lights.RED) parts.push(`<span class="violation">逾期 ${c.lights.RED}</span>`);
    if (c.lights.YELLOW) parts.push(`<span class="warn">临期 ${c.lights.YELLOW}</span>`);
    return parts.join(' · ');
  }

  async function loadTasks() {
    const r = await api('/api/dashboard/tasks?' + query({ limit: TASK_LIMIT, offset: st.tasksOffset }));
    if (!r.plan) {
      $('tasks').innerHTML = '<p class="muted">尚未导入工作方案（duban plan load 文件）。</p>';
      $('tasks-pager').innerHTML = '';
      return;
    }
    $('tasks-count').textContent = `共 ${r.total} 项`;
    $('tasks').innerHTML = r.items.map((t) => `
      <article class="task" id="task-${t.seq}">
        <header><b>任务${t.seq}</b> <span class="tag">${esc(t.category)}</span> ${t.light ? light(t.light) : ''}
          <span class="muted">${t.due ? '完成时限 ' + esc(t.due) : t.recurring ? '持续推进' : ''}</span>
          <span class="task-counts">${counts(t.counts)}</span></header>
        <p class="task-content">${esc(t.content)}</p>
        <p class="muted small">责任单位：${esc(t.responsibleText)}</p>
        <div class="table-wrap"><table class="milestones"><thead><tr><th>节点</th><th>时限</th><th>信号灯</th><th>督办单</th><th></th></tr></thead><tbody>
        ${t.milestones.map((m) => `<tr><td class="what">${esc(m.text)}</td><td class="nowrap">${esc(m.due)}</td><td>${m.light ? light(m.light) : '<span class="muted">—</span>'}</td>
          <td>${counts(m.counts)}</td><td><a href="#tickets-panel" data-milestone="${esc(m.id)}" data-text="${esc('任务' + t.seq + ' · ' + m.text.slice(0, 30))}">查看</a></td></tr>`).join('') ||
          '<tr><td colspan="5" class="muted">没有符合条件的节点</td></tr>'}
        </tbody></table></div>
      </article>`).join('') || '<p class="muted">没有符合条件的任务。</p>';
    $('tasks').querySelectorAll('[data-milestone]').forEach((a) => a.addEventListener('click', () => {
      st.filter = Object.assign({}, st.filter, { milestone: a.dataset.milestone });
      st.milestoneText = a.dataset.text;
      st.ticketsOffset = 0;
      writeUrl();
      loadTickets().catch((e) => showError('dash-error', e));
    }));
    pager($('tasks-pager'), r.total, TASK_LIMIT, st.tasksOffset, (o) => {
      st.tasksOffset = o;
      loadTasks().catch((e) => showError('dash-error', e));
    });
  }

  async function loadTickets() {
    const r = await api('/api/tickets?' + query({ limit: TICKET_LIMIT, offset: st.ticketsOffset }));
    const note = $('tickets-filter-note');
    const extra = [];
    if (st.filter.milestone) extra.push(`节点：${esc(st.milestoneText || '所选节点')}`);
    if (st.filter.dueFrom || st.filter.dueTo) extra.push(`时限 ${esc(st.filter.dueFrom || '…')} 至 ${esc(st.filter.dueTo || '…')}`);
    note.innerHTML = extra.length ? `${extra.join('，')} <button type="button" class="link-button" id="clear-extra">显示全部</button>` : '';
    const clear = $('clear-extra');
    if (clear) clear.onclick = () => {
      delete st.filter.milestone;
      delete st.filter.dueFrom;
      delete st.filter.dueTo;
      st.ticketsOffset = 0;
      writeUrl();
      loadTickets().catch((e) => showError('dash-error', e));
    };
    const withUnit = !st.user || !st.user.unitCode;
    $('tickets-table').innerHTML = r.items.length ? HEAD(withUnit) + `<tbody>${ticketRows(r.items, withUnit)}</tbody>` : '<tbody><tr><td class="muted">没有符合条件的督办单。</td></tr></tbody>';
    pager($('tickets-pager'), r.total, TICKET_LIMIT, st.ticketsOffset, (o) => {
      st.ticketsOffset = o;
      loadTickets().catch((e) => showError('dash-error', e));
    });
  }

  async function apply() {
    clearError('dash-error');
    st.tasksOffset = 0;
    st.ticketsOffset = 0;
    writeUrl();
    try {
      const s = await api('/api/dashboard/summary?' + query());
      renderSummary(s);
      await Promise.all([loadOverdue(), loadTasks(), loadTickets(), loadOutbox()]);
      document.body.dataset.loaded = 'true';
    } catch (e) {
      showError('dash-error', e);
    }
  }

  async function start() {
    st.user = await Duban.shell('dashboard');
    readUrl();
    $('filters').addEventListener('submit', (e) => {
      e.preventDefault();
      readForm();
      apply();
    });
    $('f-reset').addEventListener('click', () => {
      st.filter = {};
      fillForm();
      apply();
    });
    await apply();
  }

  start().catch((e) => showError('dash-error', e));
})();
