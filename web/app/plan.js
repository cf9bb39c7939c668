// 方案审核: the parsed plan next to its source text; bureau staff decide the responsible units of
// phrases the parser leaves open, which creates the tickets. Leaders read only.
(function () {
  'use strict';
  const { api, esc, showError, clearError, qs } = Duban;
  const $ = (id) => document.getElementById(id);
  const KIND = { PROVINCIAL: '省直单位', CITY: '市州', BUREAU: '省数据局' };
  const st = { data: null, source: null, services: [], unitName: new Map(), selected: null, deciding: null, picked: new Set() };

  function unitNames(codes, max) {
    const names = codes.map((c) => st.unitName.get(c) || c);
    if (!max || names.length <= max) return esc(names.join('、'));
    return `${esc(names.slice(0, max).join('、'))} <details class="inline-details"><summary>等 ${names.length} 个单位</summary>${esc(names.join('、'))}</details>`;
  }

  function when(d) {
    return new Date(d).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  }

  function renderUnresolved() {
    const items = st.data.unresolved;
    const open = items.filter((u) => !u.decision).length;
    $('unresolved-count').textContent = items.length ? `（共 ${items.length} 处，${open} 处未确认）` : '';
    if (!items.length) {
      $('unresolved-list').innerHTML = '<li class="muted">本方案的责任单位均已解析，没有待确认的表述。</li>';
      return;
    }
    $('unresolved-list').innerHTML = items.map((u, i) => {
      const ms = u.milestones.length
        ? '涉及节点：' + u.milestones.map((m) => `${esc(m.due)}（${esc(m.text.slice(0, 30))}${m.text.length > 30 ? '…' : ''}）`).join('；')
        : '该表述不对应带时限的节点，确认仅作记录，不生成督办单。';
      const d = u.decision;
      const state = d
        ? `<span class="ok">已确认：${d.unitCodes.length ? unitNames(d.unitCodes, 8) : '不涉及具体单位'}</span>
           <span class="muted">（${esc(d.decidedBy)}，${esc(when(d.decidedAt))}${d.note ? `；说明：${esc(d.note)}` : ''}）</span>`
        : '<span class="pending">未确认</span>';
      const button = st.data.canDecide ? `<button type="button" class="${d ? '' : 'primary'}" data-decide="${i}">${d ? '修改确认' : '确认单位'}</button>` : '';
      return `<li class="unresolved-item" data-task="${esc(u.taskId)}" data-phrase="${esc(u.phrase)}">
        <div><a href="#task-${u.taskSeq}" data-goto="${esc(u.taskId)}">任务${u.taskSeq}</a>「<b>${esc(u.phrase)}</b>」 ${state}</div>
        <div class="muted">${ms}</div>${button}</li>`;
    }).join('');
  }

  function taskMatches(t, q) {
    if (!q) return true;
    const hay = [t.content, t.category, t.responsibleText, String(t.seq), ...t.responsibleUnits.map((c) => st.unitName.get(c) || c)].join(' ');
    return hay.includes(q);
  }

  function renderTasks() {
    const q = $('task-filter').value.trim();
    const tasks = st.data.tasks.filter((t) => taskMatches(t, q));
    $('task-list').innerHTML = tasks.map((t) => {
      const flags = [
        t.due ? `完成时限 ${esc(t.due)}` : '',
        t.recurring ? '<span class="tag">持续</span>' : '',
        t.slaWorkdays ? `<span class="tag">${t.slaWorkdays} 个工作日内办结</span>` : '',
      ].filter(Boolean).join(' ');
      const ms = t.milestones.map((m) => `<li><b>${esc(m.due)}</b> ${esc(m.text)}
          <div class="muted">${m.units.length ? unitNames(m.units, 6) : '（未解析出单位）'}${m.unresolved.length ? ` · <span class="pending">待确认：${esc(m.unresolved.join('、'))}</span>` : ''} · 督办单 ${m.tickets} 件</div></li>`).join('');
      return `<li class="task${st.selected === t.id ? ' selected' : ''}" id="task-${t.seq}" data-task="${esc(t.id)}" tabindex="0">
        <div class="task-head"><b>任务${t.seq}</b> <span class="tag">${esc(t.category)}</span> ${flags} <span class="muted">督办单 ${t.tickets} 件</span></div>
        <p class="content">${esc(t.content)}</p>
        <div class="muted">责任单位（原文）：${esc(t.responsibleText)}</div>
        <div>已解析：${t.responsibleUnits.length ? unitNames(t.responsibleUnits, 6) : '无'}${t.unresolved.length ? ` · <span class="pending">待确认：${esc(t.unresolved.join('、'))}</span>` : ''}</div>
        ${ms ? `<ul class="milestones">${ms}</ul>` : '<div class="muted">没有带时限的节点</div>'}
      </li>`;
    }).join('') || '<li class="muted">没有符合条件的任务</li>';
  }

  function renderSource() {
    $('source').innerHTML = st.source.lines.map((l, i) => `<div class="src-line" data-line="${i}">${esc(l) || '&nbsp;'}</div>`).join('');
  }

  function selectTask(taskId) {
    st.selected = taskId;
    document.querySelectorAll('.task.selected').forEach((e) => e.classList.remove('selected'));
    const li = document.querySelector(`.task[data-task="${CSS.escape(taskId)}"]`);
    if (li) li.classList.add('selected');
    document.querySelectorAll('.src-line.hit').forEach((e) => e.classList.remove('hit'));
    const r = st.source && st.source.anchors[taskId];
    if (!r) return;
    for (let i = r.from; i <= r.to; i++) {
      const line = document.querySelector(`.src-line[data-line="${i}"]`);
      if (line) line.classList.add('hit');
    }
    const first = document.querySelector(`.src-line[data-line="${r.from}"]`);
    const box = $('source');
    if (first) box.scrollTop = Math.max(0, first.offsetTop - box.offsetTop - 60);
  }

  function renderServices() {
    const q = $('service-filter').value.trim();
    const units = st.services.filter((u) => !q || u.name.includes(q) || u.annex3.some((s) => s.includes(q)) || u.annex4.some((s) => s.includes(q)));
    const list = (xs) => (xs.length ? xs.map(esc).join('、') : '<span class="muted">—</span>');
    $('services').innerHTML = units.length
      ? `<table><thead><tr><th>单位</th><th>附件3 高频服务</th><th>附件4 适老适残服务</th></tr></thead><tbody>${units.map((u) =>
        `<tr><td>${esc(u.name)}</td><td>${list(u.annex3)}</td><td>${list(u.annex4)}</td></tr>`).join('')}</tbody></table>`
      : '<p class="muted">没有符合条件的服务清单。</p>';
  }

  // The decision dialog ------------------------------------------------------------------------

  function renderPicker() {
    const q = $('decision-filter').value.trim();
    const none = $('decision-none').checked;
    const groups = ['PROVINCIAL', 'CITY', 'BUREAU'].map((kind) => {
      const units = st.data.units.filter((u) => u.kind === kind && (!q || u.name.includes(q) || u.code.includes(q)));
      if (!units.length) return '';
      return `<fieldset><legend>${KIND[kind]}</legend>${units.map((u) =>
        `<label><input type="checkbox" value="${esc(u.code)}"${st.picked.has(u.code) ? ' checked' : ''}${none ? ' disabled' : ''}> ${esc(u.name)}</label>`).join('')}</fieldset>`;
    }).join('');
    $('decision-units').innerHTML = groups || '<p class="muted">没有匹配的单位</p>';
    $('decision-picked').textContent = none ? '' : `已选 ${st.picked.size} 个单位`;
  }

  function openDecision(i) {
    const u = st.data.unresolved[i];
    st.deciding = u;
    st.picked = new Set(u.decision ? u.decision.unitCodes : []);
    $('decision-title').textContent = `确认承办单位：任务${u.taskSeq}「${u.phrase}」`;
    $('decision-milestones').textContent = u.milestones.length
      ? `将为以下节点的每个所选单位生成督办单：${u.milestones.map((m) => `${m.due} ${m.text}`).join('；')}`
      : '该表述不对应带时限的节点：确认仅作记录，不生成督办单。';
    $('decision-none').checked = Boolean(u.decision && u.decision.unitCodes.length === 0);
    $('decision-note').value = (u.decision && u.decision.note) || '';
    $('decision-filter').value = '';
    clearError('decision-error');
    renderPicker();
    $('decision-dialog').showModal();
  }

  async function submitDecision(ev) {
    ev.preventDefault();
    const u = st.deciding;
    const none = $('decision-none').checked;
    if (!none && st.picked.size === 0) return showError('decision-error', '请选择承办单位，或勾选“不涉及具体单位”。');
    $('decision-submit').disabled = true;
    try {
      const r = await api('/api/plan/decisions', { json: { taskId: u.taskId, phrase: u.phrase, unitCodes: none ? [] : [...st.picked], note: $('decision-note').value.trim() || null } });
      $('decision-dialog').close();
      const box = $('decision-result');
      box.hidden = false;
      box.innerHTML = `${esc(r.message)} <span class="muted">（新生成 <b id="decision-created">${r.createdCount}</b> 件）</span>`;
      await load();
    } catch (e) {
      showError('decision-error', e);
    } finally {
      $('decision-submit').disabled = false;
    }
  }

  // Loading -------------------------------------------------------------------------------------

  async function load() {
    const planId = qs().get('plan');
    const suffix = planId ? `?plan=${encodeURIComponent(planId)}` : '';
    const [data, source, services] = await Promise.all([api('/api/plan' + suffix), api('/api/plan/source' + suffix), api('/api/plan/services' + suffix)]);
    st.data = data;
    st.source = source;
    st.services = services.units;
    st.unitName = new Map(data.units.map((u) => [u.code, u.name]));
    $('plan-title').textContent = `方案审核 · ${data.plan.docNo}`;
    $('plan-select').innerHTML = data.plans.map((p) => `<option value="${esc(p.id)}"${p.id === data.plan.id ? ' selected' : ''}>${esc(p.title)}（${esc(p.docNo)}）</option>`).join('');
    const milestones = data.tasks.reduce((n, t) => n + t.milestones.length, 0);
    const tickets = data.tasks.reduce((n, t) => n + t.tickets, 0);
    $('plan-stats').textContent = `重点任务 ${data.tasks.length} 项 · 时间节点 ${milestones} 个 · 督办单 ${tickets} 件`;
    $('read-only').hidden = data.canDecide;
    renderUnresolved();
    renderTasks();
    renderSource();
    renderServices();
    if (st.selected) selectTask(st.selected);
  }

  async function main() {
    await Duban.shell('plan');
    $('task-filter').addEventListener('input', renderTasks);
    $('service-filter').addEventListener('input', renderServices);
    $('plan-select').addEventListener('change', (e) => {
      location.href = `/plan?plan=${encodeURIComponent(e.target.value)}`;
    });
    $('task-list').addEventListener('click', (e) => {
      if (e.target.closest('details')) return;
      const li = e.target.closest('.task');
      if (li) selectTask(li.dataset.task);
    });
    $('task-list').addEventListener('keydown', (e) => {
      const li = e.target.closest('.task');
      if (li && (e.key === 'Enter' || e.key === ' ')) {
        e.preventDefault();
        selectTask(li.dataset.task);
      }
    });
    $('unresolved-list').addEventListener('click', (e) => {
      const b = e.target.closest('[data-decide]');
      if (b) return openDecision(Number(b.dataset.decide));
      const a = e.target.closest('[data-goto]');
      if (a) {
        e.preventDefault();
        selectTask(a.dataset.goto);
        const li = document.querySelector(`.task[data-task="${CSS.escape(a.dataset.goto)}"]`);
        if (li) li.scrollIntoView({ block: 'start' });
      }
    });
    $('decision-units').addEventListener('change', (e) => {
      if (e.target.type !== 'checkbox') return;
      if (e.target.checked) st.picked.add(e.target.value);
      else st.picked.delete(e.target.value);
      $('decision-picked').textContent = `已选 ${st.picked.size} 个单位`;
    });
    $('decision-filter').addEventListener('input', renderPicker);
    $('decision-none').addEventListener('change', renderPicker);
    document.querySelectorAll('[data-pick]').forEach((b) => b.addEventListener('click', () => {
      if (b.dataset.pick === 'clear') st.picked.clear();
      else st.data.units.filter((u) => u.kind === b.dataset.pick).forEach((u) => st.picked.add(u.code));
      renderPicker();
    }));
    $('decision-cancel').addEventListener('click', () => $('decision-dialog').close());
    $('decision-form').addEventListener('submit', submitDecision);
    try {
      await load();
    } catch (e) {
      showError('plan-error', e);
    }
  }

  main();
})();
