/* The reader page's live connection.
 *
 * htmx's ws extension owns the socket; this file adds what a live blog needs
 * on top: the resume handshake, in-order once-only application of frames by
 * their data-seq, reconnection on every close code with jittered backoff, a
 * reload of the live area when the server says the gap is too old to replay,
 * polling of the events URL after repeated socket failures, a blog's
 * withdrawal (nothing new is shown) and return (it carries on where it stopped),
 * and a connection that died without closing, found by its missed heartbeats.
 */
(function () {
  "use strict";

  var live = document.getElementById("live");
  if (!live) { return; }

  var lastSeq = parseInt(live.dataset.seq, 10) || 0;
  var reloading = false;
  var retries = 0;
  var failures = 0;
  var opened = false;
  var socket = null;
  var current = null;  // the open WebSocket itself
  var lastHeard = Date.now();
  var pollTimer = null;
  // The extension itself retries only after these codes.
  var EXTENSION_RETRIES = [1006, 1011, 1012, 1013];
  var FAILURES_BEFORE_POLLING = 3;
  var MAX_BACKOFF_STEPS = 5;
  var MISSED_HEARTBEATS = 3;

  function setting(name, fallback) {
    return parseInt(live.dataset[name], 10) || fallback;
  }

  // Full jitter: a random wait up to base * 2^retries, so a restarted server is
  // not hit by every reader at the same moment.
  function backoff(retryCount) {
    return Math.random() * setting("retryMs", 1000) * Math.pow(2, Math.min(retryCount, MAX_BACKOFF_STEPS));
  }
  htmx.config.wsReconnectDelay = backoff;

  function parseFrames(text) {
    var template = document.createElement("template");
    template.innerHTML = text;
    return Array.prototype.slice.call(template.content.children);
  }

  function resume() {
    if (socket) { socket.send(JSON.stringify({ type: "resume", after: lastSeq })); }
    else { pollSoon(); }
  }

  // Inserts are upserts: an element already on the page with the same id is
  // replaced, so a frame delivered twice, or a post both rendered and replayed,
  // appears once.
  function removeExistingCopies(root) {
    root.querySelectorAll("[hx-swap-oob^='afterbegin'] > [id]").forEach(function (incoming) {
      var existing = document.getElementById(incoming.id);
      if (existing) { existing.remove(); }
    });
  }

  // New posts go to the top; a post coming back from the pinned area, or a
  // card declared earlier than the latest post, goes to its place in time.
  function placeInOrder(root) {
    var stream = document.getElementById("stream");
    root.querySelectorAll("[hx-swap-oob='afterbegin:#stream'] > article[id]").forEach(function (incoming) {
      var post = document.getElementById(incoming.id);
      if (!post || post.parentElement !== stream) { return; }
      var next = post.nextElementSibling;
      while (next && next.dataset.order && next.dataset.order > post.dataset.order) {
        next = next.nextElementSibling;
      }
      if (next !== post.nextElementSibling) { stream.insertBefore(post, next); }
    });
  }

  // Parts only some pages have a place for (a card on its contest's page, not on a summary of 650).
  function swapWherePresent(root) {
    root.querySelectorAll("template.swap-if-present").forEach(function (part) {
      var target = document.getElementById(part.dataset.target);
      if (target) { target.replaceWith(part.content.cloneNode(true)); }
    });
  }

  function applyFrame(root) {
    var inserted = [];
    root.querySelectorAll("[hx-swap-oob^='afterbegin'] > [id]").forEach(function (el) { inserted.push(el.id); });
    removeExistingCopies(root);
    htmx.swap(live, root.outerHTML, { swapStyle: "none" });
    swapWherePresent(root);
    placeInOrder(root);
    // The frame itself goes with the event: parts htmx does not swap (the hex map's updates) are read from it.
    live.dispatchEvent(new CustomEvent("live:frame", {
      bubbles: true, detail: { kind: root.dataset.kind, inserted: inserted, root: root }
    }));
  }

  function reloadLiveArea() {
    reloading = true;
    htmx.ajax("GET", live.dataset.fragmentUrl, { target: "#live-area", swap: "outerHTML" }).then(function () {
      var area = document.getElementById("live-area");
      lastSeq = parseInt(area.dataset.seq, 10) || lastSeq;
      live.dataset.seq = String(lastSeq);
      reloading = false;
      resume();
    }, function () {
      reloading = false;
    });
  }

  // Every frame, from the socket or from polling, goes through here.
  function handle(root) {
    // Withdrawn: nothing is shown, and lastSeq stays at the withdrawal, until the blog returns;
    // then everything since is asked for again, now that it is public.
    if (live.dataset.closed === "true") {
      if (root.dataset.kind !== "stream.reopened") { return; }
      live.dataset.closed = "false";
    }
    // Paused: nothing is applied and lastSeq stays put, so unpausing catches up from the server.
    // New posts are only counted, once each, so the pause button can say how many wait.
    if (live.dataset.paused === "true") {
      if (root.dataset.kind === "post.published") {
        live.dispatchEvent(new CustomEvent("live:waiting", { detail: { seq: parseInt(root.dataset.seq, 10) } }));
      }
      return;
    }
    if (reloading) { return; }
    var seq = parseInt(root.dataset.seq, 10);
    var kind = root.dataset.kind;
    if (kind === "reload") { reloadLiveArea(); return; }
    if (kind === "heartbeat") {
      if (seq > lastSeq) { resume(); }
      return;
    }
    if (!(seq > lastSeq)) { return; }
    if (seq > lastSeq + 1) { resume(); return; }
    applyFrame(root);
    lastSeq = seq;
    live.dataset.seq = String(seq);
    if (kind === "stream.closed") { live.dataset.closed = "true"; }
  }

  // Polling fallback: the events URL returns every frame after a seq, cacheably.
  function poll() {
    pollTimer = null;
    fetch(live.dataset.eventsUrl + "?after=" + lastSeq, { headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (text) { parseFrames(text).forEach(handle); })
      .catch(function () {})
      .then(function () { if (!socket) { pollTimer = window.setTimeout(poll, setting("pollMs", 5000)); } });
  }

  function pollSoon() {
    if (pollTimer === null && !socket) { pollTimer = window.setTimeout(poll, 0); }
  }

  function stopPolling() {
    if (pollTimer !== null) { window.clearTimeout(pollTimer); pollTimer = null; }
  }

  live.addEventListener("live:unpause", function () { resume(); });

  // A connection can die without a close (a laptop's lid shut, a train in a tunnel): the server
  // sends a heartbeat every data-heartbeat-ms, so after three missed the socket is given up and
  // dialled again, and the resume on opening catches up. "live:down" tells the page at once;
  // going offline does too, and coming back online dials again rather than wait for silence.
  function connectionDown() { live.dispatchEvent(new CustomEvent("live:down")); }

  function dialAgain() {
    if (!socket || !current) { return; }
    var wrapper = socket;
    var dead = current;
    socket = null;
    current = null;
    dead.onclose = null;  // its close, whenever it comes, is not news, and must not dial a second socket
    try { dead.close(4000, "silent"); } catch (ignored) { /* already closing */ }
    connectionDown();
    wrapper.reconnect();
  }

  window.setInterval(function () {
    if (socket && Date.now() - lastHeard > MISSED_HEARTBEATS * setting("heartbeatMs", 10000)) { dialAgain(); }
  }, 1000);
  window.addEventListener("offline", connectionDown);
  window.addEventListener("online", dialAgain);

  live.addEventListener("htmx:wsConnecting", function () { opened = false; });

  live.addEventListener("htmx:wsOpen", function (event) {
    opened = true;
    retries = 0;
    failures = 0;
    socket = event.detail.socketWrapper;
    current = event.detail.event.target;
    lastHeard = Date.now();
    stopPolling();
    live.dataset.transport = "socket";
    resume();
  });

  live.addEventListener("htmx:wsBeforeMessage", function (event) {
    event.preventDefault();
    lastHeard = Date.now();
    parseFrames(event.detail.message).forEach(handle);
  });

  live.addEventListener("htmx:wsClose", function (event) {
    var code = event.detail.event.code;
    var wrapper = event.detail.socketWrapper;
    socket = null;
    current = null;
    if (!opened) { failures += 1; }
    if (failures >= FAILURES_BEFORE_POLLING) {
      live.dataset.transport = "polling";
      pollSoon();
    }
    // Dialled again after any close, a withdrawn blog's too: the server refuses while it is
    // withdrawn, and once it returns the resume replays its return.
    if (EXTENSION_RETRIES.indexOf(code) >= 0 || !document.body.contains(live)) { return; }
    var delay = backoff(retries);
    retries += 1;
    window.setTimeout(function () { wrapper.reconnect(); }, delay);
  });
})();
