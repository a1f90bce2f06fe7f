// Decodes camera frames off the page's thread with jsQR (installed from npm, served at /vendor/).
/* global jsQR */
importScripts("/vendor/jsqr/dist/jsQR.js");

self.onmessage = (event) => {
  const { id, width, height, buffer } = event.data;
  const found = jsQR(new Uint8ClampedArray(buffer), width, height, {
    inversionAttempts: "dontInvert",
  });
  self.postMessage({ id, text: found ? found.data : null });
};
