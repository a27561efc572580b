'use strict';
// Runs JFrame test operations against the transform's JFrameContext; shared by the Node driver and the
// Chromium worker page. Ops:
//   'encrypt': { sharedKey, keys: [[index, hex], ...], frames: [{ kind, ssrc, timestamp, plaintext, sendCount? }] }
//   'decrypt': { sharedKey, keys: [[index, hex], ...], frames: [{ kind, data }] }
// Keys are set in order, so the last one is current.
async function runJFrameOps(jf, ops) {
  const results = [];
  for (const op of ops) {
    const context = new jf.JFrameContext({ sharedKey: !!op.sharedKey });
    for (const [index, hex] of op.keys) {
      await context.setKey(jf.hexToBytes(hex), index);
    }
    const frames = [];
    for (const f of op.frames) {
      if (op.op === 'encrypt') {
        if (f.sendCount !== undefined && f.sendCount !== null) {
          context.setSendCount(f.ssrc, f.sendCount);
        }
        const out = await context.encryptFrame(jf.hexToBytes(f.plaintext), f.kind, f.ssrc, f.timestamp);
        frames.push(out ? jf.bytesToHex(out) : null);
      } else {
        const r = await context.decryptFrame(jf.hexToBytes(f.data), f.kind);
        const ring = {};
        for (let slot = 0; slot < 16; slot++) {
          const m = context.materialHex(slot);
          if (m) {
            ring[slot] = m;
          }
        }
        frames.push({
          plaintext: r.plaintext ? jf.bytesToHex(r.plaintext) : null,
          reason: r.reason, attempts: r.attempts, ratchetSteps: r.ratchetSteps,
          ring, current: context.currentIndex,
        });
      }
    }
    results.push(frames);
  }
  return results;
}

if (typeof module !== 'undefined' && module.exports) {
  module.exports = { runJFrameOps };
}
