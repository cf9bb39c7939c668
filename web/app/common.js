// Shared by every console page: the signed-in user, API calls with the CSRF token, the header and
// navigation by role, and small helpers (escaping, tables, pagination). No framework: pages are
// small and must run on government laptops without a build step.
(function () {
  'use strict';
  const state = { me: null };

  function esc(v) {
    return String(v == null ? '' : v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function api(path, opts = {}) {
    const headers = Object.assign({}, opts.headers || {});
    let body = opts.body;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    const method = opts.method || (body !== undefined ? 'POST' : 'GET');
    if (method !== 'GET' && state.me) headers['x-csrf-token'] = state.me.csrfToken;
    const res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
    if (res.status === 401 && !opts.noRedirect) {
      location.href = '/login?next=' + encodeURIComponent(location.pathname + location.search);
      throw new ApiError(401, 'UNAUTHENTICATED', '请先登录。');
    }
    const type = res.headers.get('content-type') || '';
    if (!res.ok) {
      let msg = '请求失败（' + res.status + '）';
      let code = 'HTTP_' + res.status;
      if (type.includes('json')) {
        const j = await res.json().catch(() => null);
        if (j && j.message) msg = j.message;
        if (j && j.error) code = j.error;
      }
      throw new ApiError(res.status, code, msg);
    }
    if (opts.raw) return res;
    return type.includes('json') ? res.json() : res.text();
  }

  async function me() {
    if (!state.me) state.me = await api('/api/me');
    return state.me;
  }

  const NAV = [
    { key: 'dashboard', href: '/', label: '督办总览', roles: null },
    { key: 'ranking', href: '/ranking', label: '晾晒排名', roles: null },
    { key: 'problems', href: '/problems', label: '问题工单', roles: null },
    { key: 'returns', href: '/returns', label: '报表填报', roles: ['BUREAU_ADMIN', 'BUREAU_STAFF', 'UNIT_OFFICER', 'UNIT_LEADER', 'LEADER'] },
    { key: 'plan', href: '/plan', label: '方案审核', roles: ['BUREAU_ADMIN', 'BUREAU_STAFF', 'LEADER'] },
    { key: 'directory', href: '/directory', label: '单位与人员', roles: ['BUREAU_ADMIN', 'BUREAU_STAFF'] },
    { key: 'simulator', href: '/simulator', label: '聊天模拟器', roles: ['BUREAU_ADMIN'] },
  ];

  /** Renders the header for `active` and returns the signed-in user. */
  async function shell(active) {
    const m = await me();
    const u = m.user;
    const header = document.createElement('header');
    header.className = 'top';
    const links = NAV.filter((n) => !n.roles || n.roles.includes(u.role))
      .map((n) => `<a href="${n.href}"${n.key === active ? ' aria-current="page" class="active"' : ''}>${esc(n.label)}</a>`)
      .join('');
    header.innerHTML =
      `<a class="brand" href="/">督办</a><nav class="main-nav" aria-label="主导航">${links}</nav>` +
      `<span class="who" id="who">${esc(u.displayName)} · ${esc(u.roleLabel)}${u.unitName ? ' · ' + esc(u.unitName) : ''}</span>` +
      `<button type="button" class="link" id="logout">退出</button>`;
    document.body.prepend(header);
    header.querySelector('#logout').addEventListener('click', async () => {
      await api('/api/logout', { method: 'POST' }).catch(() => {});
      location.href = '/login';
    });
    return u;
  }

  function showError(target, e) {
    const box = typeof target === 'string' ? document.getElementById(target) : target;
    if (!box) return;
    box.hidden = false;
    box.textContent = e instanceof Error ? e.message : String(e);
  }

  function clearError(target) {
    const box = typeof target === 'string' ? document.getElementById(target) : target;
    if (box) {
      box.hidden = true;
      box.textContent = '';
    }
  }

  /** Pagination control: "第 1–50 条，共 1,234 条  上一页 下一页". */
  function pager(container, total, limit, offset, go) {
    const from = total === 0 ? 0 : offset + 1;
    const to = Math.min(offset + limit, total);
    container.innerHTML =
      `<span>第 ${from.toLocaleString('zh-CN')}–${to.toLocaleString('zh-CN')} 条，共 ${total.toLocaleString('zh-CN')} 条</span>` +
      `<button type="button" data-go="prev"${offset === 0 ? ' disabled' : ''}>上一页</button>` +
      `<button type="button" data-go="next"${to >= total ? ' disabled' : ''}>下一页</button>`;
    container.querySelector('[data-go=prev]').onclick = () => go(Math.max(0, offset - limit));
    container.querySelector('[data-go=next]').onclick = () => go(offset + limit);
  }

  const STATUS = { ASSIGNED: '待签收', IN_PROGRESS: '办理中', SUBMITTED: '待审核', RETURNED: '已退回', DONE: '已办结' };
  const LIGHT = { GREEN: '正常', YELLOW: '临期', RED: '逾期' };
  function light(l) {
    return `<span class="light light-${String(l).toLowerCase()}" title="${esc(LIGHT[l] || '')}">${esc(LIGHT[l] || l)}</span>`;
  }

  function qs() {
    return new URLSearchParams(location.search);
  }

  window.Duban = { api, me, shell, esc, showError, clearError, pager, STATUS, light, qs, ApiError };
})();
