// Test E2EE transform for RTCRtpScriptTransform: XORs every encoded frame's payload with one key
// byte (options.key, 1-255). It only proves that sender and receiver hooks run on the right
// frames; it is not encryption. Posts {operation, frames} to the page every 25 frames.
'use strict';

self.onrtctransform = event => {
  const transformer = event.transformer;
  const operation = transformer.options.operation;
  const key = transformer.options.key & 0xff;
  let frames = 0;
  transformer.readable
    .pipeThrough(new TransformStream({
      transform(frame, controller) {
        const data = new Uint8Array(frame.data);
        for (let i = 0; i < data.length; i++) {
          data[i] ^= key;
        }
        frame.data = data.buffer;
        frames++;
        if (frames % 25 === 0) {
          self.postMessage({ operation, frames });
        }
        controller.enqueue(frame);
      },
    }))
    .pipeTo(transformer.writable);
};
