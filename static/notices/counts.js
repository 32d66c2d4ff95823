/* The header's to-do and unread-notice counts, fetched after the page is shown, so that
   no page pays for them in its own queries. */
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.dataset.url;
  if (!url || !window.fetch) { return; }
  function show(name, value) {
    var badge = document.querySelector('[data-count="' + name + '"]');
    if (!badge) { return; }
    if (value > 0) {
      badge.textContent = value > 99 ? "99+" : String(value);
      badge.hidden = false;
    } else {
      badge.textContent = "";
      badge.hidden = true;
    }
  }
  fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) { if (data) { show("todo", data.todo); show("unread", data.unread); } })
    .catch(function () { /* offline: the header simply shows no number */ });
}());
