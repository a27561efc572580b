'use strict';
// JFrame (lib-jitsi-meet E2EE) encoded-frame transform for an RTCRtpScriptTransform worker.
//
//   new RTCRtpScriptTransform(worker, { operation: 'encrypt' | 'decrypt',
//                                       keys: { <index>: '<material hex>' }, currentIndex: <index>,
//                                       sharedKey: false })
//
// Frame layout (same as Callbridge.FrameCrypto.JFrame.JFrameContext):
//   clear prefix (N) | AES-128-GCM ciphertext | tag (16) | IV (12) | 0x0c | key slot
//   N = 1 for audio, 10 for a video key frame, 3 for a video delta frame; AAD = the clear prefix.
//   IV = BE32(ssrc) | BE32(rtp timestamp) | BE32(send counter % 0xFFFF), counter per SSRC.
//   aes_key = HKDF-SHA256(material, salt "JFrameEncryptionKey", info empty, 16 bytes)
//   ratchet = HKDF-SHA256(material, salt "JFrameRatchetKey", info empty, 32 bytes)
// On decrypt failure the key slot named by the frame is ratcheted up to 8 times; the ratcheted key is kept
// on success and the slot is left unchanged on failure. In shared-key mode the key is the AES key itself.
//
// The same file loads under Node (module.exports) so that tests can run it against the C# implementation.

(function (scope) {
  const KEYRING_SIZE = 16;
  const RATCHET_WINDOW = 8;
  const IV_LENGTH = 12;
  const TAG_LENGTH = 16;
  const OVERHEAD = TAG_LENGTH + IV_LENGTH + 2;
  const COUNTER_MODULUS = 0xFFFF;
  const textEncoder = new TextEncoder();
  const ENCRYPTION_SALT = textEncoder.encode('JFrameEncryptionKey');
  const RATCHET_SALT = textEncoder.encode('JFrameRatchetKey');
  const subtle = scope.crypto.subtle;

  function clearPrefixLength(kind) {
    if (kind === 'key' || kind === 'video-key') {
      return 10;
    }
    if (kind === 'delta' || kind === 'video-delta') {
      return 3;
    }
    return 1;
  }

  function hexToBytes(hex) {
    if (hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) {
      throw new Error('not hex: ' + hex);
    }
    const out = new Uint8Array(hex.length / 2);
    for (let i = 0; i < out.length; i++) {
      out[i] = parseInt(hex.substr(i * 2, 2), 16);
    }
    return out;
  }

  function bytesToHex(bytes) {
    let s = '';
    for (const b of bytes) {
      s += (b < 16 ? '0' : '') + b.toString(16);
    }
    return s;
  }

  async function hkdf(material, salt, bits) {
    const base = await subtle.importKey('raw', material, 'HKDF', false, ['deriveBits']);
    const params = { name: 'HKDF', hash: 'SHA-256', salt, info: new Uint8Array(0) };
    return new Uint8Array(await subtle.deriveBits(params, base, bits));
  }

  async function importAesKey(raw) {
    return subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  }

  async function deriveAesKey(material) {
    return importAesKey(await hkdf(material, ENCRYPTION_SALT, 128));
  }

  async function ratchetMaterial(material) {
    return hkdf(material, RATCHET_SALT, 256);
  }

  class JFrameContext {
    constructor(options = {}) {
      this.sharedKey = !!options.sharedKey;
      this.ring = new Array(KEYRING_SIZE).fill(null);
      this.currentIndex = 0;
      this.sendCounts = new Map();
      // lib-jitsi-meet starts each SSRC at a random value in 0..65534; tests may fix it.
      this.initialSendCount = options.initialSendCount;
    }

    async setKey(material, keyIndex) {
      const slot = keyIndex % KEYRING_SIZE;
      const bytes = material instanceof Uint8Array ? material : hexToBytes(material);
      const key = this.sharedKey ? await importAesKey(bytes) : await deriveAesKey(bytes);
      this.ring[slot] = { material: bytes, key };
      this.currentIndex = slot;
    }

    setSendCount(ssrc, sendCount) {
      this.sendCounts.set(ssrc >>> 0, sendCount % COUNTER_MODULUS);
    }

    nextSendCount(ssrc) {
      let count = this.sendCounts.get(ssrc);
      if (count === undefined) {
        count = this.initialSendCount !== undefined
          ? this.initialSendCount % COUNTER_MODULUS
          : Math.floor(Math.random() * COUNTER_MODULUS);
      }
      this.sendCounts.set(ssrc, (count + 1) % COUNTER_MODULUS);
      return count;
    }

    // Returns the JFrame bytes, or null when the current slot has no key (the frame is dropped).
    async encryptFrame(data, kind, ssrc, timestamp) {
      const entry = this.ring[this.currentIndex];
      const prefix = clearPrefixLength(kind);
      if (!entry || data.length < prefix) {
        return null;
      }
      ssrc = ssrc >>> 0;
      const iv = new Uint8Array(IV_LENGTH);
      const view = new DataView(iv.buffer);
      view.setUint32(0, ssrc);
      view.setUint32(4, (timestamp || 0) >>> 0);
      view.setUint32(8, this.nextSendCount(ssrc));
      const sealed = new Uint8Array(await subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: data.subarray(0, prefix), tagLength: TAG_LENGTH * 8 },
        entry.key,
        data.subarray(prefix)));
      const out = new Uint8Array(data.length + OVERHEAD);
      out.set(data.subarray(0, prefix), 0);
      out.set(sealed, prefix);
      out.set(iv, prefix + sealed.length);
      out[out.length - 2] = IV_LENGTH;
      out[out.length - 1] = this.currentIndex;
      return out;
    }

    // Returns { plaintext: Uint8Array | null, reason, attempts, ratchetSteps }.
    async decryptFrame(data, kind) {
      const dropped = (reason, attempts) => ({ plaintext: null, reason, attempts, ratchetSteps: 0 });
      if (data.length === 0) {
        return dropped('TooShort', 0);
      }
      const slot = data[data.length - 1];
      const entry = slot < KEYRING_SIZE ? this.ring[slot] : null;
      if (!entry) {
        return dropped('UnknownKeySlot', 0);
      }
      if (data.length < 2) {
        return dropped('TooShort', 0);
      }
      if (data[data.length - 2] !== IV_LENGTH) {
        return dropped('BadIvLength', 0);
      }
      const prefix = clearPrefixLength(kind);
      if (data.length < prefix + OVERHEAD) {
        return dropped('TooShort', 0);
      }
      const ivStart = data.length - 2 - IV_LENGTH;
      const iv = data.slice(ivStart, ivStart + IV_LENGTH);
      const aad = data.slice(0, prefix);
      const sealed = data.slice(prefix, ivStart);

      let candidate = entry;
      const maxSteps = this.sharedKey ? 0 : RATCHET_WINDOW;
      for (let step = 0; step <= maxSteps; step++) {
        if (step > 0) {
          const material = await ratchetMaterial(candidate.material);
          candidate = { material, key: await deriveAesKey(material) };
        }
        try {
          const plain = new Uint8Array(await subtle.decrypt(
            { name: 'AES-GCM', iv, additionalData: aad, tagLength: TAG_LENGTH * 8 }, candidate.key, sealed));
          if (step > 0) {
            this.ring[slot] = candidate;
          }
          const out = new Uint8Array(prefix + plain.length);
          out.set(aad, 0);
          out.set(plain, prefix);
          return { plaintext: out, reason: 'None', attempts: step + 1, ratchetSteps: step };
        } catch (e) {
          // Authentication failure: try the next ratchet step.
        }
      }
      return dropped('AuthenticationFailed', maxSteps + 1);
    }

    materialHex(slot) {
      const entry = this.ring[slot];
      return entry ? bytesToHex(entry.material) : null;
    }
  }

  // Keys from transform options: every slot, the current one last so that it ends up current.
  async function contextFromOptions(options) {
    const context = new JFrameContext({ sharedKey: options.sharedKey, initialSendCount: options.initialSendCount });
    const entries = Object.entries(options.keys || {}).map(([index, hex]) => [Number(index), hex]);
    const current = options.currentIndex === undefined ? null : Number(options.currentIndex);
    entries.sort((a, b) => (a[0] === current) - (b[0] === current));
    for (const [index, hex] of entries) {
      await context.setKey(hexToBytes(hex), index);
    }
    return context;
  }

  function frameKind(frame) {
    // Audio frames have no type; video frames are 'key' or 'delta' ('empty' frames carry no data).
    return frame.type === undefined ? 'audio' : frame.type;
  }

  function handleTransform(transformer) {
    const options = transformer.options || {};
    const ready = contextFromOptions(options);
    const encrypt = options.operation === 'encrypt';
    if (options.port) {
      // Key updates: { keyIndex, material: '<hex>' }.
      options.port.onmessage = async (message) => {
        const context = await ready;
        await context.setKey(hexToBytes(message.data.material), message.data.keyIndex);
      };
    }
    const stream = new TransformStream({
      async transform(frame, controller) {
        const context = await ready;
        const kind = frameKind(frame);
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
          }
        } else {
          const result = await context.decryptFrame(data, kind);
          if (result.plaintext) {
            frame.data = result.plaintext.buffer;
            controller.enqueue(frame);
          }
        }
      },
    });
    transformer.readable.pipeThrough(stream).pipeTo(transformer.writable);
  }

  const api = { JFrameContext, clearPrefixLength, hexToBytes, bytesToHex, deriveAesKey, ratchetMaterial, contextFromOptions, handleTransform };

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = api;
  }
  // Also reachable as self.JFrameTransform, for worker code that wraps or inspects the transform.
  scope.JFrameTransform = api;
  if (typeof WorkerGlobalScope !== 'undefined' && scope instanceof WorkerGlobalScope) {
    scope.onrtctransform = (event) => handleTransform(event.transformer);
  }
})(typeof self !== 'undefined' ? self : globalThis);
