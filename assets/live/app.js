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
  // A paced round: the page shows one question and follows the facilitator (it asks which question every few
  // seconds; unsaved changes are saved first).
  var step = form.getAttribute('data-step');
  var follow = false;

  function goOn() {
    window.location.href = form.getAttribute('data-page');
  }

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
      if (again) { again = false; save(); return; }
      if (follow) { goOn(); }
    });
  }

  if (step) {
    setInterval(function () {
      fetch(form.getAttribute('data-poll'), { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
        .then(function (r) { return r.json(); })
        .then(function (reply) {
          if (!reply || reply.step === step || follow) { return; }
          follow = true;
          if (timer !== null || busy) { clearTimeout(timer); timer = null; save(); } else { goOn(); }
        })
        .catch(function () {});
    }, 2000);
  }

  function later() {
    say(status.getAttribute('data-unsaved'), 'pending');
    clearTimeout(timer);
    timer = setTimeout(function () { timer = null; save(); }, 800);
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
