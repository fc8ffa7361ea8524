"""A phone's camera for browser tests of the shared scanner (core/scan.js): Chromium's fake capture device plays a
Y4M video of a code made by segno; a photo is a PNG; a stand-in BarcodeDetector "sees" what the test says."""

from __future__ import annotations

import io

import segno
from PIL import Image

from conftest import CHROMIUM_ARGS


def qr_picture(code: str) -> Image.Image:
    """A full QR code of `code` (never a Micro QR, which segno picks for short codes and jsQR cannot read)."""
    png = io.BytesIO()
    segno.make_qr(code, error="m").save(png, kind="png", scale=6, border=4)
    png.seek(0)
    return Image.open(png).convert("RGB")


def still(path, picture: Image.Image | None) -> str:
    """A photo of the code (or of a blank page) as PNG."""
    canvas = Image.new("RGB", (480, 480), "white")
    if picture is not None:
        canvas.paste(picture, ((480 - picture.width) // 2, (480 - picture.height) // 2))
    canvas.save(path)
    return str(path)


def y4m(path, picture: Image.Image, size=(640, 480)) -> str:
    """A video of the code held in front of the camera, in the YUV4MPEG2 format Chromium's fake camera plays."""
    width, height = size
    frame = Image.new("RGB", size, "white")
    frame.paste(picture, ((width - picture.width) // 2, (height - picture.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    half = (width // 2, height // 2)
    planes = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _frame in range(3):
            out.write(b"FRAME\n" + planes)
    return str(path)


def blank_video(path) -> str:
    """A camera that films a white page (for a stand-in BarcodeDetector, which sees what the test says)."""
    return y4m(path, Image.new("RGB", (10, 10), "white"))


def camera_args(video: str) -> list[str]:
    """Chromium's flags for a camera that films `video`, allowed without asking."""
    return [
        *CHROMIUM_ARGS,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]


# What a browser with the Barcode Detection API offers (Chrome on Android), standing in for it: it supports the
# formats in window.__formats (QR and EAN-13 unless the test says otherwise), records the formats it was asked for
# in window.__askedFormats, and "sees" the code the test puts in window.__codeSeen.
NATIVE_DETECTOR = """
window.BarcodeDetector = class {
  static getSupportedFormats() { return Promise.resolve(window.__formats || ["qr_code", "ean_13"]); }
  constructor(options) { this.formats = options.formats; window.__askedFormats = options.formats; }
  detect(image) {
    return Promise.resolve(window.__codeSeen ? [{ rawValue: window.__codeSeen, format: this.formats[0] }] : []);
  }
};
"""
