(function () {
  'use strict';
  const form = document.getElementById('login-form');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    Duban.clearError('login-error');
    const button = document.getElementById('login-submit');
    button.disabled = true;
    try {
      await Duban.api('/api/login', {
        json: { username: document.getElementById('login-username').value, password: document.getElementById('login-password').value },
        noRedirect: true,
      });
      const next = Duban.qs().get('next');
      // Only same-site paths: an attacker's ?next=https://... must not bounce a fresh session away.
      location.href = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
    } catch (e) {
      Duban.showError('login-error', e);
    } finally {
      button.disabled = false;
    }
  });
})();
