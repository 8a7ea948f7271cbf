/* The general election's hex map (templates/results/_hexmap.html): live, one tab stop, arrow keys.
 *
 * Live: a result's frame carries an inert <template class="hexmap-update"> with the hex's new fill,
 * gain mark, accessible name, table row and key entry. live.js hands each frame it applies, in
 * order, to "live:frame"; this sets the hex to what the template says, so a frame applied twice
 * changes nothing. The map sits in the live area, which a reload replaces whole: everything here
 * looks the map up when needed and sets it up again when it is new.
 *
 * Keyboard: the map is one tab stop (a roving tabindex); arrow keys move to the nearest hex that
 * way, Home and End to the first and last. Pointing at, focusing or tapping a hex shows its result
 * in the panel; on a touch screen the first tap shows it and a second opens the page. Without this
 * script every hex is still a link.
 */
(function () {
  "use strict";

  var MAP = ".hexmap__svg";
  var HEX = ".hexmap__svg a[id]";
  var SVG_NS = "http://www.w3.org/2000/svg";
  var PLAIN_HEX = "#hm-h";
  var lastPointer = "";
  var tapped = null;

  function svg() { return document.querySelector(MAP); }

  function hexes(map) { return Array.prototype.slice.call(map.querySelectorAll("a[id]")); }

  // Each hex is a <use> of the map's one polygon, placed at the hex's centre.
  function centre(hex) {
    var use = hex.querySelector("use");
    return { x: parseFloat(use.getAttribute("x")), y: parseFloat(use.getAttribute("y")) };
  }

  // Hex centres, read once per map: the drawing never moves.
  function positions(map) {
    if (!map.hexPositions) {
      map.hexPositions = hexes(map).map(function (hex) { var c = centre(hex); return { hex: hex, x: c.x, y: c.y }; });
    }
    return map.hexPositions;
  }

  function ring(map) {
    var g = map.querySelector(".hexmap__ring");
    if (!g) {
      g = document.createElementNS(SVG_NS, "g");
      g.setAttribute("class", "hexmap__ring");
      g.setAttribute("aria-hidden", "true");
      [0, 1].forEach(function () {
        var use = document.createElementNS(SVG_NS, "use");
        use.setAttribute("href", PLAIN_HEX);
        g.appendChild(use);
      });
      map.appendChild(g);
    }
    return g;
  }

  function panel() { return document.getElementById("hexmap-panel"); }

  function show(hex) {
    var at = hex.querySelector("use");
    Array.prototype.forEach.call(ring(hex.ownerSVGElement).children, function (use) {
      use.setAttribute("x", at.getAttribute("x"));
      use.setAttribute("y", at.getAttribute("y"));
    });
    var box = panel();
    if (!box) { return; }
    var label = hex.querySelector("title").textContent;
    var split = label.indexOf(": ");
    var name = document.createElement("strong");
    name.textContent = label.slice(0, split);
    var link = document.createElement("a");
    link.href = hex.getAttribute("href");
    link.textContent = "Full result";
    var result = label.slice(split + 2);
    box.replaceChildren(name, document.createTextNode(result.charAt(0).toUpperCase() + result.slice(1) + " "), link);
    box.dataset.hex = hex.id;
  }

  // One tab stop: the current hex is focusable by Tab, the others by the arrow keys.
  function makeCurrent(map, hex) {
    var current = map.querySelector('a[tabindex="0"]');
    if (current && current !== hex) { current.setAttribute("tabindex", "-1"); }
    hex.setAttribute("tabindex", "0");
  }

  function setUp() {
    var map = svg();
    if (!map || map.classList.contains("is-ready")) { return; }
    var all = hexes(map);
    if (!all.length) { return; }
    all.forEach(function (hex) { hex.setAttribute("tabindex", "-1"); });
    all[0].setAttribute("tabindex", "0");
    ring(map);
    map.classList.add("is-ready");
    var box = panel();
    if (box) { box.hidden = false; }
  }

  // The nearest hex in a direction: along the row for left and right; for up and down, the nearest row
  // that way with a hex, and in it the hex nearest the column the reader set out from.
  function next(map, hex, key) {
    var all = positions(map);
    var here = all.filter(function (p) { return p.hex === hex; })[0];
    if (!here) { return null; }
    if (key === "Home") { return all[0].hex; }
    if (key === "End") { return all[all.length - 1].hex; }
    var goal = map.goalX === undefined ? here.x : map.goalX;
    var best = null;
    var bestScore = Infinity;
    all.forEach(function (p) {
      var dx = p.x - here.x;
      var dy = p.y - here.y;
      var score;
      if (key === "ArrowLeft" || key === "ArrowRight") {
        if (Math.abs(dy) > 1 || (key === "ArrowRight" ? dx <= 0 : dx >= 0)) { return; }
        score = Math.abs(dx);
      } else {
        if (key === "ArrowUp" ? dy >= -1 : dy <= 1) { return; }
        score = Math.abs(dy) * 10000 + Math.abs(p.x - goal) * 2 + (p.x < goal ? 1 : 0);
      }
      if (score < bestScore) { bestScore = score; best = p; }
    });
    if (!best) { return null; }
    map.goalX = (key === "ArrowUp" || key === "ArrowDown") ? goal : undefined;
    return best.hex;
  }

  var KEYS = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"];

  document.addEventListener("keydown", function (event) {
    var hex = event.target.closest && event.target.closest(HEX);
    if (!hex || KEYS.indexOf(event.key) < 0 || event.altKey || event.ctrlKey || event.metaKey) { return; }
    event.preventDefault();
    var map = hex.ownerSVGElement;
    var to = next(map, hex, event.key);
    if (to) {
      makeCurrent(map, to);
      to.focus();
    }
  });

  document.addEventListener("focusin", function (event) {
    var hex = event.target.closest && event.target.closest(HEX);
    if (!hex) { return; }
    makeCurrent(hex.ownerSVGElement, hex);
    show(hex);
  });

  document.addEventListener("pointerdown", function (event) { lastPointer = event.pointerType; }, true);

  document.addEventListener("pointerover", function (event) {
    var hex = event.target.closest && event.target.closest(HEX);
    if (!hex || event.pointerType === "touch") { return; }
    hex.ownerSVGElement.classList.add("is-pointing");
    show(hex);
  });

  document.addEventListener("pointerout", function (event) {
    var map = event.target.closest && event.target.closest(MAP);
    if (map && !map.contains(event.relatedTarget)) { map.classList.remove("is-pointing"); }
  });

  // A tap shows the seat first; tapping it again, or the panel's link, opens its page. (A tap focuses the
  // hex before the click, so the panel already shows it: what counts is whether it was tapped before.)
  document.addEventListener("click", function (event) {
    var hex = event.target.closest && event.target.closest(HEX);
    if (!hex || lastPointer !== "touch" || !panel()) { return; }
    if (tapped !== hex) {
      event.preventDefault();
      tapped = hex;
      makeCurrent(hex.ownerSVGElement, hex);
      show(hex);
    }
  });

  function replaceById(incoming) {
    var existing = incoming && document.getElementById(incoming.id);
    if (existing) { existing.replaceWith(incoming.cloneNode(true)); }
  }

  function addKey(incoming) {
    var legend = document.querySelector(".hexmap__legend");
    if (!incoming || !legend) { return; }
    var party = incoming.dataset.party;
    var present = Array.prototype.some.call(legend.querySelectorAll("[data-party]"), function (li) {
      return li.dataset.party === party;
    });
    if (!present) { legend.insertBefore(incoming.cloneNode(true), legend.querySelector(".hexmap__key-fixed")); }
  }

  function apply(update) {
    var hex = document.getElementById(update.dataset.hex);
    if (!hex || !hex.ownerSVGElement) { return; }
    var fill = update.dataset.fill;
    var changed = (hex.getAttribute("fill") || "") !== fill;
    if (fill) { hex.setAttribute("fill", fill); } else { hex.removeAttribute("fill"); }
    hex.querySelector("title").textContent = update.dataset.label;
    hex.querySelector("use").setAttribute("href", "#" + update.dataset.shape);  // with a gain's dot, or without
    replaceById(update.content.querySelector("tr[id]"));
    addKey(update.content.querySelector("li[data-party]"));
    if (changed) {
      hex.classList.remove("hexmap__new");
      hex.getBoundingClientRect();  // a style flush, so the arrival animation starts again
      hex.classList.add("hexmap__new");
    }
    var box = panel();
    if (box && box.dataset.hex === hex.id) { show(hex); }
  }

  document.addEventListener("live:frame", function (event) {
    var root = event.detail && event.detail.root;
    if (!root) { return; }
    root.querySelectorAll("template.hexmap-update").forEach(apply);
  });

  // A reload of the live area brings a new map.
  document.addEventListener("htmx:afterSettle", setUp);
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUp); } else { setUp(); }
})();
