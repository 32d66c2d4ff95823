/* Wagtail's admin starts date pickers and inline panels with inline <script>s, which
   the Content-Security-Policy refuses. The project's templates (officers/templates/
   wagtailadmin/) leave a <template data-csp-init> marker instead; this file runs the
   same call for every marker, on load and whenever the editor adds one (a new inline
   form, a dialog moved into the page, a StreamField block). */
(function () {
  "use strict";
  var PANELS = { InlinePanel: true, MultipleChooserPanel: true };

  function start(marker) {
    if (marker.dataset.cspDone) return;
    marker.dataset.cspDone = "1";
    var name = marker.dataset.cspInit;
    var init = window[name];
    if (typeof init !== "function") return;
    var config = JSON.parse(marker.dataset.cspConfig || "{}");
    if (PANELS[name]) {
      new init(config); // eslint-disable-line new-cap, no-new
    } else {
      init(marker.dataset.cspTarget, config);
    }
  }

  function scan(root) {
    if (root.matches && root.matches("template[data-csp-init]")) start(root);
    if (root.querySelectorAll) root.querySelectorAll("template[data-csp-init]").forEach(start);
  }

  function ready() {
    scan(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) scan(node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
