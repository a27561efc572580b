// Test publisher transform: sends clear frames until the page turns it on (cb.setE2eeTransform(true) posts
// {enable: true} here), then encrypts every frame with JFrame: the project's jframe-transform.js, which the
// test serves under /files/ first. The transform is attached before the offer and only switches, since a
// sender transform set on a running sender never sees a frame in this Chromium. It posts
// {operation: 'first-encrypted', frames: <Date.now()>} when the first encrypted frame leaves, so a test can
// time how fast a gateway is ordered out after the publisher turned its E2EE transform on.
import '/files/jframe-transform.js';

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
