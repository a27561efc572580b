// Test publisher transform: sends clear frames until the page posts {enable: true} to the worker, then
// encrypts every frame with JFrame (the project's jframe-transform.js, served next to this file). It
// posts {operation: 'first-encrypted', frames: <Date.now()>} when the first encrypted frame leaves, so the
// test can time how fast a gateway is ordered out after the publisher turned its E2EE transform on.
import './jframe-transform.js';

const jframe = self.JFrameTransform;
let enabled = false;
let reported = false;

self.onmessage = (message) => {
  if (message.data && typeof message.data.enable === 'boolean') {
    enabled = message.data.enable;
  }
};

self.onrtctransform = (event) => {
  const transformer = event.transformer;
  const options = transformer.options || {};
  const ready = jframe.contextFromOptions(options);
  transformer.readable
    .pipeThrough(new TransformStream({
      async transform(frame, controller) {
        if (!enabled || options.operation !== 'encrypt' || frame.data.byteLength === 0) {
          controller.enqueue(frame);
          return;
        }
        const context = await ready;
        const kind = frame.type === undefined ? 'audio' : frame.type;
        const metadata = frame.getMetadata();
        const timestamp = frame.timestamp !== undefined ? frame.timestamp : metadata.rtpTimestamp;
        const out = await context.encryptFrame(new Uint8Array(frame.data), kind, metadata.synchronizationSource, timestamp);
        if (out) {
          frame.data = out.buffer;
          controller.enqueue(frame);
          if (!reported) {
            reported = true;
            self.postMessage({ operation: 'first-encrypted', frames: Date.now() });
          }
        }
      },
    }))
    .pipeTo(transformer.writable);
};
