// Camera decoding: the rear camera into a small canvas a few times a second, frames decoded
// by a worker (decoder.js); one frame in flight at a time, so a slow phone never piles up.

const FRAME_MS = 150;
const MAX_WIDTH = 720;

export class Camera {
  constructor(video, onCode) {
    this.video = video;
    this.onCode = onCode;
    this.stream = null;
    this.worker = null;
    this.timer = null;
    this.busy = false;
    this.canvas = document.createElement("canvas");
    this.context2d = this.canvas.getContext("2d", { willReadFrequently: true });
  }

  get running() {
    return this.stream !== null;
  }

  /** Start the camera; rejects with the getUserMedia error (NotAllowedError, NotFoundError…). */
  async start() {
    if (this.stream) return;
    if (!navigator.mediaDevices?.getUserMedia) {
      throw Object.assign(new Error("no camera API"), { name: "NotFoundError" });
    }
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
    this.video.srcObject = this.stream;
    await this.video.play().catch(() => {});
    this.worker = new Worker("/static/scanner/decoder.js");
    this.worker.onmessage = (event) => {
      this.busy = false;
      if (event.data.text) this.onCode(event.data.text);
    };
    this.worker.onerror = () => { this.busy = false; };
    this.timer = setInterval(() => this.#frame(), FRAME_MS);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    this.worker?.terminate();
    this.worker = null;
    this.busy = false;
    this.stream?.getTracks().forEach((track) => track.stop());
    this.stream = null;
    this.video.srcObject = null;
  }

  #frame() {
    const { videoWidth, videoHeight } = this.video;
    if (this.busy || !videoWidth || document.hidden) return;
    const scale = Math.min(1, MAX_WIDTH / videoWidth);
    const width = Math.round(videoWidth * scale);
    const height = Math.round(videoHeight * scale);
    this.canvas.width = width;
    this.canvas.height = height;
    this.context2d.drawImage(this.video, 0, 0, width, height);
    const { data } = this.context2d.getImageData(0, 0, width, height);
    this.busy = true;
    this.worker.postMessage({ id: Date.now(), width, height, buffer: data.buffer }, [data.buffer]);
  }
}
