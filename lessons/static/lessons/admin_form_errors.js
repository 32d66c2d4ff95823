// A page that could not be saved: name every field in error, with its tab, in the
// message at the top, and bring the tab of the first error forward. Wagtail marks
// the fields but leaves the tab the trainer was on (an error on 推广's 网址别名 was
// invisible from 内容). The words come from the script tag (translated by Django).
(() => {
  const script = document.currentScript;
  const words = script ? script.dataset : {};

  const labelOf = (element) => {
    const wrapper = element.closest("[data-field-wrapper]");
    let label = wrapper && wrapper.querySelector(".w-field__label");
    if (!label && wrapper) {
      // A panel's own field (the slug) has its label above the wrapper.
      const input = wrapper.querySelector("input[id], select[id], textarea[id]");
      label = input && document.querySelector(`label[for="${input.id}"]`);
    }
    if (!label) return "";
    const copy = label.cloneNode(true);
    copy.querySelectorAll(".w-required-mark").forEach((mark) => mark.remove());
    return copy.textContent.trim();
  };

  const tabOf = (element) => {
    const panel = element.closest('[role="tabpanel"]');
    const trigger = panel && document.getElementById(panel.getAttribute("aria-labelledby"));
    return { panel, trigger, name: trigger ? trigger.firstChild.textContent.trim() : "" };
  };

  const run = () => {
    const form = document.querySelector("form[data-edit-form]");
    if (!form) return;
    const errors = [...form.querySelectorAll(".error-message")].filter((e) => e.textContent.trim());
    if (!errors.length || document.querySelector("[data-lessons-form-errors]")) return;
    const list = document.createElement("ul");
    list.className = "lessons-form-errors";
    list.dataset.lessonsFormErrors = "";
    list.setAttribute("aria-label", words.heading || "");
    // Clear of the phone's menu button, which sits over the message's left edge.
    list.style.margin = "0.5rem 0 0";
    list.style.paddingInlineStart = window.matchMedia("(max-width: 49.9375em)").matches ? "3.5rem" : "1.5rem";
    errors.forEach((error) => {
      const tab = tabOf(error);
      const item = document.createElement("li");
      const format = tab.name ? words.inTab : words.noTab;
      item.textContent = (format || "%(tab)s · %(field)s: %(error)s")
        .replace("%(tab)s", tab.name)
        .replace("%(field)s", labelOf(error))
        .replace("%(error)s", error.textContent.trim());
      list.append(item);
    });
    const message = document.querySelector(".messages li.error");
    if (message) {
      message.append(list);
    } else {
      form.prepend(list);
    }
    const first = tabOf(errors[0]);
    if (first.trigger && first.panel && first.panel.hidden) {
      first.trigger.click();
    }
  };

  // After Wagtail's tabs have chosen their first tab (they select on connect).
  if (document.readyState === "complete") {
    window.setTimeout(run, 0);
  } else {
    window.addEventListener("load", () => window.setTimeout(run, 0));
  }
})();
