// The test paper: autosave each answer, flags, navigator, one-per-page mode, countdown.
// Options are posted as the positions shown; the server maps and marks them.
//
// Each answer carries a revision that counts its saves: the page starts from the
// revision the server put in the HTML (data-revision) and adds one per save, so
// the device's clock plays no part. The server keeps a save only if its revision
// is higher than the stored one, so a late, stale save never overwrites a newer one.
// A save that fails on the network is retried; one the server refuses is shown
// as a problem, never as 已保存; hand-in waits for the saves still pending.
(function () {
  "use strict";
  var paper = document.getElementById("paper");
  if (!paper) return;
  var text = document.getElementById("paper-text").dataset;
  var csrf = paper.querySelector("input[name=csrfmiddlewaretoken]").value;
  var navButtons = Array.prototype.slice.call(paper.querySelectorAll(".nav-q[data-goto]"));
  // One slot per question; a sequential test's page holds only the question reached,
  // and each next one is fetched from the server when the officer moves on to it.
  var questions = navButtons.map(function (button) { return document.getElementById("q" + button.dataset.goto); });
  var sequential = paper.dataset.sequential === "1";
  var state = document.getElementById("save-state");
  var modeSelect = document.getElementById("mode");
  var submitForm = document.getElementById("submit-form");
  var current = 0;
  var furthest = parseInt(paper.dataset.furthest || "0", 10) || 0;
  var revisions = questions.map(function (q) { return q ? parseInt(q.dataset.revision || "0", 10) || 0 : 0; });
  var latest = {};    // question index -> the newest save not yet confirmed {revision, body, sending, failed, promise}
  var problems = {};  // question index -> the server's refusal, shown until a later save lands
  var typing = {};    // question index -> pending essay autosave timer
  var retryTimer = null;
  var retryDelay = 2000;
  var visits = Promise.resolve();

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

  function unsavedCount() {
    var indexes = {};
    Object.keys(latest).forEach(function (i) { indexes[i] = true; });
    Object.keys(problems).forEach(function (i) { indexes[i] = true; });
    return Object.keys(indexes).length;
  }

  function updateState() {
    navButtons.forEach(function (button, i) { button.classList.toggle("is-problem", !!problems[i] || !!(latest[i] && latest[i].failed)); });
    var refused = Object.keys(problems);
    var failed = Object.keys(latest).filter(function (i) { return latest[i].failed; });
    if (refused.length) setState(problems[refused[0]], true);
    else if (failed.length) setState(text.failed, true);
    else if (Object.keys(latest).length) setState(text.saving);
    else setState(text.saved);
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
    var answered = navButtons.filter(function (b) { return b.classList.contains("is-answered"); }).length;
    document.getElementById("submit-summary").textContent = text.summary + answered + " / " + questions.length;
  }

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = setTimeout(function () {
      retryTimer = null;
      retryFailed();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  function retryFailed() {
    Object.keys(latest).forEach(function (i) {
      if (latest[i].failed && !latest[i].sending) send(parseInt(i, 10));
    });
  }

  function send(index) {
    var entry = latest[index];
    if (!entry) return Promise.resolve();
    if (entry.sending) return entry.promise;
    entry.sending = true;
    entry.failed = false;
    entry.promise = post(paper.dataset.answerUrl, entry.body).then(function (response) {
      if (response.status >= 500) throw new Error("server error " + response.status);
      return response.json().catch(function () { return {}; }).then(function (data) {
        entry.sending = false;
        retryDelay = 2000;
        if (latest[index] !== entry) { updateState(); return; }  // a newer save of this question decides
        delete latest[index];
        if (!response.ok) problems[index] = data.error || text.refused;
        else if (!data.saved) problems[index] = data.error || text.conflict;
        else delete problems[index];
        updateState();
      });
    }).catch(function () {
      entry.sending = false;
      if (latest[index] === entry) {
        entry.failed = true;
        scheduleRetry();
      }
      updateState();
    });
    return entry.promise;
  }

  function save(index) {
    clearTimeout(typing[index]);
    delete typing[index];
    var section = questions[index];
    var answer = answerOf(section);
    refreshNav(index);
    revisions[index] += 1;
    latest[index] = {
      revision: revisions[index],
      body: {position: parseInt(section.dataset.position, 10), choice: answer.choice, text: answer.text, revision: revisions[index]}
    };
    updateState();
    return send(index);
  }

  // Send every save still waiting (typed text, failed or in flight) and wait for the answers.
  function flush() {
    Object.keys(typing).forEach(function (i) { save(parseInt(i, 10)); });
    return Promise.all(Object.keys(latest).map(function (i) { return send(parseInt(i, 10)); }));
  }

  function bind(section, index) {
    section.addEventListener("change", function (event) {
      if (event.target.matches("input")) save(index);
    });
    var area = section.querySelector("textarea");
    if (area) {
      area.addEventListener("input", function () {
        clearTimeout(typing[index]);
        typing[index] = setTimeout(function () { save(index); }, 600);
      });
      area.addEventListener("blur", function () { if (typing[index]) save(index); });
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
  }
  questions.forEach(function (section, index) { if (section) bind(section, index); });

  function reach(index) {
    // Sequential: tell the server once the answers given so far have landed, so a
    // save of an earlier question is never overtaken by the move past it. The
    // server records the move and only then sends the question reached.
    furthest = index;
    visits = visits.then(flush).then(function () {
      return post(paper.dataset.positionUrl, {position: index});
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || text.refused);
        if (data.html && !questions[index]) {
          var holder = document.createElement("div");
          holder.innerHTML = data.html;
          var section = holder.querySelector(".question");
          paper.insertBefore(section, submitForm);
          questions[index] = section;
          revisions[index] = parseInt(section.dataset.revision || "0", 10) || 0;
          bind(section, index);
        }
        if (current === index) show(index);
      });
    }).catch(function (error) { setState(error.message || text.failed, true); });
  }

  function show(index) {
    if (index < 0 || index >= questions.length) return;
    if (sequential && index < current) return;
    if (sequential && index > furthest) reach(index);
    current = index;
    var one = modeSelect.value === "one";
    questions.forEach(function (section, i) {
      if (!section) return;
      section.hidden = one && i !== index;
      section.querySelector(".prev").hidden = !one || i === 0 || sequential;
      section.querySelector(".next").hidden = !one || i === questions.length - 1;
    });
    navButtons.forEach(function (button, i) {
      button.classList.toggle("is-current", i === index);
      button.disabled = sequential && i < index;
    });
    if (history.replaceState) history.replaceState(null, "", "#q" + index);
    if (!one && questions[index]) questions[index].scrollIntoView({block: "start"});
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
  var start = fromHash ? Math.min(parseInt(fromHash[1], 10), questions.length - 1) : 0;
  if (sequential) start = Math.max(start, Math.min(furthest, questions.length - 1));
  show(start);
  window.addEventListener("online", retryFailed);

  var handingIn = false;
  function handIn(timeUp) {
    if (handingIn) return;
    handingIn = true;
    setState(text.saving);
    var waited = flush().then(function () { return unsavedCount() ? flush() : null; });
    // At the deadline, wait a few seconds at most: the server's grace is short.
    var limit = new Promise(function (resolve) { setTimeout(resolve, timeUp ? 6000 : 20000); });
    Promise.race([waited, limit]).then(function () {
      var unsaved = unsavedCount();
      if (unsaved && !timeUp && !window.confirm(text.unsaved + " (" + unsaved + ")")) {
        handingIn = false;
        updateState();
        return;
      }
      submitForm.submit();
    });
  }
  submitForm.addEventListener("submit", function (event) {
    event.preventDefault();
    if (paper.dataset.timeup !== "1" && !window.confirm(text.confirm)) return;
    handIn(paper.dataset.timeup === "1");
  });

  // The countdown is only a display: the server holds the deadline.
  var deadline = Date.now() + parseInt(paper.dataset.remaining, 10) * 1000;
  var clocks = Array.prototype.slice.call(document.querySelectorAll("[data-countdown]"));
  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    var shown = (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
    clocks.forEach(function (clock) { clock.textContent = shown; });
    document.getElementById("countdown").classList.toggle("is-low", left < 300);
    if (left === 0) {
      clearInterval(interval);
      setState(text.timeup, true);
      paper.dataset.timeup = "1";
      handIn(true);
    }
  }
  var interval = setInterval(tick, 1000);
  tick();
})();
