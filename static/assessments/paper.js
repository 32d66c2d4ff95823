// The test paper: autosave each answer, flags, navigator, one-per-page mode, countdown.
// Options are posted as the positions shown; the server maps and marks them.
(function () {
  "use strict";
  var paper = document.getElementById("paper");
  if (!paper) return;
  var text = document.getElementById("paper-text").dataset;
  var csrf = paper.querySelector("input[name=csrfmiddlewaretoken]").value;
  var questions = Array.prototype.slice.call(paper.querySelectorAll(".question"));
  var navButtons = Array.prototype.slice.call(paper.querySelectorAll(".nav-q[data-goto]"));
  var sequential = paper.dataset.sequential === "1";
  var state = document.getElementById("save-state");
  var modeSelect = document.getElementById("mode");
  var current = 0;
  var lastRevision = 0;
  var pending = 0;

  function nextRevision() {
    // Milliseconds since the epoch, strictly increasing in this tab: the newest save wins.
    lastRevision = Math.max(Date.now(), lastRevision + 1);
    return lastRevision;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify(body)
    });
  }

  function setState(message, bad) {
    state.textContent = message;
    state.classList.toggle("is-bad", !!bad);
  }

  function answerOf(section) {
    if (section.dataset.type === "essay") {
      var value = section.querySelector("textarea").value;
      return {choice: [], text: value, answered: value.trim() !== ""};
    }
    var chosen = Array.prototype.slice.call(section.querySelectorAll("input:checked")).map(function (i) { return parseInt(i.value, 10); });
    return {choice: chosen, text: "", answered: chosen.length > 0};
  }

  function refreshNav(index) {
    var section = questions[index];
    navButtons[index].classList.toggle("is-answered", answerOf(section).answered);
    navButtons[index].classList.toggle("is-flagged", section.querySelector(".flag").classList.contains("is-on"));
    var answered = questions.filter(function (q) { return answerOf(q).answered; }).length;
    document.getElementById("submit-summary").textContent = text.summary + answered + " / " + questions.length;
  }

  function save(index) {
    var section = questions[index];
    var answer = answerOf(section);
    refreshNav(index);
    pending += 1;
    setState(text.saving);
    post(paper.dataset.answerUrl, {position: parseInt(section.dataset.position, 10), choice: answer.choice, text: answer.text, revision: nextRevision()})
      .then(function (response) {
        return response.json().then(function (data) {
          pending -= 1;
          if (!response.ok) { setState(data.error || text.failed, true); return; }
          if (!pending) setState(text.saved);
        });
      })
      .catch(function () { pending -= 1; setState(text.failed, true); });
  }

  questions.forEach(function (section, index) {
    section.addEventListener("change", function (event) {
      if (event.target.matches("input")) save(index);
    });
    var timer = null;
    var area = section.querySelector("textarea");
    if (area) {
      area.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { save(index); }, 600);
      });
      area.addEventListener("blur", function () { clearTimeout(timer); save(index); });
    }
    var flag = section.querySelector(".flag");
    flag.addEventListener("click", function () {
      var on = !flag.classList.contains("is-on");
      flag.classList.toggle("is-on", on);
      flag.setAttribute("aria-pressed", on ? "true" : "false");
      refreshNav(index);
      post(paper.dataset.flagUrl, {position: parseInt(section.dataset.position, 10), flagged: on});
    });
    section.querySelector(".prev").addEventListener("click", function () { show(index - 1); });
    section.querySelector(".next").addEventListener("click", function () { show(index + 1); });
  });

  function show(index) {
    if (index < 0 || index >= questions.length) return;
    if (sequential && index < current) return;
    current = index;
    var one = modeSelect.value === "one";
    questions.forEach(function (section, i) {
      section.hidden = one && i !== index;
      section.querySelector(".prev").hidden = !one || i === 0 || sequential;
      section.querySelector(".next").hidden = !one || i === questions.length - 1;
    });
    navButtons.forEach(function (button, i) {
      button.classList.toggle("is-current", i === index);
      button.disabled = sequential && i < index;
    });
    if (history.replaceState) history.replaceState(null, "", "#q" + index);
    if (!one) questions[index].scrollIntoView({block: "start"});
  }

  navButtons.forEach(function (button) {
    button.addEventListener("click", function () { show(parseInt(button.dataset.goto, 10)); });
  });
  modeSelect.value = (!sequential && localStorage.getItem("paper-mode") === "all") ? "all" : "one";
  modeSelect.addEventListener("change", function () {
    localStorage.setItem("paper-mode", modeSelect.value);
    show(current);
  });
  var fromHash = /^#q(\d+)$/.exec(location.hash);
  show(fromHash ? Math.min(parseInt(fromHash[1], 10), questions.length - 1) : 0);

  document.getElementById("submit-form").addEventListener("submit", function (event) {
    if (paper.dataset.timeup !== "1" && !window.confirm(text.confirm)) event.preventDefault();
  });

  // The countdown is only a display: the server holds the deadline.
  var deadline = Date.now() + parseInt(paper.dataset.remaining, 10) * 1000;
  var clock = paper.querySelector("[data-countdown]");
  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    clock.textContent = (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
    document.getElementById("countdown").classList.toggle("is-low", left < 300);
    if (left === 0) {
      clearInterval(interval);
      setState(text.timeup, true);
      paper.dataset.timeup = "1";
      setTimeout(function () { document.getElementById("submit-form").submit(); }, 1500);
    }
  }
  var interval = setInterval(tick, 1000);
  tick();
})();
