// The header menu on a phone: one "菜单" button opening the full list of pages,
// each on its own line (on wider screens every item shows and the button hides).
// Without this script the list simply wraps onto several rows.
(function () {
  "use strict";
  var nav = document.querySelector("[data-site-nav]");
  if (!nav) return;
  var button = nav.querySelector(".site-nav__toggle");
  var list = nav.querySelector("ul");
  var current = nav.querySelector('a[aria-current="page"]');
  var label = nav.querySelector(".site-nav__current");
  if (label && current) label.textContent = current.textContent;
  nav.classList.add("site-nav--js");
  button.hidden = false;

  function setOpen(open) {
    nav.classList.toggle("site-nav--open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && nav.classList.contains("site-nav--open")) {
      setOpen(false);
      button.focus();
    }
  });
  list.addEventListener("click", function (event) {
    if (event.target.closest("a")) setOpen(false);
  });
})();
