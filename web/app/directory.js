// 单位与人员: units, people and their platform accounts, chat groups; single edits and a two-step
// import (preview every row, then confirm).
(function () {
  'use strict';
  const { api, esc, showError, clearError, pager, qs } = Duban;
  const $ = (id) => document.getElementById(id);
  const LIMIT = 50;
  const KIND = { PROVINCIAL: '省直单位', CITY: '市州', BUREAU: '省数据局' };
  const PLATFORM = { WECOM: '企业微信', DINGTALK: '钉钉', CONSOLE: '模拟器' };
  const PURPOSE = { LEADERSHIP: '领导群', UNIT: '单位群', BUREAU: '省数据局群' };
  const ROLES = { BUREAU_ADMIN: '省数据局管理员', BUREAU_STAFF: '省数据局统筹调度人员', UNIT_OFFICER: '单位联络员', UNIT_LEADER: '单位负责人', LEADER: '领导' };
  const st = { tab: 'units', offsets: { units: 0, people: 0, groups: 0 }, people: [], editing: null, preview: null, file: null, rows: [] };

  function params(obj) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(obj)) if (v !== '' && v != null) p.set(k, String(v));
    return p.toString();
  }
  const dash = (v) => (v ? esc(v) : '<span class="muted">—</span>');

  function showTab(tab) {
    st.tab = tab;
    document.querySelectorAll('#dir-tabs button').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.tab === tab)));
    for (const t of ['units', 'people', 'groups', 'import']) $('tab-' + t).hidden = t !== tab;
    history.replaceState(null, '', `/directory?tab=${tab}`);
    if (tab === 'units') loadUnits();
    if (tab === 'people') loadPeople();
    if (tab === 'groups') loadGroups();
  }

  async function guarded(fn) {
    clearError('dir-error');
    try {
      await fn();
    } catch (e) {
      showError('dir-error', e);
    }
  }

  function loadUnits(offset = st.offsets.units) {
    st.offsets.units = offset;
    return guarded(async () => {
      const r = await api('/api/directory/units?' + params({ q: $('units-q').value.trim(), kind: $('units-kind').value, limit: LIMIT, offset }));
      $('units-table').innerHTML = '<thead><tr><th>编码</th><th>名称</th><th>类型</th><th>简称</th><th class="num">在用人员</th><th>群</th></tr></thead><tbody>' +
        (r.units.map((u) => `<tr><td>${esc(u.code)}</td><td>${esc(u.name)}</td><td>${esc(KIND[u.kind] || u.kind)}</td><td>${dash(u.aliases.join('、'))}</td>
          <td class="num"><a href="/directory?tab=people&unit=${encodeURIComponent(u.code)}" data-unit="${esc(u.code)}">${u.people}</a></td>
          <td>${u.groups.length ? u.groups.map((g) => `${esc(g.name)}<span class="muted">（${esc(PLATFORM[g.platform] || g.platform)}）</span>`).join('<br>') + (u.groupCount > u.groups.length ? `<br><span class="muted">等 ${u.groupCount} 个</span>` : '') : '<span class="muted">—</span>'}</td></tr>`).join('') ||
          '<tr><td colspan="6" class="muted">没有符合条件的单位</td></tr>') + '</tbody>';
      pager($('units-pager'), r.total, LIMIT, offset, loadUnits);
    });
  }

  function personRow(p) {
    if (st.editing === p.id) {
      return `<tr class="edit-row" data-person="${esc(p.id)}"><td>${esc(p.name)}</td><td>${esc(p.roleLabel)}</td><td>${dash(p.unitName)}</td>
        <td><input data-field="wecomUserId" value="${esc(p.wecomUserId || '')}" placeholder="企业微信 userid" aria-label="企业微信账号"></td>
        <td><input data-field="dingtalkUserId" value="${esc(p.dingtalkUserId || '')}" placeholder="钉钉 userId" aria-label="钉钉账号"></td>
        <td>${dash(p.consoleId)}</td><td><input data-field="title" value="${esc(p.title || '')}" aria-label="职务"></td><td>${p.active ? '在用' : '已停用'}</td>
        <td><button type="button" class="primary" data-save="${esc(p.id)}">保存</button> <button type="button" data-cancel>取消</button></td></tr>`;
    }
    return `<tr data-person="${esc(p.id)}"${p.active ? '' : ' class="inactive"'}><td>${esc(p.name)}</td><td>${esc(p.roleLabel)}</td><td>${dash(p.unitName)}</td>
      <td>${dash(p.wecomUserId)}</td><td>${dash(p.dingtalkUserId)}</td><td>${dash(p.consoleId)}</td><td>${dash(p.title)}</td><td>${p.active ? '在用' : '已停用'}</td>
      <td><button type="button" data-edit="${esc(p.id)}">绑定账号</button> <button type="button" data-active="${p.active ? 'false' : 'true'}" data-id="${esc(p.id)}">${p.active ? '停用' : '启用'}</button></td></tr>`;
  }

  function renderPeople() {
    $('people-table').innerHTML = '<thead><tr><th>姓名</th><th>角色</th><th>单位</th><th>企业微信账号</th><th>钉钉账号</th><th class="hide-narrow">模拟器ID</th><th>职务</th><th>状态</th><th>操作</th></tr></thead><tbody>' +
      (st.people.map(personRow).join('') || '<tr><td colspan="9" class="muted">没有符合条件的人员</td></tr>') + '</tbody>';
  }

  function loadPeople(offset = st.offsets.people) {
    st.offsets.people = offset;
    return guarded(async () => {
      const r = await api('/api/directory/people?' + params({ q: $('people-q').value.trim(), unit: $('people-unit').value, role: $('people-role').value, active: $('people-active').value, limit: LIMIT, offset }));
      st.people = r.people;
      renderPeople();
      pager($('people-pager'), r.total, LIMIT, offset, loadPeople);
    });
  }

  async function patchPerson(id, body, done) {
    clearError('dir-error');
    try {
      const r = await api(`/api/directory/people/${encodeURIComponent(id)}`, { method: 'PATCH', json: body });
      st.editing = null;
      $('people-notice').hidden = false;
      $('people-notice').textContent = done(r.person);
      await loadPeople();
    } catch (e) {
      showError('dir-error', e);
    }
  }

  function loadGroups(offset = st.offsets.groups) {
    st.offsets.groups = offset;
    return guarded(async () => {
      const r = await api('/api/directory/groups?' + params({ q: $('groups-q').value.trim(), platform: $('groups-platform').value, limit: LIMIT, offset }));
      $('groups-table').innerHTML = '<thead><tr><th>群名称</th><th>平台</th><th>用途</th><th>单位</th><th>群ID</th><th>Webhook</th></tr></thead><tbody>' +
        (r.groups.map((g) => `<tr><td>${esc(g.name)}</td><td>${esc(PLATFORM[g.platform] || g.platform)}</td><td>${esc(PURPOSE[g.purpose] || g.purpose)}</td><td>${dash(g.unitName)}</td>
          <td>${dash(g.chatId)}</td><td>${g.webhook ? esc(g.webhook) + (g.signed ? ' <span class="tag">加签</span>' : '') : '<span class="muted">—</span>'}</td></tr>`).join('') ||
          '<tr><td colspan="6" class="muted">没有符合条件的群</td></tr>') + '</tbody>';
      pager($('groups-pager'), r.total, LIMIT, offset, loadGroups);
    });
  }

  async function addGroup(ev) {
    ev.preventDefault();
    clearError('group-error');
    $('group-notice').hidden = true;
    try {
      const r = await api('/api/directory/groups', { json: {
        name: $('group-name').value.trim(), platform: $('group-platform').value, purpose: $('group-purpose').value,
        unitCode: $('group-unit').value || null, chatId: $('group-chat').value.trim() || null,
        webhookUrl: $('group-webhook').value.trim() || null, webhookSecret: $('group-secret').value.trim() || null,
      } });
      $('group-form').reset();
      $('group-notice').hidden = false;
      $('group-notice').textContent = `已登记群「${r.group.name}」。`;
      await loadGroups(0);
    } catch (e) {
      showError('group-error', e);
    }
  }

  // Import ---------------------------------------------------------------------------------------

  function renderImportRows() {
    const show = $('import-show').value;
    const rows = st.rows.filter((r) => show === 'all' || (show === 'changes' ? r.status === 'CREATE' || r.status === 'UPDATE' : r.status === show));
    $('import-table').innerHTML = rows.length
      ? '<thead><tr><th>表</th><th class="num">行号</th><th>名称</th><th>结果</th><th>说明</th></tr></thead><tbody>' +
        rows.map((r) => `<tr class="row-${r.status.toLowerCase()}"><td>${r.table === 'people' ? '人员' : '群'}</td><td class="num">${r.rowNo}</td><td>${dash(r.name)}</td>
          <td class="status-${r.status}">${esc(r.label)}</td><td>${esc(r.message)}</td></tr>`).join('') + '</tbody>'
      : '';
  }

  function counts(c) {
    return `新增 ${c.CREATE}，更新 ${c.UPDATE}，无变化 ${c.UNCHANGED}，错误 ${c.ERROR}`;
  }

  async function preview(ev) {
    ev.preventDefault();
    clearError('import-error');
    $('import-result').hidden = true;
    $('import-summary').hidden = true;
    $('import-actions').hidden = true;
    st.rows = [];
    renderImportRows();
    const file = $('import-file').files[0];
    if (!file) return showError('import-error', '请选择要导入的文件。');
    const fd = new FormData();
    fd.append('file', file, file.name);
    $('import-preview').disabled = true;
    try {
      const r = await api('/api/directory/import/preview', { method: 'POST', body: fd });
      st.file = file;
      st.preview = r;
      st.rows = r.rows;
      const tables = r.tables.map((t) => `${t.kind === 'people' ? '人员表' : '群表'} ${t.rows} 行`).join('，');
      const writes = r.counts.CREATE + r.counts.UPDATE;
      $('import-summary').hidden = false;
      $('import-summary').textContent = `文件「${r.file.name}」：${tables}。预览结果：${counts(r.counts)}。` +
        (writes ? `确认导入将写入 ${writes} 行${r.counts.ERROR ? `，${r.counts.ERROR} 行有错误将被跳过（可修改文件后重新预览）` : ''}。` : '没有需要写入的变化。');
      $('import-actions').hidden = false;
      $('import-confirm').disabled = writes === 0;
      renderImportRows();
    } catch (e) {
      showError('import-error', e);
    } finally {
      $('import-preview').disabled = false;
    }
  }

  async function confirmImport() {
    if (!st.file || !st.preview) return;
    clearError('import-error');
    const fd = new FormData();
    fd.append('sha256', st.preview.file.sha256);
    fd.append('file', st.file, st.file.name);
    $('import-confirm').disabled = true;
    try {
      const r = await api('/api/directory/import/confirm', { method: 'POST', body: fd });
      st.preview = null;
      st.rows = r.rows;
      $('import-actions').hidden = false;
      $('import-result').hidden = false;
      $('import-result').textContent = r.message;
      renderImportRows();
    } catch (e) {
      showError('import-error', e);
      $('import-confirm').disabled = false;
    }
  }

  async function main() {
    await Duban.shell('directory');
    const units = await api('/api/directory/units?limit=200').catch(() => ({ units: [] }));
    const options = units.units.map((u) => `<option value="${esc(u.code)}">${esc(u.name)}</option>`).join('');
    $('people-unit').insertAdjacentHTML('beforeend', options);
    $('group-unit').insertAdjacentHTML('beforeend', options);
    $('people-role').insertAdjacentHTML('beforeend', Object.entries(ROLES).map(([k, v]) => `<option value="${k}">${esc(v)}</option>`).join(''));
    const q = qs();
    if (q.get('unit')) $('people-unit').value = q.get('unit');
    document.querySelectorAll('#dir-tabs button').forEach((b) => b.addEventListener('click', () => showTab(b.dataset.tab)));
    $('units-filter').addEventListener('submit', (e) => { e.preventDefault(); loadUnits(0); });
    $('people-filter').addEventListener('submit', (e) => { e.preventDefault(); loadPeople(0); });
    $('groups-filter').addEventListener('submit', (e) => { e.preventDefault(); loadGroups(0); });
    $('units-table').addEventListener('click', (e) => {
      const a = e.target.closest('[data-unit]');
      if (!a) return;
      e.preventDefault();
      $('people-unit').value = a.dataset.unit;
      st.offsets.people = 0;
      showTab('people');
    });
    $('people-table').addEventListener('click', (e) => {
      const t = e.target;
      if (t.dataset.edit) { st.editing = t.dataset.edit; renderPeople(); }
      else if (t.hasAttribute('data-cancel')) { st.editing = null; renderPeople(); }
      else if (t.dataset.save) {
        const row = t.closest('tr');
        const val = (f) => row.querySelector(`[data-field=${f}]`).value.trim() || null;
        patchPerson(t.dataset.save, { wecomUserId: val('wecomUserId'), dingtalkUserId: val('dingtalkUserId'), title: val('title') }, (p) => `已保存 ${p.name} 的账号信息。`);
      } else if (t.dataset.active) {
        patchPerson(t.dataset.id, { active: t.dataset.active === 'true' }, (p) => `${p.name} 已${p.active ? '启用' : '停用'}。`);
      }
    });
    $('group-form').addEventListener('submit', addGroup);
    $('import-form').addEventListener('submit', preview);
    $('import-confirm').addEventListener('click', confirmImport);
    $('import-show').addEventListener('change', renderImportRows);
    showTab(['units', 'people', 'groups', 'import'].includes(q.get('tab')) ? q.get('tab') : 'units');
  }

  main().catch((e) => showError('dir-error', e));
})();
