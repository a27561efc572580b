// Module worker for the test participant page. The frames go through the project's JFrame transform itself
// (jframe-transform.js's handleTransform; the test serves that file under /files/, as for
// transforms/jframe-toggle-worker.js); this worker only observes its contexts and adds what the tests need:
// frame counts posted back to the page as {operation, frames}, and key changes sent by the page:
// {keyIndex, material: '<hex>'} (rotation) or {ratchet: true} (a participant joined: ratchet the current key
// under the same index). Key updates are acknowledged as {operation: 'keys', frames: n}.
import '/files/jframe-transform.js';

const jframe = self.JFrameTransform;
const contexts = new Set();
const counts = { encrypt: 0, decrypt: 0, dropped: 0, keys: 0 };

function count(operation) {
  counts[operation]++;
  if (counts[operation] % 25 === 1 || operation === 'keys') {
    self.postMessage({ operation, frames: counts[operation] });
  }
}

// The transform's contexts are reached through their prototype: a context joins the set when it gets its
// first key (from the transform options) or handles its first frame (a keyless receiver).
const prototype = jframe.JFrameContext.prototype;
const { setKey, encryptFrame, decryptFrame } = prototype;
prototype.setKey = function (...args) {
  contexts.add(this);
  return setKey.apply(this, args);
};
prototype.encryptFrame = async function (...args) {
  contexts.add(this);
  const out = await encryptFrame.apply(this, args);
  if (out) {
    count('encrypt');
  }
  return out;
};
prototype.decryptFrame = async function (...args) {
  contexts.add(this);
  const result = await decryptFrame.apply(this, args);
  count(result.plaintext ? 'decrypt' : 'dropped');
  return result;
};

self.onmessage = async (event) => {
  const message = event.data || {};
  for (const context of contexts) {
    if (message.ratchet) {
      const slot = context.currentIndex;
      const entry = context.ring[slot];
      if (entry) {
        await context.setKey(await jframe.ratchetMaterial(entry.material), slot);
      }
    } else if (message.material) {
      await context.setKey(jframe.hexToBytes(message.material), message.keyIndex);
    }
  }
  count('keys');
};

self.onrtctransform = (event) => jframe.handleTransform(event.transformer);
