// The test paper: answers kept on the device until the server has them, flags,
// navigator, one-per-page mode, countdown. Options are posted as the positions
// shown; the server maps and marks them.
//
// Every change goes into a queue of unsaved answers (the newest per question),
// kept in localStorage under the sitting, so a reload, a crashed tab or a login
// that ran out loses nothing. The queue is sent in one request to the batched
// endpoint (the single-answer one if the batch is not there). Each answer carries
// a revision that counts its saves, started from the one the server put in the
// HTML (data-revision): the server keeps a save only if its revision is higher,
// so a late or repeated save never overwrites a newer one, and the device's clock
// plays no part. Once a queued answer may have reached the server, a change takes
// a new revision. While the network is down, or the login has expired, the page
// says so, keeps answering into the queue, and sends it when it can; what the
// server refused is named question by question.
//
// Flags (⚑) go the same way, in a queue of their own (the latest state per
// question), sent once the answers have gone; a flag the server could not take is
// named. Handing in is asked in JSON too, so a login that ran out at time-up is
// told on the paper (登录已过期) instead of leading a form to the login page. What
// never reached the server is named on the result page (see the end of this file).
(function () {
  "use strict";
  var paper = document.getElementById("paper");
  if (!paper) return;
  var text = document.getElementById("paper-text").dataset;
  var pageToken = paper.querySelector("input[name=csrfmiddlewaretoken]").value;
  var navButtons = Array.prototype.slice.call(paper.querySelectorAll(".nav-q[data-goto]"));
  // One slot per question; a sequential test's page holds only the question reached,
  // and each next one is fetched from the server when the officer moves on to it.
  var questions = navButtons.map(function (button) { return document.getElementById("q" + button.dataset.goto); });
  var sequential = paper.dataset.sequential === "1";
  var state = document.getElementById("save-state");
  var alertBox = document.getElementById("paper-alert");
  var alertText = document.getElementById("paper-alert-text");
  var alertList = document.getElementById("paper-alert-problems");
  var action = document.getElementById("paper-alert-action");
  var modeSelect = document.getElementById("mode");
  var submitForm = document.getElementById("submit-form");
  var answerUrl = paper.dataset.answerUrl;
  var batchUrl = answerUrl.replace(/answer\/$/, "answers/");
  var storageKey = "paper-answers:" + paper.dataset.sitting;
  var flagKey = "paper-flags:" + paper.dataset.sitting;
  var BATCH_MAX = 50;
  var current = 0;
  var furthest = parseInt(paper.dataset.furthest || "0", 10) || 0;
  var revisions = questions.map(function (q) { return q ? parseInt(q.dataset.revision || "0", 10) || 0 : 0; });

  var queue = {};       // position -> {position, choice, text, revision, sent}: newest answer not yet acknowledged
  var problems = {};    // position -> why the server did not keep that question's answer
  var flagQueue = {};   // position -> {position, flagged}: the latest flag state not yet acknowledged
  var flagProblems = {};  // position -> why the server did not keep that question's flag
  var link = "ok";      // "ok", "offline", "server", "expired" (login ran out), "closed" (handed in or out of time)
  var closedError = "";
  var recovered = false;  // the link failed and has come back: say once that everything is saved
  var sending = null;     // the request in flight (one at a time)
  var sendTimer = null, retryTimer = null, recoveredTimer = null;
  var retryDelay = 2000;
  var batchMissing = false;
  var visits = Promise.resolve();

  function csrfToken() {
    // Logging in again gives a new token: the cookie has it, the page's HTML does not.
    var match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
    return match ? decodeURIComponent(match[1]) : pageToken;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken()},
      body: JSON.stringify(body)
    });
  }

  // What an answer from the server means for the page.
  function outcome(response) {
    return response.json().catch(function () { return null; }).then(function (data) {
      var toLogin = response.redirected && /\/accounts\/login\//.test(response.url);
      if (response.status === 401 || toLogin || (data && data.session_expired)) return {kind: "expired"};
      // A CSRF refusal: the token belonged to a session that has ended.
      if (response.status === 403 && !data) return {kind: "expired"};
      if (response.status === 404 && !data) return {kind: "missing"};
      if (response.status === 409) return {kind: "closed", error: (data && data.error) || text.closed};
      if (response.status >= 500 || !data) return {kind: "server"};
      if (!response.ok) return {kind: "refused", error: data.error || text.refused};
      return {kind: "ok", data: data};
    });
  }

  function store(key, entries) {
    try {
      if (Object.keys(entries).length) localStorage.setItem(key, JSON.stringify(entries));
      else localStorage.removeItem(key);
    } catch (error) { /* storage full or disabled: the queue still lives in the page */ }
  }

  function persist() {
    store(storageKey, queue);
    store(flagKey, flagQueue);
  }

  function forget() {
    try {
      localStorage.removeItem(storageKey);
      localStorage.removeItem(flagKey);
    } catch (error) { /* nothing to keep */ }
  }

  function waitingCount() {
    return Object.keys(queue).length + Object.keys(flagQueue).length;
  }

  function numbers(positions) {
    return positions.map(function (p) { return parseInt(p, 10) + 1; }).sort(function (a, b) { return a - b; }).join(text.separator);
  }

  // Two sentences side by side: no space after a Chinese full stop.
  function join(first, second) {
    if (!second) return first;
    if (!first) return second;
    return first + (/[。！？]$/.test(first) ? "" : " ") + second;
  }

  function setState(message, tone) {
    state.textContent = message;
    state.classList.toggle("is-bad", tone === "bad");
    state.classList.toggle("is-warn", tone === "warn");
  }

  // The calm line under the bar: what happened, which questions, and what to do (log in, see the result).
  function showAlert(message, tone, lines, next) {
    alertBox.hidden = !message && !lines.length;
    alertBox.className = "paper-alert" + (tone ? " paper-alert--" + tone : "");
    alertText.textContent = message;
    alertText.hidden = !message;
    alertList.textContent = "";
    lines.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      alertList.appendChild(item);
    });
    alertList.hidden = !lines.length;
    action.hidden = !next;
    if (next === "login") {
      // Back to this question once logged in; the queue waits in localStorage meanwhile.
      action.href = paper.dataset.loginUrl + "?next=" + encodeURIComponent(location.pathname + location.hash);
      action.textContent = text.logIn;
    } else if (next === "result") {
      action.href = paper.dataset.resultUrl;
      action.textContent = text.result;
    }
  }

  function updateState() {
    var pending = Object.keys(queue);
    var flagsPending = Object.keys(flagQueue);
    var refused = Object.keys(problems).sort(function (a, b) { return a - b; });
    navButtons.forEach(function (button, i) {
      button.classList.toggle("is-problem", !!problems[i] || (link === "closed" && !!queue[i]));
      button.classList.toggle("is-pending", link !== "ok" && (!!queue[i] || (link !== "closed" && !!flagQueue[i])));
    });
    var lines = refused.map(function (p) {
      return text.problem.replace("{n}", parseInt(p, 10) + 1).replace("{why}", problems[p]);
    });
    // Flags the server refused, or that were still waiting when the sitting closed.
    var flagsLost = Object.keys(flagProblems).filter(function (p) { return !flagQueue[p]; });
    if (link === "closed") flagsLost = flagsLost.concat(flagsPending);
    var flagLine = flagsLost.length ? text.flagsLost.replace("{n}", numbers(flagsLost)) : "";
    if (flagLine && link !== "closed") lines.push(flagLine);
    var waiting = pending.length ? text.waiting.replace("{n}", numbers(pending)) : "";
    if (flagsPending.length && link !== "closed") waiting = join(waiting, text.flagsWaiting.replace("{n}", numbers(flagsPending)));
    if (link === "expired") {
      setState(text.expiredShort, "bad");
      // At time-up the server hands the paper in by itself; the answers on this device are sent
      // after logging in again if the sitting still takes them, or named on the result page.
      showAlert(join(handInWhenBack ? text.timeupExpired : text.expired, waiting), "bad", lines, "login");
    } else if (link === "closed") {
      setState(closedError, "bad");
      if (pending.length) lines.push(text.lost.replace("{n}", numbers(pending)));
      if (flagLine) lines.push(flagLine);
      showAlert(closedError, "bad", lines, "result");
    } else if (link === "offline" || link === "server") {
      setState(handInWhenBack ? text.timeup : (link === "offline" ? text.offlineShort : text.serverShort), "warn");
      var why = handInWhenBack ? text.timeupOffline : (link === "offline" ? text.offline : text.server);
      showAlert(join(why, waiting), "warn", lines, null);
    } else if (handingIn && timeUpNow) {
      setState(text.timeup, "bad");
      showAlert(text.handingIn, "warn", lines, null);
    } else {
      if (pending.length || flagsPending.length) setState(text.saving);
      else if (refused.length) setState(text.notAllSaved, "bad");
      else setState(text.saved);
      var message = recovered && !pending.length && !flagsPending.length && !refused.length ? text.allSaved : "";
      showAlert(message, refused.length || flagsLost.length ? "bad" : "ok", lines, null);
    }
  }

  function answerOf(section) {
    if (section.dataset.type === "essay") {
      var value = section.querySelector("textarea").value;
      return {choice: [], text: value, answered: value.trim() !== ""};
    }
    var chosen = Array.prototype.slice.call(section.querySelectorAll("input:checked")).map(function (i) { return parseInt(i.value, 10); });
    return {choice: chosen, text: "", answered: chosen.length > 0};
  }

  // Put a queued answer back into its question (after a reload or a new login).
  function fill(section, entry) {
    if (section.dataset.type === "essay") {
      section.querySelector("textarea").value = entry.text || "";
      return;
    }
    Array.prototype.forEach.call(section.querySelectorAll("input"), function (input) {
      input.checked = (entry.choice || []).indexOf(parseInt(input.value, 10)) !== -1;
    });
  }

  function refreshNav(index) {
    var section = questions[index];
    navButtons[index].classList.toggle("is-answered", answerOf(section).answered);
    navButtons[index].classList.toggle("is-flagged", section.querySelector(".flag").classList.contains("is-on"));
    var answered = navButtons.filter(function (b) { return b.classList.contains("is-answered"); }).length;
    document.getElementById("submit-summary").textContent = text.summary + answered + " / " + questions.length;
  }

  // Show a question's flag (its button, if the question is in the page, and the navigator).
  function showFlag(index, on) {
    var section = questions[index];
    if (section) {
      var flag = section.querySelector(".flag");
      flag.classList.toggle("is-on", on);
      flag.setAttribute("aria-pressed", on ? "true" : "false");
    }
    navButtons[index].classList.toggle("is-flagged", on);
  }

  function read(key) {
    try { return JSON.parse(localStorage.getItem(key) || "{}") || {}; } catch (error) { return {}; }
  }

  function restore() {
    var stored = read(storageKey);
    Object.keys(stored).forEach(function (key) {
      var entry = stored[key];
      if (!entry || typeof entry.position !== "number" || typeof entry.revision !== "number") return;
      var index = entry.position;
      if (index < 0 || index >= questions.length) return;
      var section = questions[index];
      if (section && entry.revision <= revisions[index]) return;  // the server has it, or a newer answer
      entry.sent = true;  // it may have landed before the page went away: a change takes a new revision
      queue[index] = entry;
      revisions[index] = Math.max(revisions[index], entry.revision);
      if (section) { fill(section, entry); refreshNav(index); }
      recovered = true;  // say so once they have landed
    });
    var flags = read(flagKey);
    Object.keys(flags).forEach(function (key) {
      var entry = flags[key];
      if (!entry || typeof entry.position !== "number" || typeof entry.flagged !== "boolean") return;
      if (entry.position < 0 || entry.position >= questions.length) return;
      flagQueue[entry.position] = {position: entry.position, flagged: entry.flagged};
      showFlag(entry.position, entry.flagged);
      recovered = true;
    });
    persist();
  }

  // Queue the question's answer as it stands now.
  function record(index) {
    var section = questions[index];
    var answer = answerOf(section);
    var position = parseInt(section.dataset.position, 10);
    var entry = queue[position];
    if (!entry || entry.sent) {
      revisions[index] += 1;
      entry = {position: position, revision: revisions[index]};
      queue[position] = entry;
    }
    entry.choice = answer.choice;
    entry.text = answer.text;
    entry.sent = false;
    delete problems[position];
    clearTimeout(recoveredTimer);
    recovered = false;
    refreshNav(index);
    persist();
    updateState();
  }

  function schedule(delay) {
    clearTimeout(sendTimer);
    sendTimer = setTimeout(pump, delay);
  }

  function scheduleRetry() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(pump, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  function deliverOneByOne(bodies) {
    var results = [];
    var chain = Promise.resolve(null);
    bodies.forEach(function (body) {
      chain = chain.then(function (stop) {
        if (stop) return stop;
        return post(answerUrl, body).then(outcome).then(function (result) {
          if (result.kind === "ok") {
            results.push({position: body.position, saved: !!result.data.saved, revision: result.data.revision, error: result.data.error});
          } else if (result.kind === "refused" || result.kind === "missing") {
            results.push({position: body.position, saved: false, error: result.error || text.refused});
          } else {
            return result;
          }
          return null;
        }, function () { return {kind: "offline"}; });
      });
    });
    return chain.then(function (stop) {
      return {kind: stop ? stop.kind : "ok", error: stop && stop.error, results: results};
    });
  }

  function deliver(bodies) {
    if (batchMissing) return deliverOneByOne(bodies);
    return post(batchUrl, {answers: bodies}).then(outcome).then(function (result) {
      if (result.kind === "missing") {
        batchMissing = true;  // a server without the batched endpoint
        return deliverOneByOne(bodies);
      }
      if (result.kind === "ok") return {kind: "ok", results: result.data.results || []};
      return result;
    }, function () { return {kind: "offline"}; });
  }

  // Flags one request each, in order; stops at the first that cannot get through
  // (the network, the server, the login, a closed sitting). A flag the server
  // refuses on its own is kept as a problem and the others go on.
  function deliverFlags(entries) {
    var done = [];
    var chain = Promise.resolve(null);
    entries.forEach(function (entry) {
      chain = chain.then(function (stop) {
        if (stop) return stop;
        return post(paper.dataset.flagUrl, {position: entry.position, flagged: entry.flagged}).then(outcome).then(function (result) {
          if (result.kind === "ok") done.push({entry: entry});
          else if (result.kind === "refused" || result.kind === "missing") done.push({entry: entry, error: result.error || text.refused});
          else return result;
          return null;
        }, function () { return {kind: "offline"}; });
      });
    });
    return chain.then(function (stop) {
      return {kind: stop ? stop.kind : "ok", error: stop && stop.error, done: done};
    });
  }

  // What a send's outcome means for the link, then what comes next.
  function settle(result) {
    var wasDown = link !== "ok";
    if (result.kind === "ok" || result.kind === "refused") {
      link = "ok";
      retryDelay = 2000;
      if (wasDown) recovered = true;
    } else if (result.kind === "closed") {
      link = "closed";
      closedError = result.error;
      forget();
    } else {
      link = result.kind;  // offline, server, expired
      if (link !== "expired") scheduleRetry();
    }
    if (link !== "closed") persist();
    updateState();
    if (link === "ok" && waitingCount()) return pump();
    if ((link === "ok" || link === "closed") && handInWhenBack) { handInWhenBack = false; handIn(true); }
    if (recovered && !waitingCount()) {
      clearTimeout(recoveredTimer);
      recoveredTimer = setTimeout(function () { recovered = false; updateState(); }, 15000);
    }
  }

  // Send the queue, a batch at a time, then the flags; resolves once both are empty
  // or sending has to stop. With nothing waiting while the link is down, an empty
  // batch asks whether the server can be reached again (and the login is back).
  function pump() {
    clearTimeout(sendTimer);
    if (sending) return sending;
    if (link === "closed") return Promise.resolve();
    var batch = Object.keys(queue).map(function (p) { return queue[p]; })
      .sort(function (a, b) { return a.position - b.position; }).slice(0, BATCH_MAX);
    var flags = Object.keys(flagQueue).map(function (p) { return flagQueue[p]; })
      .sort(function (a, b) { return a.position - b.position; });
    if (!batch.length && !flags.length && link === "ok") return Promise.resolve();
    clearTimeout(retryTimer);
    if (link === "ok") setState(text.saving);
    if (!batch.length && flags.length) {
      sending = deliverFlags(flags).then(function (result) {
        sending = null;
        result.done.forEach(function (sent) {
          var position = sent.entry.position;
          if (sent.error) flagProblems[position] = sent.error;
          else delete flagProblems[position];
          if (flagQueue[position] === sent.entry) delete flagQueue[position];  // else a newer change waits
        });
        return settle(result);
      });
      return sending;
    }
    batch.forEach(function (entry) { entry.sent = true; });
    persist();
    var bodies = batch.map(function (e) { return {position: e.position, choice: e.choice, text: e.text, revision: e.revision}; });
    sending = deliver(bodies).then(function (result) {
      sending = null;
      (result.results || []).forEach(function (answer, i) {
        var entry = batch[i];
        if (!entry || answer.position !== entry.position) return;
        if (answer.saved) delete problems[entry.position];
        else problems[entry.position] = answer.error || text.conflict;
        if (queue[entry.position] === entry) delete queue[entry.position];  // else a newer change waits
      });
      if (result.kind === "refused") {
        batch.forEach(function (entry) {
          problems[entry.position] = result.error;
          if (queue[entry.position] === entry) delete queue[entry.position];
        });
      }
      return settle(result);
    });
    return sending;
  }

  function bind(section, index) {
    section.addEventListener("change", function (event) {
      if (event.target.matches("input")) {
        record(index);
        schedule(0);
      }
    });
    var area = section.querySelector("textarea");
    if (area) {
      // Every keystroke is kept on the device at once; it is sent after a pause.
      area.addEventListener("input", function () {
        record(index);
        schedule(800);
      });
      area.addEventListener("blur", function () { if (queue[index] && !queue[index].sent) schedule(0); });
    }
    var flag = section.querySelector(".flag");
    flag.addEventListener("click", function () {
      // Queued like an answer (the latest state wins), kept on the device, sent after the answers.
      var on = !flag.classList.contains("is-on");
      var position = parseInt(section.dataset.position, 10);
      showFlag(index, on);
      refreshNav(index);
      flagQueue[position] = {position: position, flagged: on};
      delete flagProblems[position];
      clearTimeout(recoveredTimer);
      recovered = false;
      persist();
      updateState();
      schedule(0);
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
    visits = visits.then(pump).then(function () {
      return post(paper.dataset.positionUrl, {position: index});
    }).then(outcome).then(function (result) {
      if (result.kind === "expired") { link = "expired"; updateState(); return; }
      if (result.kind !== "ok") throw new Error(result.error || text.failed);
      var data = result.data;
      if (data.html && !questions[index]) {
        var holder = document.createElement("div");
        holder.innerHTML = data.html;
        var section = holder.querySelector(".question");
        paper.insertBefore(section, submitForm);
        questions[index] = section;
        revisions[index] = Math.max(revisions[index], parseInt(section.dataset.revision || "0", 10) || 0);
        if (queue[index]) fill(section, queue[index]);
        if (flagQueue[index]) showFlag(index, flagQueue[index].flagged);
        bind(section, index);
      }
      if (current === index) show(index);
    }).catch(function (error) { setState(error.message || text.failed, "bad"); });
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
    if (link === "expired") updateState();  // the way back follows the question
  }

  navButtons.forEach(function (button) {
    button.addEventListener("click", function () { show(parseInt(button.dataset.goto, 10)); });
  });
  modeSelect.value = (!sequential && localStorage.getItem("paper-mode") === "all") ? "all" : "one";
  modeSelect.addEventListener("change", function () {
    localStorage.setItem("paper-mode", modeSelect.value);
    show(current);
  });
  var handingIn = false, timeUpNow = false, handInWhenBack = false;
  restore();
  var fromHash = /^#q(\d+)$/.exec(location.hash);
  var start = fromHash ? Math.min(parseInt(fromHash[1], 10), questions.length - 1) : 0;
  if (sequential) start = Math.max(start, Math.min(furthest, questions.length - 1));
  show(start);
  updateState();
  pump();

  window.addEventListener("online", function () {
    retryDelay = 2000;
    if (link === "offline" && !waitingCount()) { link = "ok"; updateState(); }
    if (handInWhenBack) { handInWhenBack = false; handIn(true); } else pump();
  });
  window.addEventListener("offline", function () {
    if (link === "ok") { link = "offline"; updateState(); }
  });
  // After logging in again in another tab, coming back here sends what waited.
  function retryAfterLogin() {
    if (link === "expired" && document.visibilityState !== "hidden") pump();
  }
  window.addEventListener("focus", retryAfterLogin);
  document.addEventListener("visibilitychange", retryAfterLogin);

  function handIn(timeUp) {
    if (handingIn) return;
    handingIn = true;
    timeUpNow = timeUp;
    updateState();
    var waited = pump();
    // At the deadline, wait a few seconds at most: the server's grace is short. The
    // page's clock starts from the server's whole seconds left, so it may reach zero
    // up to a second before the server does: hand in once the server's time is up too.
    var limit = new Promise(function (resolve) { setTimeout(resolve, timeUp ? 6000 : 20000); });
    var settled = timeUp ? Promise.all([Promise.race([waited, limit]), new Promise(function (resolve) {
      setTimeout(resolve, Math.max(0, deadline + 1500 - Date.now()));
    })]) : Promise.race([waited, limit]);
    // Not now: hand in once back (at time-up by itself; the server hands the paper in
    // too if this page cannot, and after logging in again the paper leads to its result).
    function notNow() {
      handingIn = false;
      handInWhenBack = timeUp;
      updateState();
      if (!timeUp) showAlert(link === "expired" ? text.expired : text.handInOffline, link === "expired" ? "bad" : "warn", [], link === "expired" ? "login" : null);
    }
    settled.then(function () {
      if (link === "expired" || link === "offline" || link === "server") return notNow();
      var unsaved = Object.keys(queue).length + Object.keys(problems).length;
      if (unsaved && !timeUp && link !== "closed" && !window.confirm(text.unsaved + " (" + unsaved + ")")) {
        handingIn = false;
        updateState();
        return;
      }
      // Asked in JSON: a login that has run out is answered 401 here, where the page can say
      // so and keep what waits, rather than by a form led to the login page and back to a 405.
      return post(submitForm.action, {}).then(outcome).then(function (result) {
        if (result.kind === "ok" && result.data.result_url) {
          window.location.assign(result.data.result_url);
        } else if (result.kind === "offline" || result.kind === "server" || result.kind === "expired") {
          link = result.kind;
          if (link !== "expired") scheduleRetry();
          notNow();
        } else {
          window.location.assign(paper.dataset.resultUrl);  // handed in already, or not this page's to hand in
        }
      }, function () {
        link = "offline";
        scheduleRetry();
        notNow();
      });
    });
  }
  submitForm.addEventListener("submit", function (event) {
    event.preventDefault();
    if (paper.dataset.timeup !== "1" && !window.confirm(text.confirm)) return;
    handIn(paper.dataset.timeup === "1");
  });

  // The countdown is only a display: the server holds the deadline (and hands the
  // paper in itself if this page never does).
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
      paper.dataset.timeup = "1";
      handIn(true);
    }
  }
  var interval = setInterval(tick, 1000);
  tick();
})();

// The result page of the officer's own sitting: answers this device kept but the
// server never received (the login or the network was gone when the time ran out,
// and the sitting closed before they could be sent) are named, then cleared. The
// server's revision per question tells what did arrive.
(function () {
  "use strict";
  var box = document.getElementById("paper-leftover");
  var data = document.getElementById("paper-revisions");
  if (!box || !data) return;
  var key = "paper-answers:" + box.dataset.sitting;
  var stored, revisions;
  try { stored = JSON.parse(localStorage.getItem(key) || "{}") || {}; } catch (error) { stored = {}; }
  try { revisions = JSON.parse(data.textContent) || {}; } catch (error) { revisions = {}; }
  var lost = Object.keys(stored).map(function (k) { return stored[k]; }).filter(function (entry) {
    return entry && typeof entry.position === "number" && typeof entry.revision === "number"
      && entry.revision > (revisions[entry.position] || 0);
  }).map(function (entry) { return entry.position + 1; }).sort(function (a, b) { return a - b; });
  try {
    localStorage.removeItem(key);
    localStorage.removeItem("paper-flags:" + box.dataset.sitting);  // a flag means nothing once handed in
  } catch (error) { /* nothing to clear */ }
  if (!lost.length) return;
  box.querySelector("p").textContent = box.dataset.lost.replace("{n}", lost.join(box.dataset.separator));
  box.hidden = false;
})();
