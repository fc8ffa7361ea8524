/* The field app: works from what this phone keeps (IndexedDB, through the vendored `idb`), with or without a
   connection.

   - "meta" store: the device key (from registering), the bundle (what the server let this person keep, with the
     time it was taken and when it expires), nothing else.
   - "outbox" store: every action done here (a tick, a headcount, a new person), in order, each with its own
     idempotency key, until the server answers "applied" (or "duplicate": applied before). A refused action stays
     as a conflict with the server's reason until the person decides: nothing is dropped silently.
   Sending: when the connection returns, when the app opens, after each action, and on "Send now"; in batches of
   50, in order. A signed-out device (410) erases everything: IndexedDB, caches, the service worker. */
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main || !window.indexedDB || !window.idb) { return; }
  var T = JSON.parse(document.getElementById("field-text").textContent);
  var city = main.getAttribute("data-city");
  var api = main.getAttribute("data-api");
  var DBNAME = "lc-field-" + city;
  var BATCH = 50;
  var STALE_MS = 6 * 3600 * 1000;
  var dbPromise = open();
  var syncing = null;
  var rerun = false;

  function open() {
    return window.idb.openDB(DBNAME, 1, {
      upgrade: function (db) {
        db.createObjectStore("meta");
        db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
      }
    });
  }
  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (m, name) { return values[name] === undefined ? m : values[name]; });
  }
  function $(id) { return document.getElementById(id); }
  function say(id, text) { var el = $(id); if (el) { el.textContent = text; } }
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function when(iso) {
    var d = new Date(iso);
    if (isNaN(d)) { return ""; }
    var lang = document.documentElement.lang || "vi";
    return d.toLocaleString(lang, { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" });
  }
  function day(iso) { var p = iso.split("-"); return p[2] + "/" + p[1] + "/" + p[0]; }

  function meta(name) { return dbPromise.then(function (db) { return db.get("meta", name); }); }
  function setMeta(name, value) { return dbPromise.then(function (db) { return db.put("meta", value, name); }); }
  function outbox() { return dbPromise.then(function (db) { return db.getAll("outbox"); }); }

  /* Erase everything this app kept: the browser was told to (Clear-Site-Data) and is asked again here. */
  function wipe(message) {
    return dbPromise.then(function (db) { db.close(); })
      .then(function () { return window.idb.deleteDB(DBNAME); })
      .then(function () { return window.caches ? caches.keys() : []; })
      .then(function (keys) { return Promise.all(keys.map(function (k) { return caches.delete(k); })); })
      .then(function () {
        return navigator.serviceWorker ? navigator.serviceWorker.getRegistrations() : [];
      })
      .then(function (regs) { return Promise.all(regs.map(function (r) { return r.unregister(); })); })
      .catch(function () { /* what could not be erased here, Clear-Site-Data erased */ })
      .then(function () {
        document.body.classList.add("wiped");
        main.textContent = "";
        var p = document.createElement("p");
        p.id = "wiped";
        p.setAttribute("role", "alert");
        p.textContent = message || T.wiped;
        main.appendChild(p);
        throw new Error("wiped");
      });
  }

  /* One call to the API; resolves {status, data}; rejects "offline" without an answer. */
  function call(method, path, body) {
    return meta("device").then(function (device) {
      var headers = { "Accept": "application/json", "X-CSRFToken": csrf() };
      if (device) { headers["X-Field-Device"] = device; }
      if (body) { headers["Content-Type"] = "application/json"; }
      return fetch(api + path, {
        method: method, headers: headers, credentials: "same-origin", cache: "no-store",
        body: body ? JSON.stringify(body) : undefined
      }).catch(function () { throw "offline"; });
    }).then(function (response) {
      if (response.status === 410) { return wipe(); }
      var json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
      return (json ? response.json() : Promise.resolve({})).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function ensureDevice() {
    return meta("device").then(function (device) {
      if (device) { return device; }
      var label = (navigator.userAgent.match(/\(([^)]*)\)/) || ["", "phone"])[1].slice(0, 100);
      return call("POST", "/devices", { label: label }).then(function (answer) {
        if (answer.status !== 201) { throw answer.status === 401 || answer.status === 403 ? "signin" : "refused"; }
        return setMeta("device", answer.data.device).then(function () { return answer.data.device; });
      });
    });
  }

  /* Take what this person may keep (and ask the browser not to evict it when the phone runs short of space). */
  function refresh() {
    say("kept", T.refreshing);
    if (navigator.storage && navigator.storage.persist) { navigator.storage.persist().catch(function () {}); }
    return ensureDevice().then(function () { return call("GET", "/bundle"); }).then(function (answer) {
      if (answer.status === 401) { throw "signin"; }
      if (answer.status !== 200) { throw "refused"; }
      var bundle = answer.data;
      // The expiry by this phone's clock, whatever the clock says: kept for keep_days from now.
      bundle.taken_at = new Date().toISOString();
      bundle.until = new Date(Date.now() + bundle.keep_days * 86400000).toISOString();
      if (!Object.keys(bundle.sections).length) {
        return setMeta("bundle", null).then(function () { say("kept", T.role_gone); return null; });
      }
      return setMeta("bundle", bundle).then(function () { return bundle; });
    }).catch(function (reason) {
      if (reason instanceof Error) { throw reason; }
      var signin = $("signin");
      if (reason === "signin" && signin) { signin.hidden = false; }
      say("kept", reason === "offline" ? T.no_connection : T.signin);
      return null;
    });
  }

  function bundle() {
    return meta("bundle").then(function (b) {
      if (b && Date.now() > Date.parse(b.until)) {
        return setMeta("bundle", null).then(function () { say("kept", T.expired); return null; });
      }
      return b || null;
    });
  }

  /* Ask the browser to wake the service worker when the connection is back, even with the app closed
     (Background Sync, field-sw.js). Without it (Firefox, Safari) the page sends at its next opening. */
  function backgroundSync() {
    if (!("serviceWorker" in navigator)) { return Promise.resolve(false); }
    return navigator.serviceWorker.ready.then(function (registration) {
      if (!registration.sync) { return false; }
      return registration.sync.register("lc-field-outbox").then(function () { return true; });
    }).catch(function () { return false; });
  }

  /* Add an action to the outbox (then try to send it). */
  function enqueue(kind, payload, label) {
    var item = { key: newKey(), kind: kind, payload: payload, made_at: new Date().toISOString(),
                 label: label, state: "waiting" };
    return dbPromise.then(function (db) { return db.add("outbox", item); }).then(function (seq) {
      item.seq = seq;
      if (navigator.onLine) { sync(); } else { backgroundSync(); }
      return item;
    });
  }

  /* One sender at a time: this page, another tab or the service worker (Background Sync) take the same lock, and
     each reads the outbox once it holds it, so none sends what another is sending (the server would only answer
     "duplicate", but two requests at once are wasted on a weak link). Without Web Locks: no lock. */
  function withLock(work) {
    if (navigator.locks && navigator.locks.request) { return navigator.locks.request(DBNAME + "-outbox", work); }
    return work();
  }

  /* Send the waiting actions in order, in batches; show the progress; keep the conflicts. */
  function sync() {
    if (syncing) { rerun = true; return syncing; }  // what was added meanwhile goes right after this run
    var applied = 0, conflicts = 0;
    syncing = withLock(function () { return outbox().then(function (items) {
      var waiting = items.filter(function (i) { return i.state === "waiting"; });
      var total = waiting.length;
      if (!total) { return null; }
      function next(start) {
        if (start >= total) { return null; }
        say("sync-progress", fmt(T.sending, { done: start, total: total }));
        var batch = waiting.slice(start, start + BATCH);
        var body = { sent_at: new Date().toISOString(), actions: batch.map(function (i) {
          return { key: i.key, kind: i.kind, payload: i.payload, made_at: i.made_at };
        }) };
        return call("POST", "/sync", body).then(function (answer) {
          if (answer.status >= 500) { throw "offline"; }  // the server's trouble: kept, sent again shortly
          if (answer.status !== 200) { throw answer.status === 401 || answer.status === 403 ? "signin" : "refused"; }
          return dbPromise.then(function (db) {
            var tx = db.transaction("outbox", "readwrite");
            answer.data.results.forEach(function (result, n) {
              var item = batch[n];
              if (result.status === "conflict") {
                conflicts += 1;
                item.state = "conflict";
                item.conflict = { code: result.code, reason: result.reason, resolution: result.resolution };
                tx.store.put(item);
              } else {
                applied += 1;
                tx.store.delete(item.seq);
              }
            });
            return tx.done;
          }).then(function () { return next(start + BATCH); });
        });
      }
      return ensureDevice().then(function () { return next(0); });
    }); }).then(function () {
      syncing = null;
      if (rerun) { rerun = false; return sync(); }
      if (applied || conflicts) {
        say("sync-progress", fmt(T.sent, { applied: applied, conflicts: conflicts }));
        if (applied) { return refresh().then(render); }
      }
      return render();
    }, function (reason) {
      syncing = null;
      if (reason instanceof Error) { throw reason; }
      if (reason === "offline") { backgroundSync(); }
      say("sync-progress", reason === "signin" ? T.signin : T.no_connection);
      return render();
    });
    return syncing;
  }

  /* --- What each page shows ------------------------------------------------------------------------------ */

  function network() {
    var net = $("net");
    if (!net) { return; }
    net.textContent = navigator.onLine ? T.online : T.offline;
    net.className = "net " + (navigator.onLine ? "on" : "off");
  }

  function render() {
    return Promise.all([bundle(), outbox()]).then(function (both) {
      var page = main.getAttribute("data-page");
      if (page === "home") { renderHome(both[0], both[1]); }
      if (page === "roster") { renderRoster(both[0], both[1]); }
      if (page === "bookcase") { renderBookcase(both[0], both[1]); }
      if (page === "checkin") { renderCheckin(both[0], both[1]); }
    });
  }

  function button(text, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  function renderHome(b, items) {
    var data = b && b.sections.programmes;
    if (b) { $("kept").setAttribute("data-taken", b.taken_at); }
    if (b && data) {
      say("kept", fmt(T.kept, { programmes: data.programmes.length, sessions: data.sessions.length,
        people: data.learners.length, when: when(b.taken_at), until: when(b.until) }));
    }
    var books = b && b.sections.library;
    if (b && books) {
      var line = fmt(T.kept_books, { copies: books.copies.length, loans: books.loans.length, bookcases: books.bookcases.length });
      if (data) { $("kept").textContent += " " + line; }
      else { say("kept", line + " " + fmt(T.kept_since, { when: when(b.taken_at), until: when(b.until) })); }
    }
    renderBookcaseLinks(books);
    var events = b && b.sections.conferences;
    if (b && events) {
      var people = events.events.reduce(function (n, e) { return n + Object.keys(e.badges).length; }, 0);
      var said = fmt(T.kept_events, { events: events.events.length, people: people });
      if (data || books) { $("kept").textContent += " " + said; }
      else { say("kept", said + " " + fmt(T.kept_since, { when: when(b.taken_at), until: when(b.until) })); }
    }
    renderEventLinks(events);
    $("kept").setAttribute("data-people", data ? data.learners.length : 0);
    var waiting = items.filter(function (i) { return i.state === "waiting"; });
    say("outbox-count", waiting.length ? fmt(T.waiting, { n: waiting.length }) : T.none_waiting);
    $("outbox-count").setAttribute("data-waiting", waiting.length);
    var list = $("waiting");
    list.textContent = "";
    waiting.slice(0, 50).forEach(function (i) {
      var li = document.createElement("li");
      li.className = "pending";
      li.textContent = i.label + " · " + T.waiting_one;
      list.appendChild(li);
    });
    renderConflicts(items.filter(function (i) { return i.state === "conflict"; }));
    var sessions = $("sessions");
    sessions.textContent = "";
    if (!data) { return; }
    var titles = {};
    data.programmes.forEach(function (p) { titles[p.id] = p.title; });
    if (!data.sessions.length) { say("sessions", T.no_sessions); }
    data.sessions.forEach(function (s) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = main.getAttribute("data-roster") + "?session=" + s.id;
      a.textContent = day(s.date) + " " + s.start + " · " + titles[s.programme] + (s.space ? " · " + s.space : "");
      li.appendChild(a);
      if (s.status === "cancelled") { li.className = "cancelled"; li.appendChild(document.createTextNode(" (" + T.cancelled + ")")); }
      sessions.appendChild(li);
    });
  }

  function renderBookcaseLinks(books) {
    var box = $("bookcases-box"), list = $("bookcases");
    if (!box) { return; }
    box.hidden = !books;
    list.textContent = "";
    if (!books) { return; }
    books.bookcases.forEach(function (bc) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = main.getAttribute("data-bookcase") + "?space=" + bc.id;
      a.textContent = bc.name;
      li.appendChild(a);
      list.appendChild(li);
    });
  }

  function renderEventLinks(events) {
    var box = $("events-box"), list = $("events");
    if (!box) { return; }
    box.hidden = !events;
    list.textContent = "";
    if (!events) { return; }
    events.events.forEach(function (e) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = main.getAttribute("data-checkin") + "?event=" + encodeURIComponent(e.slug);
      a.textContent = e.title;
      li.appendChild(a);
      list.appendChild(li);
    });
  }

  /* A decision on a conflict: drop it, send it again, or send a changed copy (a new key). */
  function resolve(item, change) {
    return dbPromise.then(function (db) {
      if (change === "drop") { return db.delete("outbox", item.seq); }
      item.state = "waiting";
      delete item.conflict;
      if (change) {
        item.key = newKey();
        item.payload = change.payload || item.payload;
        item.kind = change.kind || item.kind;
        item.label = change.label || item.label;
        if (change.fresh) { item.made_at = new Date().toISOString(); }  // "send as new": made now, by her choice
      }
      return db.put("outbox", item);
    }).then(function () { return change === "drop" ? render() : sync(); });
  }

  function choices(item) {
    var c = item.conflict, r = c.resolution || {}, out = [];
    var merged = JSON.parse(JSON.stringify(item.payload));
    if (c.code === "merged" && r.learner_id) {
      merged.learner_id = r.learner_id; merged.learner_code = r.learner_code;
      out.push([fmt(T.apply_to, { name: r.name }), { payload: merged, label: item.label.split(":")[0] + ": " + r.name }]);
    }
    if (c.code === "duplicate" && r.learner_id) {
      out.push([fmt(T.use_member, { name: r.name }), { kind: "programmes.attendance",
        payload: { session_id: item.payload.session_id, learner_id: r.learner_id, learner_code: r.learner_code, present: true },
        label: fmt(T.present, { name: r.name }) }]);
      merged.force = true;
      out.push([T.force_new, { payload: merged }]);
    }
    if (c.code === "changed") { merged.force = true; out.push([T.force, { payload: merged }]); }
    if (c.code === "expired") { out.push([T.send_as_new, { payload: merged, fresh: true }]); }
    if (c.code === "clock") { merged.confirm_clock = true; out.push([T.send_anyway, { payload: merged }]); }
    if (["forbidden", "refused", "invalid", "depends", "clock"].indexOf(c.code) !== -1 || !out.length) {
      out.push([T.retry, null]);
    }
    return out;
  }

  function renderConflicts(items) {
    var card = $("conflicts-card"), list = $("conflicts");
    if (!card) { return; }
    card.hidden = !items.length;
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "conflict";
      li.setAttribute("data-code", item.conflict.code);
      var what = document.createElement("strong");
      what.textContent = item.label;
      var why = document.createElement("p");
      why.textContent = item.conflict.reason;
      li.appendChild(what);
      li.appendChild(why);
      choices(item).forEach(function (choice) {
        li.appendChild(button(choice[0], function () { resolve(item, choice[1]); }));
      });
      li.appendChild(button(T.discard, function () {
        if (window.confirm(T.discard_confirm)) { resolve(item, "drop"); }
      }));
      list.appendChild(li);
    });
  }

  /* --- The roster of one session -------------------------------------------------------------------------- */

  var sessionId = parseInt(new URLSearchParams(window.location.search).get("session"), 10);

  function rosterState(data, session, items) {
    // The people: members, people already marked, and new people waiting to send; their ticks: the server's,
    // then this phone's waiting actions in order.
    var people = {}, order = [];
    var byId = {};
    data.learners.forEach(function (l) { byId[l.id] = l; });
    var programme = data.programmes.filter(function (p) { return p.id === session.programme; })[0] || { members: [] };
    function add(id, person) { if (!people[id]) { people[id] = person; order.push(id); } }
    programme.members.concat(session.present).forEach(function (id) { if (byId[id]) { add(String(id), byId[id]); } });
    var present = {}, pending = {};
    session.present.forEach(function (id) { present[String(id)] = true; });
    items.forEach(function (i) {
      if (i.payload.session_id !== session.id) { return; }
      if (i.kind === "programmes.newcomer") {
        add("new:" + i.key, { id: "new:" + i.key, code: T.new_person, name: i.payload.full_name, key: i.key });
        present["new:" + i.key] = true;
        pending["new:" + i.key] = i.state;
      }
      if (i.kind === "programmes.attendance") {
        var id = i.payload.refs ? "new:" + i.payload.refs.learner_id : String(i.payload.learner_id);
        present[id] = i.payload.present !== false;
        pending[id] = i.state;
      }
    });
    return { people: people, order: order, present: present, pending: pending };
  }

  function renderRoster(b, items) {
    var data = b && b.sections.programmes;
    var session = data && data.sessions.filter(function (s) { return s.id === sessionId; })[0];
    var list = $("people");
    if (!session) { say("session-title", T.no_session); list.textContent = ""; return; }
    var programme = data.programmes.filter(function (p) { return p.id === session.programme; })[0];
    say("session-title", programme ? programme.title : "");
    say("session-when", day(session.date) + " " + session.start + "–" + session.end + (session.space ? " · " + session.space : "") +
      (session.status === "cancelled" ? " (" + T.cancelled + ")" : ""));
    var state = rosterState(data, session, items);
    list.textContent = "";
    var count = 0;
    state.order.forEach(function (id) {
      var person = state.people[id];
      var li = document.createElement("li");
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.value = id;
      box.checked = !!state.present[id];
      if (box.checked) { count += 1; }
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + person.name + " "));
      var code = document.createElement("small");
      code.textContent = person.code;
      label.appendChild(code);
      li.appendChild(label);
      if (state.pending[id]) {
        li.className = state.pending[id] === "conflict" ? "failed" : "pending";
        var note = document.createElement("small");
        note.className = "note";
        note.textContent = " · " + (state.pending[id] === "conflict" ? T.needs_decision : T.waiting_one);
        li.appendChild(note);
      }
      list.appendChild(li);
    });
    say("present-count", fmt(T.present_count, { n: count }));
    var waiting = items.filter(function (i) { return i.state === "waiting"; }).length;
    say("roster-waiting", waiting ? fmt(T.waiting, { n: waiting }) : T.none_waiting);
    $("roster-waiting").setAttribute("data-waiting", waiting);
    say("headcount-now", session.headcount ? fmt(T.counted, { n: session.headcount }) : "");
  }

  function tick(event) {
    var box = event.target;
    if (!box || box.type !== "checkbox") { return; }
    bundle().then(function (b) {
      var data = b && b.sections.programmes;
      if (!data) { return null; }
      var name = box.parentNode.childNodes[1].textContent.trim();
      var present = box.checked;
      var payload = { session_id: sessionId, present: present };
      if (box.value.indexOf("new:") === 0) {
        payload.learner_id = 0;
        payload.refs = { learner_id: box.value.slice(4) };
      } else {
        var person = data.learners.filter(function (l) { return String(l.id) === box.value; })[0] || {};
        payload.learner_id = parseInt(box.value, 10);
        payload.learner_code = person.code || "";
      }
      return enqueue("programmes.attendance", payload, fmt(present ? T.present : T.absent, { name: name }));
    }).then(render);
  }

  function newcomer(event) {
    event.preventDefault();
    var form = event.target;
    var name = form.elements.full_name.value.trim();
    if (!name) { return; }
    var year = parseInt(form.elements.birth_year.value, 10);
    enqueue("programmes.newcomer", { session_id: sessionId, full_name: name, sex: form.elements.sex.value,
      birth_year: isNaN(year) ? null : year }, fmt(T.newcomer, { name: name })).then(function () {
      form.reset();
      return render();
    });
  }

  function headcount(event) {
    event.preventDefault();
    var counts = [], total = 0;
    Array.prototype.forEach.call(event.target.querySelectorAll("input[data-band]"), function (input) {
      var n = parseInt(input.value, 10);
      if (n > 0) { counts.push({ sex: input.getAttribute("data-sex"), age_band: input.getAttribute("data-band"), count: n }); total += n; }
    });
    bundle().then(function (b) {
      var session = b && b.sections.programmes.sessions.filter(function (s) { return s.id === sessionId; })[0];
      return enqueue("programmes.headcount", { session_id: sessionId, counts: counts,
        base_total: session ? session.headcount : null }, fmt(T.headcount, { n: total }));
    }).then(function () { say("headcount-note", T.kept_counts); return render(); });
  }

  /* --- A bookcase: lend and take back by barcode and card code ------------------------------------------------ */

  var spaceId = parseInt(new URLSearchParams(window.location.search).get("space"), 10);

  function bookcaseState(books, items) {
    // The copies lent from here: the server's open loans, then this phone's waiting lends and returns in order.
    var copies = {}, lent = {}, order = [];
    books.copies.forEach(function (c) { copies[c.barcode] = c; });
    var byId = {};
    books.copies.forEach(function (c) { byId[c.id] = c; });
    books.loans.forEach(function (l) {
      if (l.bookcase !== spaceId || !byId[l.copy]) { return; }
      var code = byId[l.copy].barcode;
      lent[code] = { barcode: code, title: byId[l.copy].title, card: l.card, due_on: l.due_on, loan_id: l.id };
      order.push(code);
    });
    items.forEach(function (i) {
      if (i.payload.space_id !== spaceId) { return; }
      var code = String(i.payload.barcode || "").toUpperCase();
      if (i.kind === "library.lend") {
        var copy = copies[code] || { title: code };
        lent[code] = { barcode: code, title: copy.title, card: i.payload.card_code, key: i.key, state: i.state };
        if (order.indexOf(code) === -1) { order.push(code); }
      }
      if (i.kind === "library.return" && lent[code]) {
        if (i.state === "conflict") { lent[code].state = "conflict"; } else { delete lent[code]; }
      }
    });
    return { copies: copies, lent: lent, order: order.filter(function (c) { return lent[c]; }) };
  }

  function renderBookcase(b, items) {
    var books = b && b.sections.library;
    var bookcase = books && books.bookcases.filter(function (bc) { return bc.id === spaceId; })[0];
    var list = $("loans");
    if (!bookcase) { say("bookcase-title", T.no_bookcase); list.textContent = ""; return; }
    say("bookcase-title", bookcase.name);
    var state = bookcaseState(books, items);
    list.textContent = "";
    state.order.forEach(function (code) {
      var loan = state.lent[code];
      var li = document.createElement("li");
      li.setAttribute("data-barcode", code);
      li.textContent = loan.title + " · " + code + " · " + loan.card + (loan.due_on ? " · " + fmt(T.due, { date: day(loan.due_on) }) : "");
      if (loan.state) {
        li.className = loan.state === "conflict" ? "failed" : "pending";
        var note = document.createElement("small");
        note.className = "note";
        note.textContent = " · " + (loan.state === "conflict" ? T.needs_decision : T.waiting_one);
        li.appendChild(note);
      }
      list.appendChild(li);
    });
    say("bookcase-count", fmt(T.on_loan, { n: state.order.length }));
    var waiting = items.filter(function (i) { return i.state === "waiting"; }).length;
    say("bookcase-waiting", waiting ? fmt(T.waiting, { n: waiting }) : T.none_waiting);
    $("bookcase-waiting").setAttribute("data-waiting", waiting);
    var copiesList = $("copies-here"), cardsList = $("cards-here");
    if (copiesList && !copiesList.childNodes.length) {
      books.copies.forEach(function (c) {
        if (c.at !== spaceId) { return; }
        var o = document.createElement("option"); o.value = c.barcode; o.textContent = c.title; copiesList.appendChild(o);
      });
      books.borrowers.forEach(function (p) {
        var o = document.createElement("option"); o.value = p.card; o.textContent = p.name; cardsList.appendChild(o);
      });
    }
  }

  function lendBook(event) {
    event.preventDefault();
    var form = event.target;
    var barcode = form.elements.barcode.value.trim().toUpperCase();
    var card = form.elements.card_code.value.trim().toUpperCase();
    if (!barcode || !card) { return; }
    bundle().then(function (b) {
      var books = b && b.sections.library;
      if (!books) { return null; }
      var copy = books.copies.filter(function (c) { return c.barcode === barcode; })[0];
      var known = books.borrowers.some(function (p) { return p.card === card; });
      say("bookcase-note", !copy ? T.unknown_copy : (!known ? T.unknown_card : T.kept_action));
      return enqueue("library.lend", { space_id: spaceId, barcode: barcode, card_code: card },
        fmt(T.lent, { title: copy ? copy.title : barcode, card: card }));
    }).then(function () { form.reset(); return render(); });
  }

  function takeBack(event) {
    event.preventDefault();
    var form = event.target;
    var barcode = form.elements.barcode.value.trim().toUpperCase();
    if (!barcode) { return; }
    Promise.all([bundle(), outbox()]).then(function (both) {
      var books = both[0] && both[0].sections.library;
      if (!books) { return null; }
      var state = bookcaseState(books, both[1]);
      var loan = state.lent[barcode];
      var payload = { space_id: spaceId, barcode: barcode };
      if (loan && loan.loan_id) { payload.loan_id = loan.loan_id; }
      if (loan && loan.key) { payload.loan_id = 0; payload.refs = { loan_id: loan.key }; }
      var copy = state.copies[barcode];
      say("bookcase-note", copy ? T.kept_action : T.unknown_copy);
      return enqueue("library.return", payload, fmt(T.taken_back, { title: copy ? copy.title : barcode }));
    }).then(function () { form.reset(); return render(); });
  }

  /* --- Check-in at an event: a badge code typed or pasted, or a name picked from the kept list ------------------ */

  var eventSlug = new URLSearchParams(window.location.search).get("event") || "";

  /* Lower case, without accents (Vietnamese "Lò Thị Hoà" is found by "lo thi hoa"). */
  function plain(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "d").toLowerCase();
  }
  /* The badge a code names ("<event>:<badge>:<signature>"): checked by the server when sent. */
  function badgeOf(code) {
    var parts = code.split(":");
    return parts.length >= 3 ? { event: parts.slice(0, -2).join(":"), badge: parts[parts.length - 2] } : null;
  }
  function checkinPlace() {
    var select = $("checkin-place");
    var id = select ? parseInt(select.value, 10) : NaN;
    return isNaN(id) ? null : id;
  }

  function checkinState(event, items) {
    // Per badge at the chosen place: the server's flag (at the door), then this phone's waiting check-ins.
    var place = checkinPlace(), state = {};
    Object.keys(event.badges).forEach(function (badge) {
      if (place === null && event.badges[badge].in) { state[badge] = "in"; }
    });
    items.forEach(function (i) {
      if (i.kind !== "conferences.checkin" || i.payload.event !== event.slug) { return; }
      if ((i.payload.session || null) !== place) { return; }
      var found = badgeOf(i.payload.code);
      if (found && event.badges[found.badge] && state[found.badge] !== "in") { state[found.badge] = i.state; }
    });
    return state;
  }

  function renderCheckin(b, items) {
    var data = b && b.sections.conferences;
    var event = data && data.events.filter(function (e) { return e.slug === eventSlug; })[0];
    var list = $("delegates");
    if (!event) { say("event-title", T.no_event); list.textContent = ""; return; }
    say("event-title", event.title);
    var select = $("checkin-place");
    if (select.options.length === 1) {
      event.sessions.forEach(function (s) {
        var o = document.createElement("option");
        o.value = s.id;
        o.textContent = s.title + (s.start ? " · " + when(s.start) : "");
        select.appendChild(o);
      });
    }
    var state = checkinState(event, items);
    var badges = Object.keys(event.badges);
    var query = plain(($("checkin-search") || {}).value || "").trim();
    var done = 0;
    list.textContent = "";
    badges.sort(function (x, y) { return event.badges[x].name.localeCompare(event.badges[y].name); });
    badges.forEach(function (badge) {
      if (state[badge] && state[badge] !== "conflict") { done += 1; }
    });
    badges.filter(function (badge) {
      var p = event.badges[badge];
      return !query || plain(p.name + " " + (p.name_native || "") + " " + badge).indexOf(query) !== -1;
    }).slice(0, 60).forEach(function (badge) {
      var p = event.badges[badge];
      var li = document.createElement("li");
      li.setAttribute("data-badge", badge);
      li.appendChild(document.createTextNode(p.name + (p.name_native && p.name_native !== p.name ? " (" + p.name_native + ")" : "") + " "));
      var note = document.createElement("small");
      note.className = "note";
      var st = state[badge];
      if (st === "in") { li.className = "done"; note.textContent = " · " + T.checked_in; }
      else if (st === "conflict") { li.className = "failed"; note.textContent = " · " + T.needs_decision; }
      else if (st) { li.className = "pending"; note.textContent = " · " + T.checked_in + " · " + T.waiting_one; }
      li.appendChild(note);
      if (!st || st === "conflict") {
        li.appendChild(button(T.check_in, function () { checkinCode(p.code); }));
      }
      list.appendChild(li);
    });
    say("checkin-count", fmt(T.checkin_count, { n: done, total: badges.length }));
    var waiting = items.filter(function (i) { return i.state === "waiting"; }).length;
    say("checkin-waiting", waiting ? fmt(T.waiting, { n: waiting }) : T.none_waiting);
    $("checkin-waiting").setAttribute("data-waiting", waiting);
  }

  function checkinCode(code) {
    code = String(code || "").trim();
    if (!code) { return Promise.resolve(null); }
    return Promise.all([bundle(), outbox()]).then(function (both) {
      var data = both[0] && both[0].sections.conferences;
      var event = data && data.events.filter(function (e) { return e.slug === eventSlug; })[0];
      if (!event) { return null; }
      var found = badgeOf(code);
      var person = found && found.event === event.slug ? event.badges[found.badge] : null;
      var st = person ? checkinState(event, both[1])[found.badge] : null;
      if (person && st && st !== "conflict") { say("checkin-note", fmt(T.already_in, { name: person.name })); return null; }
      say("checkin-note", person ? fmt(T.checkin_done, { name: person.name }) : T.unknown_badge);
      return enqueue("conferences.checkin", { event: event.slug, code: code, session: checkinPlace(),
        at: new Date().toISOString() }, fmt(T.checkin_label, { name: person ? person.name : code.slice(0, 40) }));
    }).then(render);
  }

  /* --- Start ------------------------------------------------------------------------------------------------ */

  var el;

  if ("serviceWorker" in navigator) {
    // A new worker takes over when the app or the language changed: show the pages it brought.
    var hadWorker = !!navigator.serviceWorker.controller;
    navigator.serviceWorker.addEventListener("controllerchange", function () {
      // (none now: the site's data was cleared, the page stays to say so)
      if (hadWorker && navigator.serviceWorker.controller) { window.location.reload(); }
    });
    // The worker keeps the pages in this language: the one just chosen (?lang=, after a switch), else the page's.
    var language = new URLSearchParams(window.location.search).get("lang") || document.documentElement.lang;
    var worker = main.getAttribute("data-sw") + "?lang=" + encodeURIComponent(language);
    navigator.serviceWorker.register(worker).then(function (registration) {
      if (hadWorker && navigator.onLine) { return registration.update(); }  // another language, a new version
      return null;
    }).catch(function () { /* works, just not offline */ });
  }
  // The cached pages hold no CSRF token: the language switch takes it from the cookie when it is used.
  if ((el = $("field-lang"))) {
    el.addEventListener("submit", function (event) {
      var form = event.target;
      form.elements.csrfmiddlewaretoken.value = csrf();
      if (event.submitter) { form.elements.next.value += "?lang=" + encodeURIComponent(event.submitter.value); }
    });
  }
  if ("serviceWorker" in navigator) {  // the worker sent the outbox while this page was away: show it
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (!event.data || event.data.type !== "lc-field-sent") { return; }
      if (event.data.count && navigator.onLine) { refresh().then(render, function () {}); } else { render(); }
    });
  }
  // The worker sends with the app closed: it needs the CSRF token, which only a page can read (the cookie).
  if (csrf()) { setMeta("csrf", csrf()); }
  network();
  window.addEventListener("online", function () { network(); sync(); });
  window.addEventListener("offline", network);
  if ((el = $("refresh"))) { el.addEventListener("click", function () { refresh().then(render, function () {}); }); }
  if ((el = $("sync"))) { el.addEventListener("click", function () { sync(); }); }
  if ((el = $("roster"))) { el.addEventListener("change", tick); }
  if ((el = $("newcomer"))) { el.addEventListener("submit", newcomer); }
  if ((el = $("headcount"))) { el.addEventListener("submit", headcount); }
  if ((el = $("lend"))) { el.addEventListener("submit", lendBook); }
  if ((el = $("take-back"))) { el.addEventListener("submit", takeBack); }
  if ((el = $("checkin"))) {
    el.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = event.target.elements.code, typed = !!event.submitter;  // not sent by the scanner (scan.js)
      checkinCode(input.value).then(function () { input.value = ""; if (typed) { input.focus(); } });
    });
  }
  if ((el = $("checkin-search"))) { el.addEventListener("input", function () { render(); }); }
  if ((el = $("checkin-place"))) { el.addEventListener("change", function () { render(); }); }
  if ((el = $("lend-card"))) {
    el.addEventListener("input", function (event) {  // whose card it is, from what the phone keeps
      var card = event.target.value.trim().toUpperCase();
      bundle().then(function (b) {
        var p = b && b.sections.library && b.sections.library.borrowers.filter(function (x) { return x.card === card; })[0];
        say("lend-who", p ? p.name : "");
      });
    });
  }
  render().then(function () {
    document.documentElement.setAttribute("data-field-ready", "1");
    if (!navigator.onLine) { return null; }
    // Each opening online is a contact: a signed-out phone hears of it here and erases what it kept.
    return meta("device").then(function (device) {
      if (!device) { return null; }
      return call("GET", "/device").catch(function () { return null; }).then(function () { return sync(); })
        .then(function () { return bundle(); })
        .then(function (b) {  // kept data older than a few hours is refreshed while the signal is there
          // (or the worker sent actions with the app closed: the kept data does not show them yet)
          if (b && (b.stale || Date.now() - Date.parse(b.taken_at) > STALE_MS)) { return refresh().then(render); }
          return null;
        });
    });
  }).catch(function () { /* offline or wiped: already shown */ });
  // A lost answer or a signal back without an "online" event: what waits is tried again every 15 seconds.
  window.setInterval(function () { if (navigator.onLine) { sync(); } }, 15000);
}());
