// Module worker for the test participant page: the JFrame transform (jframe-transform.js, served next to this
// file) with two additions the tests need: frame counts posted back to the page as {operation, frames}, and key
// changes sent by the page: {keyIndex, material: '<hex>'} (rotation) or {ratchet: true} (a participant joined:
// ratchet the current key under the same index). Key updates are acknowledged as {operation: 'keys', frames: n}.
import './jframe-transform.js';

const api = self.JFrameTransform;
const contexts = [];
const counts = { encrypt: 0, decrypt: 0, dropped: 0, keys: 0 };

function count(operation) {
  counts[operation]++;
  if (counts[operation] % 25 === 1 || operation === 'keys') {
    self.postMessage({ operation, frames: counts[operation] });
  }
}

self.onmessage = async (event) => {
  const message = event.data || {};
  for (const context of contexts) {
    if (message.ratchet) {
      const slot = context.currentIndex;
      const entry = context.ring[slot];
      if (entry) {
        await context.setKey(await api.ratchetMaterial(entry.material), slot);
      }
    } else if (message.material) {
      await context.setKey(api.hexToBytes(message.material), message.keyIndex);
    }
  }
  count('keys');
};

self.onrtctransform = (event) => {
  const transformer = event.transformer;
  const options = transformer.options || {};
  const encrypt = options.operation === 'encrypt';
  const ready = api.contextFromOptions(options).then((context) => {
    contexts.push(context);
    return context;
  });
  const stream = new TransformStream({
    async transform(frame, controller) {
      const context = await ready;
      const kind = frame.type === undefined ? 'audio' : frame.type;
      if (kind === 'empty' || frame.data.byteLength === 0) {
        controller.enqueue(frame);
        return;
      }
      const data = new Uint8Array(frame.data);
      if (encrypt) {
        const metadata = frame.getMetadata();
        const timestamp = frame.timestamp !== undefined ? frame.timestamp : metadata.rtpTimestamp;
        const out = await context.encryptFrame(data, kind, metadata.synchronizationSource, timestamp);
        if (out) {
          frame.data = out.buffer;
          controller.enqueue(frame);
          count('encrypt');
        }
      } else {
        const result = await context.decryptFrame(data, kind);
        if (result.plaintext) {
          frame.data = result.plaintext.buffer;
          controller.enqueue(frame);
          count('decrypt');
        } else {
          count('dropped');
        }
      }
    },
  });
  transformer.readable.pipeThrough(stream).pipeTo(transformer.writable);
};
