(function () {
  'use strict';
  var d = document;
  var root = d.documentElement;
  root.classList.add('js');
  var select = d.getElementById('cw-select');
  var keys = d.querySelectorAll('.cw-key');
  var marked = d.querySelectorAll('[data-cw]');
  var current = '';
  function pick(cw) {
    current = cw;
    for (var i = 0; i < marked.length; i++) {
      var el = marked[i];
      var mine = cw !== '' && el.getAttribute('data-cw') === cw;
      el.classList.toggle('on', mine);
      if (el.classList.contains('cw-key')) {
        el.setAttribute('aria-pressed', mine ? 'true' : 'false');
      }
    }
    root.classList.toggle('picked', cw !== '');
    if (select && select.value !== cw) {
      select.value = cw;
    }
  }
  if (select) {
    select.addEventListener('change', function () { pick(select.value); });
  }
  for (var k = 0; k < keys.length; k++) {
    keys[k].addEventListener('click', function () {
      var cw = this.getAttribute('data-cw');
      pick(cw === current ? '' : cw);
    });
  }
  // A link may name the caseworker to highlight: report.html#cw=S01.
  var named = /^#cw=(.+)$/.exec(window.location.hash);
  if (named) {
    pick(decodeURIComponent(named[1]));
  }
  root.setAttribute('data-report-ready', '1');
})();
