/* The staff check-in page answers in place: the form (typed, pasted or sent by the camera scanner, core/scan.js)
   is posted with fetch and the answer (conferences/_checkin_answer.html: what happened and the last checked in)
   replaces the result line, a live region read aloud, and the list; no reload, so the camera keeps scanning. Without
   this script, or when fetch fails, the form is posted as usual and the page comes back with the result. */
(function () {
  "use strict";
  var form = document.getElementById("checkin-form");
  var result = document.getElementById("checkin-result");
  if (!form || !result || !window.fetch || !window.DOMParser) { return; }
  var input = form.elements.code;
  var busy = false;

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) { return; }
    busy = true;
    var typed = !!event.submitter;  // not sent by the scanner: the keyboard may come back for the next code
    fetch(form.action || window.location.href, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Checkin": "fetch" },
      credentials: "same-origin"
    }).then(function (response) {
      if (response.status !== 200 && response.status !== 400) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      var answer = new DOMParser().parseFromString(html, "text/html");
      var said = answer.getElementById("checkin-said");
      var recent = answer.getElementById("checkin-recent");
      var ok = said && said.getAttribute("data-ok") === "1";
      result.textContent = said ? said.textContent : "";
      result.className = "checkin-result " + (ok ? "success" : "error");
      input.setAttribute("aria-invalid", ok ? "false" : "true");
      var list = document.getElementById("checkin-recent");
      if (recent && list) { list.replaceWith(document.importNode(recent, true)); }
      form.querySelectorAll(".error").forEach(function (e) { e.remove(); });  // a mistake shown by the server
      if (ok) { input.value = ""; }
      if (typed) { input.focus(); }
    }).catch(function () {
      form.submit();  // the page's own way: posted, and the answer comes back as a page
    }).then(function () { busy = false; });
  });
}());
