// 报表填报: units upload or fill in 附件1/5/6, see each row's rule violations highlighted in the
// cell; bureau staff and leaders see the matrix unit × annex. Leaders only read.
(function () {
  'use strict';
  const { api, esc, showError, clearError, qs } = Duban;
  const $ = (id) => document.getElementById(id);
  const ANNEX_LIST = [1, 5, 6];
  const st = { user: null, templates: {}, units: [], annex: 1, unit: null, canSubmit: false, canSubmitAny: false, rows: [], current: null, filter: 'all' };

  function tpl() {
    return st.templates[st.annex];
  }
  function dataCols() {
    return tpl().columns.filter((c) => c.key !== 'seq');
  }
  function base() {
    return `/api/returns/${st.annex}/units/${encodeURIComponent(st.unit)}`;
  }

  function setUrl() {
    const p = new URLSearchParams({ annex: String(st.annex) });
    if (st.unit) p.set('unit', st.unit);
    history.replaceState(null, '', `/returns?${p}`);
  }

  function renderMatrix() {
    const rows = st.units.filter((u) =>
      st.filter === 'missing' ? u.missingAnnexes.length > 0 : st.filter === 'problems' ? u.rowsWithViolations > 0 : true);
    const head = '<thead><tr><th>单位</th>' + ANNEX_LIST.map((a) => `<th>附件${a}</th>`).join('') +
      '<th class="num">行数</th><th class="num">有问题行</th><th class="num">合规率</th></tr></thead>';
    const body = rows.map((u) => {
      const cells = u.annexes.map((a) => {
        const label = a.submitted
          ? `已报送 ${a.rows}行${a.rowsWithViolations ? ` · <span class="violation">${a.rowsWithViolations}行有问题</span>` : a.rows ? ' · <span class="ok">无问题</span>' : '（零报告）'}`
          : u.missingAnnexes.includes(a.annex) ? '<span class="missing">未报送</span>' : '<span class="muted">—</span>';
        return `<td class="matrix-cell"><a href="#" data-unit="${esc(u.unitCode)}" data-annex="${a.annex}">${label}</a></td>`;
      }).join('');
      return `<tr data-unit-row="${esc(u.unitCode)}"><td>${esc(u.unitName)}</td>${cells}<td class="num">${u.rows}</td><td class="num">${u.rowsWithViolations}</td><td class="num">${u.compliance.toFixed(1)}%</td></tr>`;
    }).join('');
    $('matrix').innerHTML = head + `<tbody>${body || '<tr><td colspan="7" class="muted">没有符合条件的单位</td></tr>'}</tbody>`;
    const owing = st.units.filter((u) => u.missingAnnexes.length + u.annexesSubmitted.length > 0);
    const per = ANNEX_LIST.map((a) => `附件${a} 已报 ${st.units.filter((u) => u.annexesSubmitted.includes(a)).length}`).join('，');
    const complete = st.units.filter((u) => u.missingAnnexes.length === 0).length;
    const avg = owing.length ? owing.reduce((n, u) => n + u.compliance, 0) / owing.length : 0;
    $('matrix-summary').textContent = `${st.units.length} 个单位：${per}；三表报齐 ${complete} 个；平均合规率 ${avg.toFixed(1)}%。`;
  }

  function renderUnits() {
    const sel = $('unit-select');
    sel.innerHTML = st.units.map((u) => `<option value="${esc(u.unitCode)}">${esc(u.unitName)}</option>`).join('');
    sel.value = st.unit || '';
    sel.disabled = st.units.length <= 1;
  }

  function renderTabs() {
    document.querySelectorAll('#annex-tabs button').forEach((b) => b.setAttribute('aria-selected', String(Number(b.dataset.annex) === st.annex)));
    const t = tpl();
    $('fill-title').textContent = `${t.title}（${t.printedTitle}）`;
    $('annex-notes').innerHTML = t.notes.map((n) => `<li>${esc(n)}</li>`).join('');
    $('template-link').href = `/api/returns/${st.annex}/template.xlsx`;
  }

  function violationsByCol(row) {
    const m = {};
    for (const v of row.violations || []) {
      if (!v.column) continue;
      if (!m[v.column] || v.severity === 'error') m[v.column] = v.severity;
    }
    return m;
  }

  function violationRow(row, span) {
    if (!row.violations || !row.violations.length) return '';
    const items = row.violations.map((v) => `<li class="${v.severity}">${esc(v.message)}</li>`).join('');
    return `<tr class="violations"><td colspan="${span}"><ul>${items}</ul></td></tr>`;
  }

  function renderCurrent() {
    const c = st.current;
    const box = $('current');
    if (!c) {
      box.innerHTML = '<p class="muted">该单位尚未报送本表。</p>';
      return;
    }
    const cols = dataCols();
    const hasUnitCol = c.rows.some((r) => r.data.unit);
    const head = '<tr><th>行号</th>' + cols.map((k) => `<th>${esc(k.header)}</th>`).join('') + (hasUnitCol ? '<th>填报单位</th>' : '') + '</tr>';
    const span = cols.length + 1 + (hasUnitCol ? 1 : 0);
    const body = c.rows.map((r) => {
      const bad = violationsByCol(r);
      const tds = cols.map((k) => `<td data-col="${k.key}"${bad[k.key] ? ` class="cell-${bad[k.key] === 'error' ? 'bad' : 'warn'}"` : ''}>${esc(r.data[k.key] || '')}</td>`).join('');
      return `<tr data-row="${r.rowNo}"><td class="num">${r.rowNo}</td>${tds}${hasUnitCol ? `<td>${esc(r.data.unit || '')}</td>` : ''}</tr>` + violationRow(r, span);
    }).join('');
    const when = new Date(c.createdAt).toLocaleString('zh-CN', { hour12: false });
    const summary = `${esc(c.unitName)} · ${c.source === 'UPLOAD' ? `上传「${esc(c.fileName || '')}」` : '页面填写'} · ${esc(when)} · ${esc(c.submittedBy)} · 共 ${c.rowCount} 行，` +
      (c.errorRows ? `<span class="violation">${c.errorRows} 行有问题</span>` : '<span class="ok">无问题</span>') + (c.warnings ? `，${c.warnings} 条提示` : '');
    box.innerHTML = `<p>${summary}</p>` + (c.rows.length ? `<table id="current-table"><thead>${head}</thead><tbody>${body}</tbody></table>` : '<p>零报告：本单位无需填报。</p>');
  }

  function renderHistory(list) {
    $('history').innerHTML = list.length
      ? list.map((h) => `<li>${esc(new Date(h.createdAt).toLocaleString('zh-CN', { hour12: false }))} · ${esc(h.submittedBy)} · ${h.source === 'UPLOAD' ? '上传' : '页面填写'} · ${h.rowCount} 行，${h.errorRows} 行有问题</li>`).join('')
      : '<li>暂无</li>';
  }

  function renderForm(checked) {
    const cols = dataCols();
    const head = '<thead><tr><th>行</th>' + cols.map((c) => `<th>${esc(c.header)}${c.required ? '<span class="violation">*</span>' : ''}</th>`).join('') + '<th></th></tr></thead>';
    const lists = cols.filter((c) => c.allowed || c.key === 'launchDate').map((c) => {
      const opts = c.key === 'launchDate' ? ['2026年7月30日', '2026年9月30日', '2026年11月30日'] : c.allowed;
      return `<datalist id="dl-${c.key}">${opts.map((o) => `<option value="${esc(o)}">`).join('')}</datalist>`;
    }).join('');
    const body = st.rows.map((r, i) => {
      const bad = checked && checked[i] ? violationsByCol(checked[i]) : {};
      const tds = cols.map((c) => `<td${bad[c.key] ? ` class="cell-${bad[c.key] === 'error' ? 'bad' : 'warn'}"` : ''}><input data-i="${i}" data-key="${c.key}" value="${esc(r[c.key] || '')}" placeholder="${esc(c.hint)}" aria-label="第${i + 1}行 ${esc(c.header)}"${c.allowed || c.key === 'launchDate' ? ` list="dl-${c.key}"` : ''}></td>`).join('');
      return `<tr><td class="num">${i + 1}</td>${tds}<td><button type="button" data-del="${i}">删除</button></td></tr>` + (checked && checked[i] ? violationRow(checked[i], cols.length + 2) : '');
    }).join('');
    $('form-table').innerHTML = head + `<tbody>${body}</tbody>` + lists;
  }

  function compactRows() {
    st.rows = st.rows.filter((r) => Object.keys(r).some((k) => String(r[k] || '').trim() !== ''));
  }

  async function loadCurrent() {
    clearError('returns-error');
    if (!st.unit) return;
    const r = await api(base());
    st.current = r.current;
    renderCurrent();
    renderHistory(r.history);
  }

  async function refreshMatrix() {
    const comp = await api('/api/returns/compliance');
    st.units = comp.units;
    if (!$('matrix-panel').hidden) renderMatrix();
  }

  function afterSubmit(res) {
    const s = res.submission;
    st.current = s;
    renderCurrent();
    const n = $('return-notice');
    n.hidden = false;
    n.textContent = s.errorRows
      ? `已保存：共 ${s.rowCount} 行，其中 ${s.errorRows} 行有问题（标红单元格），请修改后重新提交。`
      : `已保存：共 ${s.rowCount} 行，未发现问题。`;
    return Promise.all([refreshMatrix(), api(base()).then((r) => renderHistory(r.history))]);
  }

  async function select(annex, unit) {
    st.annex = annex;
    if (unit) st.unit = unit;
    st.rows = [{}];
    $('return-notice').hidden = true;
    $('unit-select').value = st.unit;
    renderTabs();
    renderForm();
    setUrl();
    await loadCurrent();
  }

  function wire() {
    document.querySelectorAll('#annex-tabs button').forEach((b) => b.addEventListener('click', () => select(Number(b.dataset.annex)).catch((e) => showError('returns-error', e))));
    $('unit-select').addEventListener('change', (e) => select(st.annex, e.target.value).catch((er) => showError('returns-error', er)));
    $('matrix-filter').addEventListener('change', (e) => { st.filter = e.target.value; renderMatrix(); });
    $('matrix').addEventListener('click', (e) => {
      const a = e.target.closest('a[data-unit]');
      if (!a) return;
      e.preventDefault();
      select(Number(a.dataset.annex), a.dataset.unit).then(() => $('fill-panel').scrollIntoView()).catch((er) => showError('returns-error', er));
    });
    $('upload-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      clearError('returns-error');
      const file = $('return-file').files[0];
      if (!file) return;
      const fd = new FormData();
      fd.append('file', file, file.name);
      $('return-upload').disabled = true;
      try {
        afterSubmit(await api(`${base()}/upload`, { method: 'POST', body: fd }));
        $('upload-form').reset();
      } catch (er) {
        showError('returns-error', er);
      } finally {
        $('return-upload').disabled = false;
      }
    });
    $('form-table').addEventListener('input', (e) => {
      const t = e.target;
      if (t.dataset.i === undefined) return;
      st.rows[Number(t.dataset.i)][t.dataset.key] = t.value;
    });
    $('form-table').addEventListener('click', (e) => {
      const d = e.target.closest('button[data-del]');
      if (!d) return;
      st.rows.splice(Number(d.dataset.del), 1);
      renderForm();
    });
    $('add-row').addEventListener('click', () => { st.rows.push({}); renderForm(); });
    $('load-current').addEventListener('click', () => {
      st.rows = st.current ? st.current.rows.map((r) => Object.assign({}, r.data)) : [];
      if (!st.rows.length) st.rows.push({});
      renderForm();
    });
    $('form-check').addEventListener('click', async () => {
      clearError('returns-error');
      compactRows();
      try {
        const r = await api(`${base()}/check`, { json: { rows: st.rows } });
        renderForm(r.rows);
      } catch (er) {
        showError('returns-error', er);
      }
    });
    $('form-submit').addEventListener('click', async () => {
      clearError('returns-error');
      compactRows();
      try {
        const res = await api(base(), { json: { rows: st.rows, none: $('none').checked } });
        renderForm(res.submission.rows);
        await afterSubmit(res);
      } catch (er) {
        showError('returns-error', er);
      }
    });
  }

  async function main() {
    st.user = await Duban.shell('returns');
    const [t, comp] = await Promise.all([api('/api/returns/templates'), api('/api/returns/compliance')]);
    for (const a of t.annexes) st.templates[a.annex] = a;
    st.units = comp.units;
    st.canSubmitAny = comp.canSubmitAny;
    st.canSubmit = comp.canSubmitAny || comp.canSubmitOwn;
    const seeAll = st.canSubmitAny || st.user.role === 'LEADER';
    $('matrix-panel').hidden = !seeAll;
    $('submit-tools').hidden = !st.canSubmit;
    $('form-tools').hidden = !st.canSubmit;
    if (seeAll) renderMatrix();
    const q = qs();
    const annex = Number(q.get('annex'));
    st.annex = ANNEX_LIST.includes(annex) ? annex : 1;
    st.unit = q.get('unit') || st.user.unitCode || (st.units[0] && st.units[0].unitCode) || null;
    renderUnits();
    wire();
    await select(st.annex, st.unit);
  }

  main().catch((e) => showError('returns-error', e));
})();
