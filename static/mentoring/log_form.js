// The shift log form: kept on the server as it is typed (so a dropped connection loses
// nothing), a comment asked for as soon as a rating below 3 or above 6 is tapped (and
// otherwise folded away), a shift over 12 hours questioned before it is sent, and after a
// refusal the page opens at the first field to correct.
(function () {
  "use strict";
  document.querySelectorAll(".rating-row").forEach(function (row) {
    var radios = row.querySelectorAll("input[type=radio]");
    var comment = row.querySelector("textarea");
    var box = row.querySelector(".rating-row__comment");
    var add = row.querySelector(".rating-row__add-comment");
    if (!radios.length || !comment || !box) return;
    var opened = false;
    function value() {
      var checked = row.querySelector("input[type=radio]:checked");
      return checked ? checked.value : "";
    }
    function update() {
      var rated = parseInt(value(), 10);
      var needed = rated < 3 || rated > 6;
      comment.required = needed;
      row.classList.toggle("rating-row--needs-comment", needed && !comment.value.trim());
      var show = needed || opened || comment.value.trim() !== "" || row.classList.contains("field--error");
      box.hidden = !show;
      if (add) add.hidden = show || value() === "";
    }
    radios.forEach(function (r) { r.addEventListener("change", update); });
    comment.addEventListener("input", update);
    if (add) add.addEventListener("click", function () { opened = true; update(); comment.focus(); });
    update();
  });

  var box = document.querySelector(".long-shift");
  var start = document.getElementById("id_start_time");
  var end = document.getElementById("id_end_time");
  if (box && start && end) {
    var limit = parseInt(box.getAttribute("data-long-minutes"), 10);
    var confirm = box.querySelector("input[type=checkbox]");
    var check = function () {
      var a = start.value.split(":"), b = end.value.split(":");
      if (a.length < 2 || b.length < 2) return;
      var minutes = (b[0] * 60 + +b[1]) - (a[0] * 60 + +a[1]);
      if (minutes <= 0) minutes += 24 * 60;
      var long = minutes > limit;
      box.hidden = !long;
      if (!long && confirm) confirm.checked = false;
    };
    start.addEventListener("change", check);
    end.addEventListener("change", check);
    check();
  }

  // After a refusal, open the page at the first field to correct (not at the top).
  var wrong = document.querySelector(".log-form .field--error, .log-form .rating-row.field--error");
  if (wrong) {
    var input = wrong.querySelector("textarea:not([hidden]), input:not([type=hidden]), select");
    wrong.scrollIntoView({ block: "center" });
    if (input) input.focus({ preventScroll: true });
  }
})();

// The draft, kept on the server as it is typed and on this device too:
// - each save names the draft revision this page last saw; if another device saved
//   since, the server answers 409 with that device's text, and both are shown (nothing
//   is overwritten unseen);
// - if the session ended, the server answers 401: the page says 登录已过期, keeps what
//   was typed on this device, and after logging in again the form comes back with it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft-url]");
  if (!form || !window.fetch || !window.FormData) return;
  var url = form.getAttribute("data-draft-url");
  var revision = parseInt(form.getAttribute("data-draft-revision") || "0", 10) || 0;
  var serverSavedAt = (parseInt(form.getAttribute("data-draft-saved") || "0", 10) || 0) * 1000;
  var localKey = form.getAttribute("data-local-key");
  var usedTokens = (form.getAttribute("data-used-tokens") || "").split(",");
  var status = form.querySelector(".draft-status");
  var conflictBox = document.querySelector(".draft-conflict");
  var expiredBox = document.querySelector(".session-expired");
  var timer = null;
  var pending = false;
  var submitting = false;
  var paused = false; // a conflict or an ended session: no autosave until it is resolved
  var savedText = status ? status.getAttribute("data-saved") : "";
  var offlineText = status ? status.getAttribute("data-offline") : "";
  var restoredText = status ? status.getAttribute("data-restored") : "";
  var other = null; // the other device's draft, while a conflict is shown

  function values() {
    var out = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") out[name] = value;
    });
    return out;
  }

  function fill(data) {
    Array.prototype.forEach.call(form.elements, function (el) {
      var name = el.name;
      if (!name || name === "csrfmiddlewaretoken" || el.type === "submit" || el.type === "button") return;
      if (name === "base_version") return;
      var value = Object.prototype.hasOwnProperty.call(data, name) ? data[name] : null;
      if (el.type === "radio") {
        var checked = value !== null ? el.value === value : el.value === "";
        if (el.checked !== checked) { el.checked = checked; el.dispatchEvent(new Event("change", { bubbles: true })); }
      } else if (el.type === "checkbox") {
        var on = value !== null && value !== "";
        if (el.checked !== on) { el.checked = on; el.dispatchEvent(new Event("change", { bubbles: true })); }
      } else if (value !== null) {
        el.value = value;
        el.dispatchEvent(new Event("input", { bubbles: true }));
      } else if (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.type !== "hidden")) {
        el.value = "";  // empty in the other draft
        el.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
  }

  function keepLocal() {
    if (!localKey || !window.localStorage) return;
    try {
      var data = values();
      window.localStorage.setItem(localKey, JSON.stringify({ at: Date.now(), token: data.form_token || "", data: data }));
    } catch (e) { /* storage full or disabled: the server copy remains */ }
  }

  function readLocal() {
    if (!localKey || !window.localStorage) return null;
    try { return JSON.parse(window.localStorage.getItem(localKey) || "null"); } catch (e) { return null; }
  }

  function clearLocal() {
    if (localKey && window.localStorage) { try { window.localStorage.removeItem(localKey); } catch (e) { /* ignore */ } }
  }

  function body() {
    var data = new FormData(form);
    data.append("draft_revision", String(revision));
    return data;
  }

  function saved(json) {
    pending = false;
    if (json.revision) revision = json.revision;
    if (json.submitted) clearLocal();
    if (status && json.saved_at) status.textContent = savedText + " " + json.saved_at;
  }

  function expired(json) {
    paused = true;
    keepLocal();
    if (expiredBox) {
      var link = expiredBox.querySelector(".session-expired__login");
      if (link && json && json.login_url) link.setAttribute("href", json.login_url);
      expiredBox.hidden = false;
      expiredBox.scrollIntoView({ block: "start", behavior: "smooth" });
    }
    if (status && json && json.error) status.textContent = json.error;
  }

  function labelOf(name) {
    var el = form.elements[name];
    var id = el && el.id;
    var label = id ? form.querySelector('label[for="' + id + '"]') : null;
    return label ? label.textContent.replace(/\s*\*\s*$/, "") : name;
  }

  function conflict(json) {
    paused = true;
    other = json;
    if (!conflictBox) return;
    var texts = conflictBox.querySelector(".draft-conflict__texts");
    texts.textContent = "";
    var mine = values();
    var names = Object.keys(mine).concat(Object.keys(json.data || {}));
    var shown = {};
    names.forEach(function (name) {
      if (shown[name] || /^(form_token|base_version|draft_revision)$/.test(name)) return;
      shown[name] = true;
      var a = mine[name] || "", b = (json.data || {})[name] || "";
      if (a === b) return;
      var el = form.elements[name];
      if (!el || (el.tagName !== "TEXTAREA" && el.type !== "text" && el.type !== "date" && el.type !== "time" && !el.length)) return;
      var block = document.createElement("div");
      block.className = "draft-conflict__field";
      var heading = document.createElement("p");
      heading.className = "small";
      var strong = document.createElement("strong");
      strong.textContent = labelOf(name);
      heading.appendChild(strong);
      block.appendChild(heading);
      [[conflictBox.getAttribute("data-mine-title"), a], [conflictBox.getAttribute("data-other-title") + (json.saved_at ? " " + json.saved_at : ""), b]].forEach(function (pair) {
        var caption = document.createElement("p");
        caption.className = "small muted";
        caption.textContent = pair[0];
        var box = document.createElement("textarea");
        box.readOnly = true;
        box.rows = 2;
        box.value = pair[1] || "—";
        block.appendChild(caption);
        block.appendChild(box);
      });
      texts.appendChild(block);
    });
    conflictBox.hidden = false;
    conflictBox.scrollIntoView({ block: "start", behavior: "smooth" });
  }

  function save() {
    timer = null;
    if (paused) return;
    keepLocal();
    fetch(url, {
      method: "POST",
      body: body(),
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 401) return response.json().then(expired, function () { expired(null); });
      if (response.status === 409) return response.json().then(conflict);
      if (!response.ok) throw new Error(response.status);
      return response.json().then(saved);
    }).catch(function () {
      // Offline or server unreachable: try again shortly, the form keeps what was typed.
      if (status) status.textContent = offlineText;
      timer = window.setTimeout(save, 5000);
    });
  }

  function schedule() {
    pending = true;
    keepLocal();
    if (paused) return;
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(save, 800);
  }

  if (conflictBox) {
    conflictBox.querySelector(".draft-conflict__mine").addEventListener("click", function () {
      // Keep this device's text: save it over the revision now shown.
      revision = other ? other.revision : revision;
      paused = false;
      conflictBox.hidden = true;
      save();
    });
    conflictBox.querySelector(".draft-conflict__theirs").addEventListener("click", function () {
      if (other) { fill(other.data || {}); revision = other.revision; }
      paused = false;
      conflictBox.hidden = true;
      save();
    });
  }

  // Back after logging in again (or a reload): what this device kept, if newer than the
  // server's draft and not already sent as a log, comes back into the form.
  var local = readLocal();
  if (local && local.data) {
    if (local.token && usedTokens.indexOf(local.token) !== -1) {
      clearLocal();
    } else if (local.at > serverSavedAt + 1000) {
      var current = values();
      var differs = Object.keys(local.data).some(function (k) { return k !== "base_version" && (local.data[k] || "") !== (current[k] || ""); });
      if (differs) {
        fill(local.data);
        if (status && restoredText) status.textContent = restoredText;
        schedule();
      }
    }
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function (event) {
    if (timer) window.clearTimeout(timer);
    // The log is being sent: no last autosave as the page unloads (it would bring the
    // sent log back as a draft), and a second tap does not send it again. This device's
    // copy stays until the log page confirms (its token is then a used one).
    keepLocal();
    submitting = true;
    pending = false;
    var button = event.submitter;
    if (button) window.setTimeout(function () { button.disabled = true; }, 0);
  });
  window.addEventListener("pageshow", function (event) {
    // Back to a page kept by the browser: the form can be sent again.
    if (event.persisted) {
      submitting = false;
      form.querySelectorAll("button[disabled]").forEach(function (b) { b.disabled = false; });
    }
  });
  window.addEventListener("pagehide", function () {
    if (pending && !submitting && !paused && navigator.sendBeacon) navigator.sendBeacon(url, body());
  });
})();
