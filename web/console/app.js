// Chat simulator: plain browser JS, no build step. Bot cards are Adaptive Cards rendered with the
// official `adaptivecards` renderer; clicks and form values go to /api/console/action.
(function () {
  'use strict';
  const ROLE_LABELS = { BUREAU_ADMIN: '省数据局（管理员）', BUREAU_STAFF: '省数据局', LEADER: '领导', UNIT_OFFICER: '单位联络员', UNIT_LEADER: '单位负责人' };
  const $ = (id) => document.getElementById(id);
  const state = { who: null, room: null, lastId: 0, since: null, timer: null, file: null, rendered: new Map() };

  let csrfToken = null;
  async function api(path, options) {
    const opts = Object.assign({ credentials: 'same-origin' }, options || {});
    if (opts.method && opts.method !== 'GET') {
      // The simulator is part of the signed-in console: unsafe requests carry the session's CSRF token.
      if (!csrfToken) csrfToken = (await (await fetch('/api/me', { credentials: 'same-origin' })).json()).csrfToken;
      opts.headers = Object.assign({}, opts.headers || {}, { 'x-csrf-token': csrfToken });
    }
    const res = await fetch(path, opts);
    if (res.status === 401) {
      location.href = '/login?next=/simulator';
      throw new Error('请先登录。');
    }
    const body = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
    if (!res.ok) throw new Error((body && body.message) || `请求失败（${res.status}）`);
    return body;
  }
  function showError(msg) {
    const el = $('sim-error');
    el.textContent = msg || '';
    el.hidden = !msg;
  }

  async function loadPeople() {
    const people = await api('/api/console/people');
    const select = $('sim-who');
    select.innerHTML = '';
    const groups = {};
    for (const p of people) (groups[p.role] ||= []).push(p);
    for (const role of Object.keys(ROLE_LABELS)) {
      if (!groups[role]) continue;
      const og = document.createElement('optgroup');
      og.label = ROLE_LABELS[role];
      for (const p of groups[role]) {
        const o = document.createElement('option');
        o.value = p.id;
        o.textContent = p.unitName && !p.name.startsWith(p.unitName) ? `${p.name}（${p.unitName}）` : p.name;
        o.dataset.personKey = p.name;
        og.appendChild(o);
      }
      select.appendChild(og);
    }
    const saved = new URLSearchParams(location.search).get('as') || localStorage.getItem('duban.as');
    if (saved && people.some((p) => p.id === saved)) select.value = saved;
    await choosePerson(select.value);
  }

  async function choosePerson(id) {
    state.who = id;
    localStorage.setItem('duban.as', id);
    const rooms = await api(`/api/console/rooms?as=${encodeURIComponent(id)}`);
    const nav = $('sim-rooms');
    nav.innerHTML = '';
    for (const r of rooms) {
      const b = document.createElement('button');
      b.textContent = (r.kind === 'direct' ? '💬 ' : '👥 ') + r.name;
      b.dataset.room = r.id;
      b.onclick = () => openRoom(r);
      nav.appendChild(b);
    }
    const keep = rooms.find((r) => r.id === state.room?.id);
    await openRoom(keep || rooms[0]);
  }

  async function openRoom(room) {
    state.room = room;
    state.lastId = 0;
    state.since = null;
    state.rendered.clear();
    $('sim-messages').innerHTML = '';
    $('sim-room-title').textContent = room.name;
    for (const b of $('sim-rooms').children) b.classList.toggle('active', b.dataset.room === room.id);
    showError('');
    await poll();
  }

  async function poll() {
    if (!state.room) return;
    clearTimeout(state.timer);
    try {
      const q = new URLSearchParams({ as: state.who, room: state.room.id, after: String(state.lastId) });
      if (state.since) q.set('since', state.since);
      const { now, messages } = await api(`/api/console/messages?${q}`);
      state.since = now;
      for (const m of messages) render(m);
    } catch (e) {
      showError(e.message);
    }
    state.timer = setTimeout(poll, 800);
  }

  function render(m) {
    const list = $('sim-messages');
    let el = state.rendered.get(m.id);
    const fresh = !el;
    if (fresh) {
      el = document.createElement('div');
      el.className = `msg ${m.direction === 'IN' ? 'in' : 'out'}`;
      el.dataset.id = m.id;
    }
    el.innerHTML = '';
    const meta = document.createElement('div');
    meta.className = 'meta';
    meta.textContent = `${m.senderName} · ${new Date(m.createdAt).toLocaleString('zh-CN', { hour12: false })}`;
    el.appendChild(meta);
    if (m.text) el.appendChild(bubble(m.text));
    if (m.attachment) el.appendChild(bubble(`📎 ${m.attachment.name}（${Math.ceil(m.attachment.size / 1024)} KB）`));
    if (m.message) el.appendChild(renderOut(m.id, m.message));
    if (m.updatedAt) {
      const u = document.createElement('div');
      u.className = 'updated';
      u.textContent = '卡片已更新';
      el.appendChild(u);
    }
    if (fresh) {
      list.appendChild(el);
      state.rendered.set(m.id, el);
      state.lastId = Math.max(state.lastId, m.id);
      list.scrollTop = list.scrollHeight;
    }
  }

  function bubble(text) {
    const b = document.createElement('div');
    b.className = 'bubble';
    b.textContent = text;
    return b;
  }

  function renderOut(messageId, out) {
    if (out.type === 'card') {
      const holder = document.createElement('div');
      holder.className = 'card';
      const card = new AdaptiveCards.AdaptiveCard();
      card.hostConfig = new AdaptiveCards.HostConfig({ fontFamily: 'system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "DubanCJK", sans-serif' });
      card.onExecuteAction = (action) => execute(messageId, action);
      try {
        card.parse(out.card);
        holder.appendChild(card.render());
      } catch (e) {
        holder.appendChild(bubble(out.fallbackText || '（卡片无法显示）'));
      }
      return holder;
    }
    if (out.type === 'markdown') return bubble(`${out.title ? out.title + '\n' : ''}${out.markdown}`);
    if (out.type === 'image') {
      const img = document.createElement('img');
      img.alt = out.alt || out.title || '';
      img.style.maxWidth = '100%';
      img.src = out.url || `data:image/png;base64,${out.pngBase64}`;
      return img;
    }
    return bubble(out.text || '');
  }

  async function execute(messageId, action) {
    const data = Object.assign({}, action.data || {});
    const token = data.token;
    delete data.token;
    delete data.action;
    const values = {};
    for (const [k, v] of Object.entries(data)) if (v !== undefined && v !== null) values[k] = String(v);
    showError('');
    try {
      await api('/api/console/action', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ as: state.who, room: state.room.id, messageId, token, values }),
      });
      poll();
    } catch (e) {
      showError(e.message);
    }
  }

  async function send(ev) {
    ev.preventDefault();
    const text = $('sim-text').value.trim();
    showError('');
    try {
      if (state.file) {
        const q = new URLSearchParams({ as: state.who, room: state.room.id, name: state.file.name, text });
        await api(`/api/console/upload?${q}`, { method: 'POST', headers: { 'content-type': state.file.type || 'application/octet-stream' }, body: state.file });
        state.file = null;
        $('sim-file').value = '';
        $('sim-pending-file').hidden = true;
      } else if (text) {
        await api('/api/console/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as: state.who, room: state.room.id, text }) });
      }
      $('sim-text').value = '';
      poll();
    } catch (e) {
      showError(e.message);
    }
  }

  $('sim-who').addEventListener('change', (e) => choosePerson(e.target.value).catch((err) => showError(err.message)));
  $('sim-composer').addEventListener('submit', send);
  $('sim-file').addEventListener('change', (e) => {
    state.file = e.target.files[0] || null;
    const p = $('sim-pending-file');
    p.hidden = !state.file;
    p.textContent = state.file ? `待发送附件：${state.file.name}（点“发送”上传，可在输入框写说明，如“任务6 佐证”）` : '';
  });
  loadPeople().catch((e) => showError(e.message));
})();
