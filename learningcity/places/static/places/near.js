/* "Nearest to me": asks the browser for the visitor's position and orders the list by distance. */
(function () {
  "use strict";
  function init() {
    var button = document.getElementById("use-location");
    if (!button || !navigator.geolocation) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        var form = button.form;
        form.querySelector("[name=near_lat]").value = pos.coords.latitude.toFixed(5);
        form.querySelector("[name=near_lon]").value = pos.coords.longitude.toFixed(5);
        form.submit();
      }, function () {
        button.disabled = true;
      }, { timeout: 10000, maximumAge: 600000 });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
