/* Reader comforts on top of the live stream (live.js): no jumping content,
 * announcements for screen readers, pause, filters, reading order, relative
 * times, copy-link buttons and permalink focus. Everything works by classes
 * and attributes, so the page stays readable without this file.
 */
(function () {
  "use strict";

  var live = document.getElementById("live");
  if (!live) { return; }
  var controls = document.getElementById("reader-controls");
  var announcer = document.getElementById("live-announcer");
  var newUpdates = document.getElementById("new-updates");
  var pending = [];
  var ORDER_KEY = "liveblog:oldest-first";

  function stream() { return document.getElementById("stream"); }

  // New posts go in at the stream's top. When that is out of sight (scrolled past, or
  // still below the first screen under pinned posts), they wait behind a button the
  // reader can see, instead of moving what they are reading or arriving unseen.
  function streamTopOutOfSight() {
    var top = stream() ? stream().getBoundingClientRect().top : 0;
    return top < -40 || top > window.innerHeight - 80;
  }

  function label(post) {
    var heading = post.querySelector(".post__headline, .card__title");
    var text = heading ? heading.textContent.trim() : "";
    return (post.querySelector(".card") ? "New result: " : "New update: ") + text;
  }

  function announce(text) {
    if (!announcer) { return; }
    var line = document.createElement("p");
    line.textContent = text;
    announcer.appendChild(line);
    while (announcer.childNodes.length > 5) { announcer.removeChild(announcer.firstChild); }
  }

  function showPendingButton() {
    if (!newUpdates) { return; }
    var n = pending.length;
    newUpdates.textContent = n === 1 ? "1 new update" : n + " new updates";
    newUpdates.hidden = n === 0;
  }

  function revealPending(scroll) {
    var first = pending[pending.length - 1];
    pending.forEach(function (post) { post.classList.remove("is-pending"); });
    pending = [];
    showPendingButton();
    if (scroll && first) {
      first.scrollIntoView({ behavior: "smooth", block: "start" });
      first.setAttribute("tabindex", "-1");
      first.focus({ preventScroll: true });
    }
  }

  // New posts: held back behind a button when the reader has scrolled down,
  // so nothing moves under them; slid in when they are at the top.
  live.addEventListener("live:frame", function (event) {
    var oldestFirst = live.classList.contains("oldest-first");
    (event.detail.inserted || []).forEach(function (id) {
      var post = document.getElementById(id);
      if (!post || !stream() || post.parentElement !== stream()) { return; }
      var held = !oldestFirst && streamTopOutOfSight();
      if (event.detail.kind === "post.published") { announce(label(post) + (held ? " (press N to read it)" : "")); }
      if (held) {
        post.classList.add("is-pending");
        pending.push(post);
      } else {
        post.classList.add("post--arriving");
      }
    });
    showPendingButton();
    countUnread(event.detail);
    addCardOptions();
    foldPinned();
    refreshTimes();
    bindShareButtons();
  });

  // A reader in another tab sees how many updates arrived in the title: "(3) Hartlepool…".
  var baseTitle = document.title;
  var unread = 0;
  function countUnread(detail) {
    if (!document.hidden || detail.kind !== "post.published") { return; }
    unread += (detail.inserted || []).length;
    document.title = "(" + unread + ") " + baseTitle;
  }
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && unread) { unread = 0; document.title = baseTitle; }
  });

  // The connection, said plainly: "Reconnecting…" once it has been down a few seconds, "Back live" after.
  var notice = document.getElementById("connection-notice");
  var downTimer = null;
  var saidDown = false;
  function sayDown() {
    if (live.dataset.closed === "true") { return; }
    saidDown = true;
    notice.textContent = "Reconnecting… updates will appear when the connection is back.";
    notice.className = "connection-notice connection-notice--down";
    notice.hidden = false;
  }
  // A close may be a blip that the next socket mends within seconds: said only if it lasts.
  live.addEventListener("htmx:wsClose", function () {
    if (notice && !downTimer) { downTimer = window.setTimeout(sayDown, 3000); }
  });
  // Missed heartbeats (the page has heard nothing for three of them) or the browser offline: said at once.
  live.addEventListener("live:down", function () {
    if (notice) { sayDown(); }
  });
  live.addEventListener("htmx:wsOpen", function () {
    window.clearTimeout(downTimer);
    downTimer = null;
    if (!notice || !saidDown) { return; }
    saidDown = false;
    notice.textContent = "Back live.";
    notice.className = "connection-notice";
    window.setTimeout(function () { if (!saidDown) { notice.hidden = true; } }, 4000);
  });

  // Pinned posts stay short: a declaration card shows its winners until "Full result"; long posts fold.
  function foldPinned() {
    document.querySelectorAll("#pinned > .post:not([data-folded])").forEach(function (post) {
      post.dataset.folded = "true";
      var card = post.querySelector(".card");
      var target = card || post.querySelector(".post__body");
      if (!target || (!card && target.scrollHeight < 160)) { return; }
      target.classList.add(card ? "card--compact" : "post__body--folded");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "control fold-toggle";
      button.textContent = card ? "Full result" : "Read more";
      button.setAttribute("aria-expanded", "false");
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        target.classList.toggle(card ? "card--compact" : "post__body--folded", !open);
        button.setAttribute("aria-expanded", open ? "true" : "false");
        button.textContent = open ? (card ? "Show less" : "Show less") : (card ? "Full result" : "Read more");
      });
      target.insertAdjacentElement("afterend", button);
      if (card) { addShareBar(card); }
    });
  }

  // A folded card's one-line share bar: every candidate's share, in the order of the table.
  function addShareBar(card) {
    var bar = document.createElement("div");
    bar.className = "share-bar";
    bar.setAttribute("aria-hidden", "true");  // the winners' rows say it in words
    card.querySelectorAll(".card__table tbody tr").forEach(function (row) {
      var fill = row.querySelector(".bar rect:last-child");
      if (!fill) { return; }
      var part = document.createElement("span");
      part.style.width = fill.getAttribute("width") + "%";
      part.style.background = fill.getAttribute("fill");
      bar.appendChild(part);
    });
    if (bar.childNodes.length) { card.querySelector(".card__table").insertAdjacentElement("beforebegin", bar); }
  }

  if (newUpdates) {
    newUpdates.addEventListener("click", function () { revealPending(true); });
    // From wherever a keyboard reader is, N goes to the new updates (the button sits at the
    // page's top in the tab order, far behind them); never while they type in a field.
    newUpdates.setAttribute("aria-keyshortcuts", "N");
    document.addEventListener("keydown", function (event) {
      if (newUpdates.hidden || event.key.toLowerCase() !== "n" || event.ctrlKey || event.metaKey || event.altKey) {
        return;
      }
      var here = document.activeElement;
      if (here && (here.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(here.tagName))) { return; }
      event.preventDefault();
      revealPending(true);
    });
    window.addEventListener("scroll", function () {
      if (pending.length && !streamTopOutOfSight()) { revealPending(false); }
    }, { passive: true });
  }

  // Pause: frames are not applied; unpausing fetches everything missed.
  var pause = document.getElementById("pause-live");
  if (pause) {
    var waiting = {};
    var showWaiting = function () {
      var n = Object.keys(waiting).length;
      pause.textContent = "Resume live updates" + (n ? " (" + n + (n === 1 ? " new update waiting)" : " new updates waiting)") : "");
    };
    live.addEventListener("live:waiting", function (event) {
      waiting[event.detail.seq] = true;  // by seq: a frame seen twice (socket and polling) counts once
      showWaiting();
    });
    pause.addEventListener("click", function () {
      var paused = live.dataset.paused === "true";
      live.dataset.paused = paused ? "false" : "true";
      pause.setAttribute("aria-pressed", paused ? "false" : "true");
      waiting = {};
      if (paused) {
        pause.textContent = "Pause live updates";
        live.dispatchEvent(new CustomEvent("live:unpause"));
      } else {
        showWaiting();
      }
    });
  }

  function toggleClass(checkbox, className, storageKey) {
    if (!checkbox) { return; }
    if (storageKey && window.localStorage.getItem(storageKey) === "1") { checkbox.checked = true; }
    var apply = function () {
      live.classList.toggle(className, checkbox.checked);
      if (storageKey) { window.localStorage.setItem(storageKey, checkbox.checked ? "1" : "0"); }
    };
    checkbox.addEventListener("change", apply);
    apply();
  }
  toggleClass(document.getElementById("key-only"), "key-only");
  toggleClass(document.getElementById("oldest-first"), "oldest-first", ORDER_KEY);

  // Result filter: by party or contest, built from the cards on the page.
  var cardFilter = document.getElementById("card-filter");
  function addCardOptions() {
    if (!cardFilter) { return; }
    var known = {};
    Array.prototype.forEach.call(cardFilter.options, function (o) { known[o.value] = true; });
    document.querySelectorAll("#live .card").forEach(function (card) {
      var add = function (value, text) {
        if (known[value]) { return; }
        known[value] = true;
        cardFilter.appendChild(new Option(text, value));
      };
      var title = card.querySelector(".card__title");
      add("contest:" + card.dataset.contest, title ? title.textContent.trim() : card.dataset.contest);
      (card.dataset.parties || "").trim().split(/\s+/).forEach(function (code) {
        if (code) { add("party:" + code, "Party: " + code.toUpperCase()); }
      });
    });
    document.getElementById("card-filter-label").hidden = cardFilter.options.length < 2;
  }
  function filterCards() {
    var value = cardFilter.value;
    document.querySelectorAll("#live .post").forEach(function (post) {
      var card = post.querySelector(".card");
      if (!card || !value) { post.classList.remove("is-filtered"); return; }
      var kind = value.split(":")[0], key = value.slice(kind.length + 1);
      var match = kind === "contest" ? card.dataset.contest === key
        : (" " + card.dataset.parties + " ").indexOf(" " + key + " ") >= 0;
      post.classList.toggle("is-filtered", !match);
    });
  }
  if (cardFilter) { cardFilter.addEventListener("change", filterCards); }

  // "5 min ago", kept fresh; the absolute time in the blog's zone stays beside it.
  function ago(iso) {
    var minutes = Math.floor((Date.now() - Date.parse(iso)) / 60000);
    if (isNaN(minutes) || minutes < 0) { return ""; }
    if (minutes < 1) { return "just now"; }
    if (minutes < 60) { return minutes + " min ago"; }
    if (minutes < 24 * 60) { return Math.floor(minutes / 60) + " h ago"; }
    return "";
  }
  function refreshTimes() {
    document.querySelectorAll("[data-ago]").forEach(function (el) { el.textContent = ago(el.dataset.ago); });
  }
  window.setInterval(refreshTimes, 30000);

  function bindShareButtons() {
    document.querySelectorAll(".post__share[hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".post__share");
    if (!button) { return; }
    var url = new URL(button.dataset.shareUrl, window.location.href).href;
    var done = function () {
      button.textContent = "Link copied";
      window.setTimeout(function () { button.textContent = "Copy link"; }, 2000);
    };
    if (navigator.share && window.matchMedia("(pointer: coarse)").matches) {
      navigator.share({ title: button.dataset.shareTitle, url: url }).catch(function () {});
    } else if (navigator.clipboard) {
      navigator.clipboard.writeText(url).then(done, function () { window.prompt("Copy this link", url); });
    } else {
      window.prompt("Copy this link", url);
    }
  });

  // Key events jump within the page when their post is loaded, else open its permalink.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#key-events a[data-post]");
    var post = link && document.getElementById(link.dataset.post);
    if (!post || post.classList.contains("is-pending")) { return; }
    event.preventDefault();
    post.setAttribute("tabindex", "-1");
    post.scrollIntoView({ behavior: "smooth", block: "start" });
    post.focus({ preventScroll: true });
    // The address bar names the post, so it can be shared or reloaded; Back returns to where the reader was.
    if (window.history && window.history.pushState) { window.history.pushState(null, "", link.href); }
  });

  // A permalink opens with its post in view.
  if (live.dataset.focus) {
    var focus = document.getElementById(live.dataset.focus);
    if (focus) {
      focus.classList.add("post--focus");
      focus.setAttribute("tabindex", "-1");
      focus.scrollIntoView({ block: "start" });
      focus.focus({ preventScroll: true });
    }
  }

  if (controls) { controls.classList.add("is-on"); }
  foldPinned();
  addCardOptions();
  refreshTimes();
  bindShareButtons();
})();
