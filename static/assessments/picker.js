/* Pickers that scale (officers for overrides, units for audiences): a search box in front of the
   form's own <select>, which stays the thing submitted. Typing asks the server for at most 20
   matches by name or police number; arrows and Enter choose, Escape closes; chosen entries are
   listed with a button to remove each. Everything it says comes from the select's data-* (gettext). */
(function () {
  "use strict";

  function init(select) {
    if (select.dataset.pickerReady) return;
    select.dataset.pickerReady = "1";
    var multiple = select.multiple;
    var base = select.id || "picker-" + Math.random().toString(36).slice(2);
    var wrap = document.createElement("div");
    wrap.className = "picker";
    var chosen = document.createElement("ul");
    chosen.className = "picker__chosen";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "picker__input";
    input.id = base + "-search";
    input.autocomplete = "off";
    input.placeholder = select.dataset.pickerPlaceholder || "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    var list = document.createElement("ul");
    list.className = "picker__results";
    list.id = base + "-results";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    var status = document.createElement("p");
    status.className = "picker__status";
    status.setAttribute("aria-live", "polite");
    var label = document.querySelector('label[for="' + select.id + '"]');
    if (label) label.setAttribute("for", input.id);
    select.parentNode.insertBefore(wrap, select);
    wrap.appendChild(chosen);
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(status);
    wrap.appendChild(select);
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;

    var results = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function renderChosen() {
      chosen.textContent = "";
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.selected || !option.value) return;
        var item = document.createElement("li");
        item.className = "picker__item";
        var text = document.createElement("span");
        text.textContent = option.textContent;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "picker__remove button button-small button-secondary";
        remove.textContent = select.dataset.pickerRemove || "×";
        remove.setAttribute("aria-label", (select.dataset.pickerRemove || "") + " " + option.textContent);
        remove.addEventListener("click", function () {
          option.selected = false;
          option.remove();
          renderChosen();
          select.dispatchEvent(new Event("change", { bubbles: true }));
          input.focus();
        });
        item.appendChild(text);
        item.appendChild(remove);
        chosen.appendChild(item);
      });
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(result) {
      if (!multiple) {
        Array.prototype.slice.call(select.options).forEach(function (option) {
          if (option.value) option.remove();
        });
      }
      var option = Array.prototype.find.call(select.options, function (o) { return o.value === String(result.id); });
      if (!option) {
        option = document.createElement("option");
        option.value = String(result.id);
        option.textContent = result.label;
        select.appendChild(option);
      }
      option.selected = true;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      input.value = "";
      close();
      renderChosen();
      status.textContent = result.label;
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function render() {
      list.textContent = "";
      active = -1;
      if (!results.length) {
        status.textContent = select.dataset.pickerNone || "";
        close();
        return;
      }
      results.forEach(function (result, i) {
        var item = document.createElement("li");
        item.id = base + "-option-" + i;
        item.className = "picker__option";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = result.label;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();  // keep the focus in the box
          choose(result);
        });
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = (select.dataset.pickerFound || "{n}").replace("{n}", results.length);
    }

    function search() {
      var query = input.value.trim();
      if (!query) {
        results = [];
        close();
        status.textContent = select.dataset.pickerHint || "";
        return;
      }
      var ticket = ++asked;
      fetch(select.dataset.pickerUrl + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin", headers: { Accept: "application/json" },
      }).then(function (response) {
        return response.ok ? response.json() : { results: [] };
      }).then(function (data) {
        if (ticket !== asked) return;  // a later search has been asked meanwhile
        results = data.results || [];
        render();
      }).catch(function () {
        results = [];
        render();
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) search(); else highlight(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault();  // choosing, not submitting the form
          choose(results[active]);
        }
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    renderChosen();
  }

  function start() {
    document.querySelectorAll("select[data-picker-url]").forEach(init);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
