// The shift log form: kept on the server as it is typed (so a dropped connection loses
// nothing), and a comment asked for as soon as a rating below 3 or above 6 is chosen.
(function () {
  "use strict";
  document.querySelectorAll(".rating-row").forEach(function (row) {
    var select = row.querySelector("select");
    var comment = row.querySelector("textarea");
    if (!select || !comment) return;
    function update() {
      var value = parseInt(select.value, 10);
      var needed = value < 3 || value > 6;
      comment.required = needed;
      row.classList.toggle("rating-row--needs-comment", needed && !comment.value.trim());
    }
    select.addEventListener("change", update);
    comment.addEventListener("input", update);
    update();
  });
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
