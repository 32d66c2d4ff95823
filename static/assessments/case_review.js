// The reviewer's file page: document tabs, findings kept on the server as they are typed.
// Each save carries the next revision; the server keeps only a higher one, so a stale save
// from another device never overwrites a newer draft.
(function () {
  "use strict";
  var root = document.getElementById("review");
  if (!root || !window.fetch) return;
  var text = document.getElementById("review-text").dataset;
  var list = document.getElementById("finding-list");
  var template = document.getElementById("finding-template");
  var state = document.getElementById("save-state");
  var csrf = document.querySelector("[name=csrfmiddlewaretoken]").value;
  var revision = parseInt(root.dataset.revision, 10) || 0;
  var timer = null, inFlight = false, dirty = false, submitting = false;

  document.querySelectorAll(".cr-tab").forEach(function (tab) {
    tab.addEventListener("click", function () {
      document.querySelectorAll(".cr-tab").forEach(function (t) {
        var on = t === tab;
        t.classList.toggle("is-current", on);
        t.setAttribute("aria-selected", on ? "true" : "false");
      });
      document.querySelectorAll("[data-doc-panel]").forEach(function (panel) {
        panel.hidden = panel.dataset.docPanel !== tab.dataset.doc;
      });
    });
  });

  function addFinding(values) {
    var item = template.content.firstElementChild.cloneNode(true);
    item.querySelectorAll("[data-field]").forEach(function (input) {
      var value = values && values[input.dataset.field];
      if (value !== undefined && value !== null) input.value = value;
    });
    item.querySelector(".cr-remove").addEventListener("click", function () {
      item.remove();
      schedule();
    });
    list.appendChild(item);
    return item;
  }

  function collect() {
    var findings = [];
    list.querySelectorAll(".cr-finding").forEach(function (item) {
      var f = {};
      item.querySelectorAll("[data-field]").forEach(function (input) { f[input.dataset.field] = input.value; });
      findings.push(f);
    });
    var chosen = document.querySelector("input[name=conclusion]:checked");
    return {
      conclusion: chosen ? chosen.value : "",
      reasons: document.getElementById("reasons").value,
      findings: findings
    };
  }

  function show(message, bad) {
    state.textContent = message;
    state.classList.toggle("is-bad", !!bad);
  }

  function save() {
    timer = null;
    if (inFlight) { timer = window.setTimeout(save, 400); return Promise.resolve(); }
    inFlight = true;
    dirty = false;
    var body = collect();
    body.revision = revision + 1;
    show(text.saving);
    return fetch(root.dataset.saveUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (json) { return { ok: response.ok, json: json }; });
    }).then(function (result) {
      inFlight = false;
      if (result.ok && result.json.saved) {
        revision = result.json.revision;
        show(text.saved);
      } else {
        // Refused: this page is behind a newer draft (another device). Keep refusing its
        // saves until it is reloaded, never leapfrog the newer draft's revision.
        show(result.json.error || text.failed, true);
      }
    }).catch(function () {
      inFlight = false;
      dirty = true;
      show(text.failed, true);
      timer = window.setTimeout(save, 5000);
    });
  }

  function schedule() {
    dirty = true;
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(save, 700);
  }

  var initial = JSON.parse(document.getElementById("findings-data").textContent || "[]");
  initial.forEach(addFinding);
  document.getElementById("add-finding").addEventListener("click", function () {
    var item = addFinding({});
    item.querySelector("select").focus();
    schedule();
  });
  root.addEventListener("input", function (event) { if (event.target.closest(".cr-side")) schedule(); });
  root.addEventListener("change", function (event) { if (event.target.closest(".cr-side")) schedule(); });

  document.getElementById("submit-form").addEventListener("submit", function (event) {
    if (submitting) return;
    event.preventDefault();
    var form = event.target;
    if (timer) window.clearTimeout(timer);
    var flush = dirty || timer ? save() : Promise.resolve();
    flush.then(function () {
      if (state.classList.contains("is-bad") && !window.confirm(text.unsaved)) return;
      if (!window.confirm(text.confirm)) return;
      submitting = true;
      form.submit();
    });
  });
})();
