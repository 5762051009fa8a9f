/**
 * The dashboard's only script (served from the app, CSP `script-src 'self'`): shows a run's
 * progress while it is applying, by polling its JSON status, and reloads the page once it
 * settles; submits filter forms when a choice changes; opens the folded section a link points into.
 * Pages work without it.
 */
export const DASHBOARD_JS = `
(function () {
  'use strict';
  function poll(box) {
    var id = box.getAttribute('data-poll-run');
    var bar = box.querySelector('progress');
    var text = box.querySelector('[data-progress-text]');
    function tick() {
      fetch('/api/runs/' + encodeURIComponent(id) + '/status', { headers: { accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) {
          if (!s) return setTimeout(tick, 3000);
          if (bar) { bar.max = Math.max(1, s.progress.total); bar.value = s.progress.done; }
          if (text) text.textContent = s.progress.text;
          if (s.settled) { window.location.reload(); return; }
          setTimeout(tick, 1000);
        })
        .catch(function () { setTimeout(tick, 3000); });
    }
    setTimeout(tick, 700);
  }
  // A link to a row inside a closed <details> (a failure's fix in the manual actions) opens it.
  function revealTarget() {
    var id = decodeURIComponent((window.location.hash || '').slice(1));
    var el = id && document.getElementById(id);
    for (var p = el && el.parentElement; p; p = p.parentElement) if (p.tagName === 'DETAILS') p.open = true;
    if (el) el.scrollIntoView({ block: 'center' });
  }
  window.addEventListener('hashchange', revealTarget);
  document.addEventListener('DOMContentLoaded', function () {
    revealTarget();
    Array.prototype.forEach.call(document.querySelectorAll('[data-poll-run]'), poll);
    Array.prototype.forEach.call(document.querySelectorAll('form[data-autosubmit] select'), function (el) {
      el.addEventListener('change', function () { el.form.submit(); });
    });
  });
})();
`;
