/* A general election's results summary, on top of what the server already does.
 *
 * The constituency search box becomes a combobox (WAI-ARIA's pattern, list autocomplete):
 * htmx fills its list of suggestions as the reader types; Down and Up move through them,
 * Enter goes to the one chosen, Escape closes the list. With nothing chosen, Enter submits
 * the form, whose answer is the constituency's page when only one matches.
 *
 * The gains list, filtered to one party by the server, stays filtered as lines arrive live.
 * Without this file the search still works (Enter submits) and the list is filtered on load.
 */
(function () {
  "use strict";

  function combobox(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var active = -1;
    if (!list) { return; }

    function options() { return Array.prototype.slice.call(list.querySelectorAll('[role="option"]')); }

    function choose(index) {
      var all = options();
      active = index;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      if (active >= 0 && all[active]) {
        input.setAttribute("aria-activedescendant", all[active].id);
        all[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(open) {
      list.hidden = !(open && options().length > 0);
      input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
      if (list.hidden) { choose(-1); }
    }

    function go(option) {
      if (option && option.dataset.href) { window.location.assign(option.dataset.href); }
    }

    // A new list of suggestions: nothing chosen in it yet.
    document.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target !== list) { return; }
      choose(-1);
      show(document.activeElement === input && input.value.trim() !== "");
    });

    input.addEventListener("input", function () {
      choose(-1);
      if (input.value.trim() === "") { show(false); }
    });

    input.addEventListener("keydown", function (event) {
      var count = options().length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!count) { return; }
        event.preventDefault();
        if (list.hidden) { show(true); if (event.altKey) { return; } }
        var step = event.key === "ArrowDown" ? 1 : -1;
        // From the box, Down goes to the first and Up to the last; past either end, back to the box.
        var next = active === -1 ? (step === 1 ? 0 : count - 1) : active + step;
        choose(next >= count || next < 0 ? -1 : next);
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault();
          go(options()[active]);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          show(false);
        }
      } else if (event.key === "Tab") {
        show(false);
      }
    });

    input.addEventListener("focus", function () { show(input.value.trim() !== ""); });
    input.addEventListener("blur", function () { show(false); });
    // Pressing on a suggestion keeps the focus in the box, so the list is still there when the click lands.
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      go(event.target.closest('[role="option"]'));
    });
  }

  document.querySelectorAll('input[role="combobox"][aria-controls]').forEach(combobox);

  // A line inserted live for another party than the one the list is filtered to is not shown.
  document.addEventListener("live:frame", function (event) {
    var list = document.getElementById("gains-list");
    if (!list || !list.dataset.party) { return; }
    (event.detail.inserted || []).forEach(function (id) {
      var line = document.getElementById(id);
      if (line && line.parentElement === list && line.dataset.party !== list.dataset.party) { line.remove(); }
    });
  });
})();
