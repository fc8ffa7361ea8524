/* One tap per person: each tick is saved at once. Without JavaScript the whole form is posted instead.

   On a weak connection a tick that cannot reach the server is not lost: it stays ticked, is kept on this phone
   (localStorage, per session) and is sent again when the connection returns, when the page is opened again, or
   every 15 seconds. Only the latest state of each person is kept, and a tick is the same request however often it
   is sent. A refusal by the server (a future session, no permission) undoes the tick and shows the server's
   message; a lost sign-in keeps the ticks and asks the person to sign in again.

   The "someone new" form is sent by this script too: without a connection what was typed stays on the page with
   a note; the server's answer (added, or what to correct) is shown by opening the roster again. The form carries
   a token, so sending it twice adds the person once. */
(function () {
  "use strict";
  var form = document.getElementById("roster-form");
  if (!form || !window.fetch) { return; }
  document.documentElement.classList.add("js");
  var url = form.getAttribute("data-mark-url");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var counter = document.getElementById("present-count");
  var status = document.getElementById("roster-status");
  var key = "learningcity-roster:" + url;
  var queue = read();  // learner id -> "1" (present) or "0" (absent), not yet saved
  var sending = false;
  var timer = null;
  var refusal = "";  // the last refusal since the last tap: not hidden by "Saved" for the taps sent after it

  function read() {
    try { return JSON.parse(window.localStorage.getItem(key) || "{}") || {}; } catch (e) { return {}; }
  }
  function write() {
    try {
      if (Object.keys(queue).length) { window.localStorage.setItem(key, JSON.stringify(queue)); }
      else { window.localStorage.removeItem(key); }
    } catch (e) { /* storage full or disabled: the ticks stay on this page only */ }
  }
  function boxOf(id) {
    return form.querySelector("input[name=present][value='" + String(id).replace(/\D/g, "") + "']");
  }
  function mark(id, state) {
    var box = boxOf(id);
    if (!box) { return; }
    var item = box.closest("li");
    item.classList.remove("saving", "pending", "failed");
    if (state) { item.classList.add(state); }
  }
  function say(text) { if (status) { status.textContent = text; } }

  /* One request; resolves to "saved", "offline", "signin" or {refused: message}. */
  function send(id, present) {
    var body = new FormData();
    body.append("learner", id);
    body.append("present", present);
    return fetch(url, { method: "POST", body: body, headers: { "X-CSRFToken": token }, credentials: "same-origin" })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") !== -1;
        if (response.redirected || (!json && (response.status === 401 || response.status === 403))) {
          return "signin";
        }
        if (!json || response.status >= 500) { return "offline"; }
        return response.json().then(function (data) {
          if (!response.ok) { return { refused: data.detail || "" }; }
          if (counter) { counter.textContent = data.count; }
          return "saved";
        });
      })
      .catch(function () { return "offline"; });
  }

  /* Send what is queued, one request after the other; stop at the first that cannot get through. */
  function flush() {
    if (sending) { return; }
    var ids = Object.keys(queue);
    if (!ids.length) { return; }
    sending = true;
    var id = ids[0];
    var present = queue[id];
    mark(id, "saving");
    send(id, present).then(function (result) {
      sending = false;
      if (result === "saved" || (result && result.refused !== undefined)) {
        if (queue[id] === present) { delete queue[id]; }  // a newer tap of the same person is sent next
        write();
        if (result === "saved") {
          mark(id, null);
        } else {
          var box = boxOf(id);
          if (box) { box.checked = present !== "1"; }
          mark(id, "failed");
        }
        if (result !== "saved") { refusal = result.refused; }
        if (!Object.keys(queue).length) { say(refusal || form.getAttribute("data-saved")); }
        flush();
        return;
      }
      Object.keys(queue).forEach(function (waiting) { mark(waiting, "pending"); });
      say(form.getAttribute(result === "signin" ? "data-signin" : "data-pending"));
      if (!timer) { timer = window.setTimeout(function () { timer = null; flush(); }, 15000); }
    });
  }

  form.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || box.name !== "present") { return; }
    queue[box.value] = box.checked ? "1" : "0";
    refusal = "";
    write();
    mark(box.value, "saving");
    flush();
  });
  window.addEventListener("online", flush);

  var quick = document.getElementById("new-person-form");
  function goTo(url) {
    var target = document.createElement("a");
    target.href = url;
    if (target.pathname + target.search !== window.location.pathname + window.location.search) {
      window.location.assign(url);
      return;
    }
    if (target.hash) { window.location.hash = target.hash; }
    window.location.reload();  // the same page with only another #part would not be loaded again
  }
  if (quick) {
    quick.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = quick.querySelector("button[type=submit]");
      var note = document.getElementById("new-person-status");
      if (button) { button.disabled = true; }
      if (note) { note.textContent = ""; }
      fetch(quick.action, {
        method: "POST", body: new FormData(quick), headers: { "Accept": "application/json" }, credentials: "same-origin"
      }).then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") !== -1;
        if (json && response.ok) { return response.json().then(function (data) { goTo(data.url); }); }
        if (response.redirected) { window.location.assign(response.url); return; }  // to sign in again
        quick.submit();  // another answer (refused, a server error): the browser shows the server's own page
      }).catch(function () {
        if (button) { button.disabled = false; }
        if (note) { note.textContent = quick.getAttribute("data-unsent"); }
      });
    });
  }

  // Ticks kept from an earlier visit: show them as they were tapped, then send them.
  Object.keys(queue).forEach(function (id) {
    var box = boxOf(id);
    if (box) { box.checked = queue[id] === "1"; }
    mark(id, "pending");
  });
  flush();
})();
