/* Scanning a copy's barcode or QR label with the phone's camera where the browser has BarcodeDetector
   (Chrome on Android); typing always works. The code found fills the barcode field; the volunteer sends. */
(function () {
  "use strict";
  function init() {
    var button = document.getElementById("scan-button");
    var video = document.getElementById("scan-video");
    var input = document.getElementById("id_barcode");
    if (!button || !video || !input) return;
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
    button.hidden = false;
    var stream = null;
    function stop() {
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null;
      video.hidden = true;
    }
    button.addEventListener("click", function () {
      if (stream) { stop(); return; }
      var detector = new window.BarcodeDetector({ formats: ["qr_code", "code_128", "code_39", "ean_13"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        video.play();
        function look() {
          if (!stream) return;
          detector.detect(video).then(function (codes) {
            if (codes.length) {
              input.value = codes[0].rawValue.trim().toUpperCase();
              stop();
              input.focus();
              if (navigator.vibrate) navigator.vibrate(80);
            } else {
              window.setTimeout(look, 250);
            }
          }, function () { window.setTimeout(look, 500); });
        }
        look();
      }, function () { button.disabled = true; });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
