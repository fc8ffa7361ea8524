/* One tap per person: each tick is saved at once. Without JavaScript the whole form is posted instead. */
(function () {
  "use strict";
  var form = document.getElementById("roster-form");
  if (!form || !window.fetch) { return; }
  document.documentElement.classList.add("js");
  var url = form.getAttribute("data-mark-url");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var counter = document.getElementById("present-count");
  var status = document.getElementById("roster-status");
  form.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || box.name !== "present") { return; }
    var item = box.closest("li");
    item.classList.add("saving");
    item.classList.remove("failed");
    var body = new FormData();
    body.append("learner", box.value);
    body.append("present", box.checked ? "1" : "0");
    fetch(url, { method: "POST", body: body, headers: { "X-CSRFToken": token }, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        item.classList.remove("saving");
        if (!result.ok) { throw new Error(result.data.detail || "error"); }
        if (counter) { counter.textContent = result.data.count; }
        if (status) { status.textContent = form.getAttribute("data-saved"); }
      })
      .catch(function (err) {
        item.classList.remove("saving");
        item.classList.add("failed");
        box.checked = !box.checked;
        if (status) { status.textContent = err.message; }
      });
  });
})();
