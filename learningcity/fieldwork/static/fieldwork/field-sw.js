/* The field app's sending with the app closed (Background Sync), loaded by the service worker.

   The page asks for a "sync" (tag lc-field-outbox) when an action could not be sent. The browser fires the
   worker's `sync` event once the connection is back, even if no page of the app is open; the worker then sends
   the waiting actions exactly as the page would (in order, in batches of 50, with the device key and the CSRF
   token the page kept), removes the applied ones and keeps the refused ones as conflicts for the person to
   decide. A failed attempt (no answer, a server error) rejects, so the browser tries again later. Where the
   browser has no Background Sync (Firefox, Safari), or a page of the app is open and visible (it sends itself),
   nothing happens here: the page sends at its next opening, when the connection returns, and every 15 s. */
(function () {
  "use strict";
  var config = self.LC_FIELD;
  var TAG = "lc-field-outbox";
  var BATCH = 50;

  function open() {
    return self.idb.openDB(config.db, 1, {
      upgrade: function (db) {  // the same stores as the page's (field.js)
        db.createObjectStore("meta");
        db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
      }
    });
  }

  function wipe() {
    return self.idb.deleteDB(config.db)
      .then(function () { return caches.keys(); })
      .then(function (keys) { return Promise.all(keys.map(function (k) { return caches.delete(k); })); })
      .then(function () { return self.registration.unregister(); });
  }

  function post(db, headers, batch) {
    var body = { sent_at: new Date().toISOString(), actions: batch.map(function (i) {
      return { key: i.key, kind: i.kind, payload: i.payload, made_at: i.made_at };
    }) };
    return fetch(config.api + "/sync", {
      method: "POST", headers: headers, credentials: "same-origin", cache: "no-store", body: JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 410) { return wipe().then(function () { return "stop"; }); }
      if (response.status >= 500) { throw new Error("server " + response.status); }  // tried again later
      if (response.status !== 200) { return "stop"; }  // signed out of the site: the page will say so
      return response.json().then(function (data) {
        var tx = db.transaction(["outbox", "meta"], "readwrite");
        var applied = 0;
        data.results.forEach(function (result, n) {
          var item = batch[n];
          if (result.status === "conflict") {
            item.state = "conflict";
            item.conflict = { code: result.code, reason: result.reason, resolution: result.resolution };
            tx.objectStore("outbox").put(item);
          } else {
            applied += 1;
            tx.objectStore("outbox").delete(item.seq);
          }
        });
        if (applied) {  // what the phone keeps no longer shows what was applied: the page refreshes it at opening
          tx.objectStore("meta").get("bundle").then(function (b) {
            if (b) { b.stale = true; tx.objectStore("meta").put(b, "bundle"); }
          });
        }
        return tx.done.then(function () { return "sent"; });
      });
    });
  }

  function send() {
    return open().then(function (db) {
      return Promise.all([db.get("meta", "device"), db.get("meta", "csrf"), db.getAll("outbox")]).then(function (got) {
        var waiting = got[2].filter(function (i) { return i.state === "waiting"; });
        if (!got[0] || !waiting.length) { db.close(); return 0; }
        var headers = { "Accept": "application/json", "Content-Type": "application/json",
                        "X-Field-Device": got[0], "X-CSRFToken": got[1] || "" };
        function next(start) {
          if (start >= waiting.length) { return Promise.resolve(waiting.length); }
          return post(db, headers, waiting.slice(start, start + BATCH)).then(function (outcome) {
            return outcome === "stop" ? start : next(start + BATCH);
          });
        }
        return next(0).then(function (n) { db.close(); return n; }, function (error) { db.close(); throw error; });
      });
    }).then(function (n) {
      return self.clients.matchAll({ type: "window" }).then(function (pages) {
        pages.forEach(function (page) { page.postMessage({ type: "lc-field-sent", count: n }); });
        return n;
      });
    });
  }

  self.addEventListener("sync", function (event) {
    if (event.tag !== TAG) { return; }
    event.waitUntil(self.clients.matchAll({ type: "window" }).then(function (pages) {
      // A visible page of the app sends by itself (its "online" event): two senders would only race.
      var visible = pages.some(function (p) { return p.visibilityState === "visible" && p.url.indexOf(self.registration.scope) === 0; });
      if (visible) { return null; }
      // The page's lock (field.js withLock): a page opened meanwhile waits for this sending, then finds it done.
      var locks = self.navigator && self.navigator.locks;
      return locks && locks.request ? locks.request(config.db + "-outbox", send) : send();
    }));
  });
}());
