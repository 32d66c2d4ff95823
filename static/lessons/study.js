// The lesson page's heartbeat: while the page is visible it tells the server every
// few seconds, with what the videos have played; the server's clock measures the
// study time and answers what is still needed (lessons.views.lesson_study_ping).
(function () {
  "use strict";
  var article = document.querySelector("article[data-study-url]");
  if (!article) return;
  var url = article.getAttribute("data-study-url");
  var every = parseInt(article.getAttribute("data-study-every"), 10) || 15;
  var csrf = article.getAttribute("data-csrf");
  var button = document.querySelector("[data-study-complete]");

  function videos() {
    var report = {};
    article.querySelectorAll(".study-media[data-block] video").forEach(function (video) {
      var block = video.closest(".study-media").getAttribute("data-block");
      var played = [];
      for (var i = 0; i < video.played.length; i++) {
        played.push([video.played.start(i), video.played.end(i)]);
      }
      report[block] = { duration: isFinite(video.duration) ? video.duration : null, played: played };
    });
    return report;
  }

  function show(progress) {
    var time = article.querySelector("[data-study-time]");
    if (time) {
      var soFar = time.querySelector("[data-study-so-far]");
      if (progress.seconds_left === 0) {
        time.classList.add("study-status--done");
      }
      if (soFar) {
        soFar.textContent = soFar.textContent.replace(/\d+/, String(progress.minutes_done));
      }
    }
    (progress.videos || []).forEach(function (video) {
      var item = article.querySelector('[data-study-video="' + video.block_id + '"]');
      if (!item) return;
      item.textContent = item.textContent.replace(/\d+%/, video.percent + "%");
      item.classList.toggle("study-status--done", video.watched);
    });
    if (button && progress.done) {
      button.disabled = false;
    }
  }

  // `visible`: whether the page was in view for the whole time since the last ping.
  function ping(visible) {
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ visible: visible, media: videos() }),
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (progress) { if (progress) show(progress); })
      .catch(function () { /* offline for a moment: the next ping carries on */ });
  }

  function isVisible() { return document.visibilityState === "visible"; }

  ping(false); // starts the clock
  window.setInterval(function () { ping(isVisible()); }, every * 1000);
  // The time that just ended was spent in the state the page is leaving.
  document.addEventListener("visibilitychange", function () { ping(!isVisible()); });
})();
