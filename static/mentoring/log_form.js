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

(function () {
  "use strict";
  var form = document.querySelector("form[data-draft-url]");
  if (!form || !window.fetch || !window.FormData) return;
  var status = form.querySelector(".draft-status");
  var timer = null;
  var pending = false;
  var submitting = false;
  var savedText = status ? status.getAttribute("data-saved") : "";
  var offlineText = status ? status.getAttribute("data-offline") : "";

  function save() {
    timer = null;
    var data = new FormData(form);
    fetch(form.getAttribute("data-draft-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    }).then(function (json) {
      pending = false;
      if (status && json.saved_at) status.textContent = savedText + " " + json.saved_at;
    }).catch(function () {
      // Offline or server unreachable: try again shortly, the form keeps what was typed.
      if (status) status.textContent = offlineText;
      timer = window.setTimeout(save, 5000);
    });
  }

  function schedule() {
    pending = true;
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(save, 800);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function (event) {
    if (timer) window.clearTimeout(timer);
    // The log is being sent: no last autosave as the page unloads (it would bring the
    // sent log back as a draft), and a second tap does not send it again.
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
    if (pending && !submitting && navigator.sendBeacon) navigator.sendBeacon(form.getAttribute("data-draft-url"), new FormData(form));
  });
})();
