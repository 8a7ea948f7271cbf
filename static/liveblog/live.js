/* The reader page's live connection.
 *
 * htmx's ws extension owns the socket; this file adds what a live blog needs
 * on top: the resume handshake, in-order once-only application of frames by
 * their data-seq, reconnection on every close code, and a full reload of the
 * live area when the server says the gap is too old to replay.
 */
(function () {
  "use strict";

  var live = document.getElementById("live");
  if (!live) { return; }

  var lastSeq = parseInt(live.dataset.seq, 10) || 0;
  var reloading = false;
  var retries = 0;
  // The extension itself retries only after these codes.
  var EXTENSION_RETRIES = [1006, 1011, 1012, 1013];

  function parseFrame(text) {
    var template = document.createElement("template");
    template.innerHTML = text;
    return template.content.firstElementChild;
  }

  function resume(socket) {
    socket.send(JSON.stringify({ type: "resume", after: lastSeq }));
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

  // New posts go to the top; a post coming back from the pinned area goes to
  // its place in time.
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

  function applyFrame(root, text) {
    removeExistingCopies(root);
    htmx.swap(live, text, { swapStyle: "none" });
    placeInOrder(root);
  }

  function reloadLiveArea(socket) {
    reloading = true;
    htmx.ajax("GET", live.dataset.fragmentUrl, { target: "#live-area", swap: "outerHTML" }).then(function () {
      var area = document.getElementById("live-area");
      lastSeq = parseInt(area.dataset.seq, 10) || lastSeq;
      reloading = false;
      resume(socket);
    }, function () {
      reloading = false;
    });
  }

  live.addEventListener("htmx:wsOpen", function (event) {
    retries = 0;
    resume(event.detail.socketWrapper);
  });

  live.addEventListener("htmx:wsBeforeMessage", function (event) {
    event.preventDefault();
    var socket = event.detail.socketWrapper;
    var root = parseFrame(event.detail.message);
    if (!root || reloading) { return; }
    var seq = parseInt(root.dataset.seq, 10);
    var kind = root.dataset.kind;
    if (kind === "reload") { reloadLiveArea(socket); return; }
    if (kind === "heartbeat") {
      if (seq > lastSeq) { resume(socket); }
      return;
    }
    if (!(seq > lastSeq)) { return; }
    if (seq > lastSeq + 1) { resume(socket); return; }
    applyFrame(root, event.detail.message);
    lastSeq = seq;
    live.dataset.seq = String(seq);
  });

  live.addEventListener("htmx:wsClose", function (event) {
    var code = event.detail.event.code;
    if (EXTENSION_RETRIES.indexOf(code) >= 0 || !document.body.contains(live)) { return; }
    var socket = event.detail.socketWrapper;
    var delay = Math.random() * 1000 * Math.pow(2, Math.min(retries, 5));
    retries += 1;
    window.setTimeout(function () { socket.reconnect(); }, delay);
  });
})();
