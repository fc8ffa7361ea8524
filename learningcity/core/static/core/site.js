/* Learning City: small progressive enhancements shared by every page (no inline script: the CSP forbids it). */
(function () {
  "use strict";
  // A table wider than the phone scrolls sideways: make its wrapper reachable and named for keyboard users.
  function labelScrollableTables() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        var caption = wrap.querySelector("caption");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        if (caption && caption.textContent.trim()) {
          wrap.setAttribute("aria-label", caption.textContent.trim());
        }
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", labelScrollableTables);
  } else {
    labelScrollableTables();
  }
  window.addEventListener("resize", labelScrollableTables);

  // Forms filled in out in the field (data-offline holds the note to show): before sending, ask the server
  // whether it can be reached. Without a connection the page stays as it is, with everything typed, and says so;
  // pressing the button again tries again. With one, the form is sent as usual.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    // event.defaultPrevented: a page's own script sends this form itself (the roster's "someone new").
    if (!form.hasAttribute("data-offline") || !window.fetch || event.defaultPrevented) { return; }
    if (form.hasAttribute("data-reachable")) { form.removeAttribute("data-reachable"); return; }
    event.preventDefault();
    var submitter = event.submitter || null;
    var note = form.querySelector(".offline-note");
    if (note) { note.textContent = ""; }
    fetch("/healthz", { method: "GET", cache: "no-store", credentials: "same-origin" })
      .then(function () {
        form.setAttribute("data-reachable", "");
        if (form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
      })
      .catch(function () {
        if (note) { note.textContent = form.getAttribute("data-offline"); }
      });
  });

  // A page still working in the background (an import being checked) carries a link with data-reload="N": the
  // page reloads itself every N seconds while it is shown (without JavaScript the link reloads it by hand).
  var reload = document.querySelector("[data-reload]");
  if (reload) {
    var seconds = parseInt(reload.getAttribute("data-reload"), 10) || 3;
    window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
  }
})();
