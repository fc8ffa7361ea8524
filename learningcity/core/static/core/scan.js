/* Scanning a badge's QR code at check-in: with the phone's camera, or from a photo of the badge. The browser's
   own BarcodeDetector reads the code where it has one (Chrome on Android); elsewhere the vendored jsQR does
   (vendor/jsqr/jsQR.js, loaded when first needed; the field app's service worker keeps it offline). The code found
   is put in the badge code field and the form is sent, as if typed: on the field app field.js checks the person
   in, online or not; on the conferences' staff page the form is posted. Shared by both check-in pages: the box
   (#scan) names its form, its code field and the JSON of its texts in data-form, data-input and data-texts.
   Typing or pasting the code always works. No inline script: the page's strict CSP holds. */
(function () {
  "use strict";

  var box = document.getElementById("scan");
  if (!box) { return; }
  var form = document.getElementById(box.getAttribute("data-form") || "checkin");
  var input = document.getElementById(box.getAttribute("data-input") || "checkin-code");
  var texts = document.getElementById(box.getAttribute("data-texts") || "field-text");
  var start = document.getElementById("scan-start");
  var video = document.getElementById("scan-video");
  var photo = document.getElementById("scan-photo");
  var note = document.getElementById("scan-note");
  if (!form || !input || !texts || !start || !video || !photo || !note) { return; }
  var T = JSON.parse(texts.textContent);
  var REPEAT_MS = 4000;  // the same code seen again within this time is the same badge still in view
  var stream = null, last = { code: "", at: 0 }, canvas = document.createElement("canvas");
  var decoderPromise = null;

  function say(text) { note.textContent = text; }

  function loadJsQR() {
    if (window.jsQR) { return Promise.resolve(window.jsQR); }
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = box.getAttribute("data-jsqr");
      script.onload = function () { if (window.jsQR) { resolve(window.jsQR); } else { reject(new Error("jsQR")); } };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  /* A function image -> Promise of the code's text or "" (image: a playing video, an image or a bitmap). */
  function jsqrDecoder(jsQR) {
    return function (image, thorough) {
      var w = image.videoWidth || image.naturalWidth || image.width;
      var h = image.videoHeight || image.naturalHeight || image.height;
      if (!w || !h) { return Promise.resolve(""); }
      var scale = Math.min(1, 1024 / Math.max(w, h));
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      var context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      var pixels = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = jsQR(pixels.data, pixels.width, pixels.height,
        { inversionAttempts: thorough ? "attemptBoth" : "dontInvert" });
      return Promise.resolve(found ? found.data : "");
    };
  }

  function decoder() {
    if (decoderPromise) { return decoderPromise; }
    var native = "BarcodeDetector" in window
      ? (window.BarcodeDetector.getSupportedFormats ? window.BarcodeDetector.getSupportedFormats() : Promise.resolve(["qr_code"]))
        .then(function (formats) { return formats.indexOf("qr_code") !== -1; }, function () { return false; })
      : Promise.resolve(false);
    decoderPromise = native.then(function (ok) {
      if (!ok) { return loadJsQR().then(jsqrDecoder); }
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      box.setAttribute("data-scanner", "native");
      return function (image) {
        return detector.detect(image).then(function (codes) { return codes.length ? codes[0].rawValue : ""; });
      };
    }).then(function (decode) {
      if (!box.getAttribute("data-scanner")) { box.setAttribute("data-scanner", "jsqr"); }
      return decode;
    });
    return decoderPromise;
  }

  /* A code read: into the field and sent, unless it is the badge just read and still in front of the camera. */
  function found(code) {
    code = String(code || "").trim();
    if (!code) { return false; }
    var now = Date.now();
    if (code === last.code && now - last.at < REPEAT_MS) { return false; }
    last = { code: code, at: now };
    input.value = code;
    if (navigator.vibrate) { navigator.vibrate(80); }
    if (form.requestSubmit) { form.requestSubmit(); } else { form.dispatchEvent(new Event("submit", { cancelable: true })); }
    return true;
  }

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    video.hidden = true;
    video.srcObject = null;
    start.textContent = T.scan_start;
    start.setAttribute("aria-pressed", "false");
    say("");
  }

  function look(decode) {
    if (!stream) { return; }
    var ready = video.readyState >= 2 ? decode(video, false) : Promise.resolve("");
    ready.then(function (code) { found(code); }, function () { /* a frame it could not read */ })
      .then(function () { if (stream) { window.setTimeout(function () { look(decode); }, 200); } });
  }

  function camera() {
    if (stream) { stop(); return; }
    Promise.all([decoder(), navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })])
      .then(function (both) {
        stream = both[1];
        video.srcObject = stream;
        video.hidden = false;
        start.textContent = T.scan_stop;
        start.setAttribute("aria-pressed", "true");
        say(T.scan_hint);
        return video.play().then(function () { look(both[0]); });
      })
      .catch(function () { stop(); say(T.scan_no_camera); });
  }

  /* A photo of the badge (the file picker, or the camera app on a phone), read as a bitmap: no blob: address,
     which the CSP does not allow. */
  function fromPhoto() {
    var file = photo.files && photo.files[0];
    if (!file) { return; }
    Promise.all([decoder(), window.createImageBitmap(file)]).then(function (both) {
      return both[0](both[1], true);
    }).then(function (code) {
      last = { code: "", at: 0 };  // a photo is taken on purpose: read it even if it is the last badge
      if (!found(code)) { say(T.scan_none); }
    }, function () { say(T.scan_none); }).then(function () { photo.value = ""; });
  }

  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    start.hidden = false;
    start.addEventListener("click", camera);
  }
  if (window.createImageBitmap) {
    photo.closest(".field").hidden = false;
    photo.addEventListener("change", fromPhoto);
  }
  window.addEventListener("pagehide", stop);
}());
