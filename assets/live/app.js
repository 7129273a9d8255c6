// Integration Atlas, live round: saves as you go and checks lengths at once. The page works without this script;
// it only enhances the plain form. No inline code (the Content-Security-Policy forbids it); messages come from the
// page's own data attributes and the server's replies, shown with textContent (never as markup).
(function () {
  'use strict';
  var form = document.getElementById('answers');
  var status = document.getElementById('status');
  // The same message beside the save button, where the thumb is: the live region screen readers announce.
  var near = document.getElementById('saved');
  if (!form || !status || !near || !window.fetch || !window.FormData || !window.URLSearchParams) { return; }
  var timer = null;
  var busy = false;
  var again = false;

  // kind: 'ok' (saved), 'error' (refused or unreachable) or 'pending' (not saved yet).
  function say(text, kind) {
    var cls = 'status' + (text ? ' ' + kind : '');
    status.textContent = text || '';
    status.className = cls;
    near.textContent = text || '';
    near.className = cls;
    near.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  }

  function save() {
    if (busy) { again = true; return; }
    busy = true;
    say(status.getAttribute('data-saving'), 'pending');
    var body = new URLSearchParams(new FormData(form));
    fetch(form.action, {
      method: 'POST',
      body: body,
      credentials: 'same-origin',
      headers: { 'Accept': 'application/json' }
    }).then(function (r) {
      return r.json();
    }).then(function (reply) {
      say(reply.message, reply.ok ? 'ok' : 'error');
      if (reply.ok && reply.sub) { form.elements.sub.value = reply.sub; }
    }).catch(function () {
      say(status.getAttribute('data-offline'), 'error');
    }).then(function () {
      busy = false;
      if (again) { again = false; save(); }
    });
  }

  function later() {
    say(status.getAttribute('data-unsaved'), 'pending');
    clearTimeout(timer);
    timer = setTimeout(save, 800);
  }

  function check(input) {
    var max = parseInt(input.getAttribute('maxlength'), 10);
    input.setAttribute('aria-invalid', max && input.value.length > max ? 'true' : 'false');
  }

  form.addEventListener('change', later);
  form.addEventListener('input', function (e) {
    if (e.target && e.target.type === 'text') { check(e.target); later(); }
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    save();
  });
}());
