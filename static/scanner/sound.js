// A distinct sound per result, synthesised with WebAudio (no audio files to load or cache).

// tone → [frequency Hz, start s, length s, waveform]
const TONES = {
  ok: [[880, 0, 0.09, "sine"], [1320, 0.11, 0.14, "sine"]],
  exit: [[1320, 0, 0.09, "sine"], [880, 0.11, 0.14, "sine"]],
  warn: [[660, 0, 0.12, "triangle"], [660, 0.18, 0.12, "triangle"], [660, 0.36, 0.12, "triangle"]],
  deny: [[180, 0, 0.45, "square"]],
};

let context = null;

/** Create or resume the audio context; browsers allow it only after a user gesture. */
export function unlockSound() {
  try {
    context ??= new AudioContext();
    if (context.state === "suspended") context.resume().catch(() => {});
  } catch {
    context = null; // no audio on this device: results are still shown
  }
}

export function play(tone) {
  if (!context || context.state !== "running" || !TONES[tone]) return;
  const start = context.currentTime + 0.01;
  for (const [frequency, at, length, type] of TONES[tone]) {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.type = type;
    osc.frequency.value = frequency;
    // Short ramps avoid clicks at the edges of each beep.
    gain.gain.setValueAtTime(0.0001, start + at);
    gain.gain.exponentialRampToValueAtTime(0.25, start + at + 0.01);
    gain.gain.setValueAtTime(0.25, start + at + length - 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + at + length);
    osc.connect(gain).connect(context.destination);
    osc.start(start + at);
    osc.stop(start + at + length + 0.01);
  }
}
