// The venue screen: count down to the next code, then load the page again for it
// (the code and its QR code are made on the server). Before the session it checks
// once a minute for its start.
(function () {
  "use strict";
  var venue = document.querySelector("[data-venue-refresh]");
  if (!venue) return;
  var left = parseInt(venue.getAttribute("data-venue-refresh"), 10) || 30;
  if (venue.hasAttribute("data-venue-waiting")) left = 60;
  var countdown = venue.querySelector("[data-venue-countdown]");
  window.setInterval(function () {
    left -= 1;
    if (countdown && left >= 0) countdown.textContent = String(left);
    if (left <= 0) window.location.reload();
  }, 1000);
})();
