"""The recorder's browser half (anywidget ESM, inlined: no build step, no CDN).

The browser captures the microphone with the Web Audio API, averages it down to 16 kHz mono,
and sends 16-bit PCM to the kernel over the widget's comm in one-second chunks. Nothing is sent
anywhere else. Refused permission, no microphone and an unsupported browser are reported to the
kernel, which shows the learner a plain message.
"""

from __future__ import annotations

ESM = r"""
const RATE = 16000;

function clock(ms) {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function toPcm16(input, inRate) {
  const ratio = inRate / RATE;
  const n = Math.floor(input.length / ratio);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.floor(i * ratio);
    const b = Math.min(input.length, Math.max(a + 1, Math.floor((i + 1) * ratio)));
    let sum = 0;
    for (let j = a; j < b; j++) sum += input[j];
    const v = Math.round((sum / (b - a)) * 32767);
    out[i] = Math.max(-32768, Math.min(32767, v));
  }
  return out;
}

function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "cak-recorder";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "jupyter-button widget-button mod-primary cak-record";
  const time = document.createElement("span");
  time.className = "cak-clock";
  time.setAttribute("aria-live", "off");
  time.style.marginLeft = "12px";
  time.style.fontVariantNumeric = "tabular-nums";
  box.append(button, time);
  el.append(box);

  let stream = null, ctx = null, source = null, node = null, timer = null;
  let started = 0, pending = [], pendingLength = 0, recording = false;

  function label() {
    button.textContent = recording ? "\u25a0 Stop" : "\u25cf Record";
    button.setAttribute("aria-pressed", recording ? "true" : "false");
    button.disabled = !recording && model.get("busy");
  }

  function flush() {
    if (!pendingLength) return;
    const out = new Int16Array(pendingLength);
    let at = 0;
    for (const part of pending) { out.set(part, at); at += part.length; }
    pending = []; pendingLength = 0;
    model.send({ type: "chunk" }, undefined, [out.buffer]);
  }

  async function start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      model.send({ type: "error", reason: "unsupported" });
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true },
      });
    } catch (err) {
      const name = (err && err.name) || "";
      let reason = "other";
      if (name === "NotAllowedError" || name === "SecurityError") reason = "refused";
      else if (["NotFoundError", "OverconstrainedError", "NotReadableError"].includes(name)) {
        reason = "no-microphone";
      }
      model.send({ type: "error", reason, detail: String(name || err) });
      return;
    }
    const Context = window.AudioContext || window.webkitAudioContext;
    ctx = new Context();
    source = ctx.createMediaStreamSource(stream);
    node = ctx.createScriptProcessor(4096, 1, 1);
    node.onaudioprocess = (event) => {
      if (!recording) return;
      const part = toPcm16(event.inputBuffer.getChannelData(0), ctx.sampleRate);
      pending.push(part);
      pendingLength += part.length;
      if (pendingLength >= RATE) flush();
    };
    source.connect(node);
    node.connect(ctx.destination);
    model.send({ type: "start", rate: RATE });
    recording = true;
    started = Date.now();
    time.textContent = "0:00";
    timer = setInterval(() => { time.textContent = clock(Date.now() - started); }, 250);
    label();
  }

  function stop() {
    recording = false;
    clearInterval(timer);
    try { node && node.disconnect(); source && source.disconnect(); } catch (e) { /* gone */ }
    if (stream) stream.getTracks().forEach((track) => track.stop());
    if (ctx) ctx.close();
    stream = ctx = source = node = null;
    flush();
    model.send({ type: "stop" });
    label();
  }

  button.addEventListener("click", () => (recording ? stop() : start()));
  model.on("change:busy", label);
  label();
  return () => { if (recording) stop(); };
}

export default { render };
"""
