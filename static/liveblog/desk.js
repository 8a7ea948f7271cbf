// The reporters' posting form: the main button says what it will do, folded sections
// with errors open themselves, and the presence line says who else is writing here.
(function () {
  "use strict";
  var SCHEDULE_AFTER_MS = 5 * 1000; // liveblog.models.SCHEDULE_AFTER
  var FORGET_MS = 60 * 1000;
  var REFRESH_MS = 20 * 1000;

  function saveLabel() {
    var button = document.getElementById("desk-save");
    var status = document.getElementById("id_status");
    if (!button || !status) return;
    var time = document.getElementById("id_published_at");
    var editing = document.body.classList.contains("change-form") && /\/change\/$/.test(location.pathname);
    var ahead = time && time.value && new Date(time.value).getTime() > Date.now() + SCHEDULE_AFTER_MS;
    var labels = { draft: "Save draft", submitted: "Submit for approval", returned: "Save" };
    var label = labels[status.value];
    if (!label) label = ahead ? "Schedule" : editing ? "Save" : "Publish";
    button.value = label;
  }

  function openFoldedErrors() {
    document.querySelectorAll("details").forEach(function (details) {
      if (details.querySelector(".errorlist, .errors")) details.open = true;
    });
  }

  function presence() {
    var line = document.getElementById("presence");
    if (!line || !window.WebSocket) return;
    var postMatch = /[?&]post=(\d+)/.exec(line.dataset.url);
    var thisPost = postMatch ? Number(postMatch[1]) : null;
    var others = new Map();
    var socket;

    function render() {
      var now = Date.now();
      var names = [];
      var editing = [];
      others.forEach(function (who, id) {
        if (now - who.seen > FORGET_MS) { others.delete(id); return; }
        if (thisPost !== null && who.post === thisPost) editing.push(who.name);
        else if (names.indexOf(who.name) === -1) names.push(who.name);
      });
      var parts = [];
      if (editing.length) parts.push(editing.join(", ") + (editing.length > 1 ? " are" : " is") + " editing this post");
      if (names.length) parts.push("Also writing in this blog: " + names.join(", "));
      line.textContent = parts.join(" · ");
      line.classList.toggle("presence-warning", editing.length > 0);
    }

    function connect() {
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      socket = new WebSocket(scheme + location.host + line.dataset.url);
      socket.onmessage = function (message) {
        var data = JSON.parse(message.data);
        if (data.type === "here") others.set(data.who.id, Object.assign({ seen: Date.now() }, data.who));
        if (data.type === "gone") others.delete(data.id);
        render();
      };
      socket.onclose = function (event) {
        others.clear();
        render();
        if (event.code !== 4403) setTimeout(connect, 5000);
      };
    }
    connect();
    setInterval(function () {
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "still-here" }));
      render();
    }, REFRESH_MS);
  }

  // The editor's writing area is named by the Body field's label, for screen readers.
  function nameTheEditor(triesLeft) {
    var area = document.querySelector('.field-body [contenteditable="true"]');
    var label = document.querySelector('label[for="id_body"]');
    if (area && label) {
      label.id = label.id || "id_body_label";
      area.setAttribute("aria-labelledby", label.id);
    } else if (triesLeft > 0) {
      window.setTimeout(function () { nameTheEditor(triesLeft - 1); }, 100);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameTheEditor(50);
    saveLabel();
    openFoldedErrors();
    presence();
    ["id_status", "id_published_at"].forEach(function (id) {
      var field = document.getElementById(id);
      if (field) { field.addEventListener("change", saveLabel); field.addEventListener("input", saveLabel); }
    });
  });
})();
