/* Scanning a code with the phone's camera, or from a photo: a badge's QR code at check-in, a copy's barcode or QR
   label at the library desk. The browser's own BarcodeDetector reads the code where it has one (Chrome on Android:
   QR codes and the 1D barcodes of books, Code 128, Code 39, EAN-13); elsewhere the vendored jsQR reads QR codes
   (vendor/jsqr/jsQR.min.js, loaded when first needed; the field app's service worker keeps it offline), and a 1D
   barcode is typed. Shared by the field app's and the conferences' check-in pages and the library desk: the box
   (#scan, templates/core/_scan.html) names its form, its code field and the JSON of its texts in data-form,
   data-input and data-texts; data-formats lists the BarcodeDetector formats wanted (default qr_code); data-then
   says what a code read does: "submit" (default: put in the field and the form sent, as if typed; on the field app
   field.js checks the person in, online or not; on the conferences' staff page the form is posted) or "fill" (put
   in the field, the camera stopped, the field focused: the desk's volunteer still names the borrower). Typing or
   pasting the code always works. No inline script: the page's strict CSP holds. */
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
  var FORMATS = (box.getAttribute("data-formats") || "qr_code").split(/\s+/).filter(Boolean);
  var FILL = box.getAttribute("data-then") === "fill";
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

  /* The browser's BarcodeDetector with the wanted formats it supports; where it supports none, jsQR (QR only). */
  function decoder() {
    if (decoderPromise) { return decoderPromise; }
    var native = "BarcodeDetector" in window
      ? (window.BarcodeDetector.getSupportedFormats ? window.BarcodeDetector.getSupportedFormats() : Promise.resolve(["qr_code"]))
        .then(function (formats) { return FORMATS.filter(function (f) { return formats.indexOf(f) !== -1; }); },
          function () { return []; })
      : Promise.resolve([]);
    decoderPromise = native.then(function (usable) {
      if (!usable.length) { return loadJsQR().then(jsqrDecoder); }
      var detector = new window.BarcodeDetector({ formats: usable });
      box.setAttribute("data-scanner", "native");
      box.setAttribute("data-reads", usable.join(" "));
      return function (image) {
        return detector.detect(image).then(function (codes) { return codes.length ? codes[0].rawValue : ""; });
      };
    }).then(function (decode) {
      if (!box.getAttribute("data-scanner")) {
        box.setAttribute("data-scanner", "jsqr");
        box.setAttribute("data-reads", "qr_code");
      }
      return decode;
    });
    return decoderPromise;
  }

  /* What the camera can read here: a 1D barcode wanted but only QR codes readable says to type it. */
  function hint() {
    var onlyQR = box.getAttribute("data-reads") === "qr_code" && FORMATS.some(function (f) { return f !== "qr_code"; });
    return onlyQR && T.scan_hint_qr ? T.scan_hint_qr : T.scan_hint;
  }

  /* A code read: into the field and sent, unless it is the badge just read and still in front of the camera; or,
     with data-then="fill", into the field, the camera stopped and the field focused for the rest of the form. */
  function found(code) {
    code = String(code || "").trim();
    if (!code) { return false; }
    var now = Date.now();
    if (code === last.code && now - last.at < REPEAT_MS) { return false; }
    last = { code: code, at: now };
    input.value = code;
    if (navigator.vibrate) { navigator.vibrate(80); }
    if (FILL) {
      stop();
      say(T.scan_read.replace("%(code)s", code));
      input.focus();
    } else if (form.requestSubmit) { form.requestSubmit(); } else { form.dispatchEvent(new Event("submit", { cancelable: true })); }
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
        say(hint());
        return video.play().then(function () { look(both[0]); });
      })
      .catch(function () { stop(); say(T.scan_no_camera); });
  }

  /* A photo of the code (the file picker, or the camera app on a phone), read as a bitmap: no blob: address,
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
