let audio: AudioContext | undefined;

/**
 * Prepares the beep's AudioContext. Browsers let audio start only after a user gesture: call it
 * from one (the notifications switch does), or the first beep may stay silent.
 */
export function unlockBeep(win: Window = window): void {
  const w = win as { AudioContext?: typeof AudioContext; webkitAudioContext?: typeof AudioContext };
  const Ctx = w.AudioContext ?? w.webkitAudioContext;
  if (!Ctx) return;
  audio ??= new Ctx();
  void audio.resume().catch(() => {});
}

/**
 * A short generated beep (no audio file to ship or serve): 880 Hz for 0.15 s, fading out.
 *
 * @example
 * beep(); // after unlockBeep() in a click handler
 */
export function beep(win: Window = window): void {
  unlockBeep(win);
  if (audio?.state !== 'running') return;
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.frequency.value = 880;
  gain.gain.setValueAtTime(0.2, audio.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.15);
  osc.connect(gain).connect(audio.destination);
  osc.start();
  osc.stop(audio.currentTime + 0.15);
}
