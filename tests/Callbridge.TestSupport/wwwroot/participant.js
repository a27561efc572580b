// Test participant for a Janus VideoRoom, driven by the test through window.cb.
// Signalling is plain Janus HTTP (POST requests + one long poll per session) so the page controls
// its RTCPeerConnections directly: E2EE transforms must be attached when a track is added (a
// sender transform set after setLocalDescription is ignored by Chromium) and, for receivers, in
// ontrack (janus.js never applies receiver transforms on subscribers).
'use strict';

(function () {
  const cb = {
    state: 'idle',
    events: [],
    errors: [],
    myId: null,
    privateId: null,
    room: null,
    publisherPc: null,
    subscriberPcs: new Map(),
    remoteElements: [],
    e2ee: null,
    session: null,
    transformedFrames: {},
  };
  window.cb = cb;

  function log(...parts) {
    const line = parts.map(p => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
    console.log('[cb] ' + line);
  }

  function randomTransaction() {
    return Math.random().toString(36).slice(2, 10) + Math.random().toString(36).slice(2, 10);
  }

  function sleep(ms) { return new Promise(resolve => setTimeout(resolve, ms)); }

  function withTimeout(promise, ms, what) {
    return Promise.race([
      promise,
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout waiting for ' + what)), ms)),
    ]);
  }

  class JanusError extends Error {
    constructor(code, reason) {
      super('Janus error ' + code + ': ' + reason);
      this.code = code;
      this.reason = reason;
    }
  }

  // One Janus session: requests by transaction, unsolicited events by sender handle.
  class Session {
    constructor(server) {
      this.server = server.replace(/\/$/, '');
      this.waiters = new Map();
      this.handlers = new Map();
      this.alive = true;
    }

    async post(path, body) {
      body.transaction = body.transaction || randomTransaction();
      const response = await fetch(this.server + path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = await response.json();
      if (json.janus === 'error') {
        throw new JanusError(json.error.code, json.error.reason);
      }
      return json;
    }

    async create() {
      const json = await this.post('', { janus: 'create' });
      this.id = json.data.id;
      this.poll();
      // Janus drops sessions idle for 60 s.
      this.keepalive = setInterval(() => this.post('/' + this.id, { janus: 'keepalive' }).catch(() => {}), 25000);
    }

    async poll() {
      while (this.alive) {
        try {
          const response = await fetch(this.server + '/' + this.id + '?maxev=10&rid=' + Date.now());
          const json = await response.json();
          for (const message of (Array.isArray(json) ? json : [json])) {
            this.dispatch(message);
          }
        } catch (e) {
          if (this.alive) {
            log('long poll failed', String(e));
            await sleep(250);
          }
        }
      }
    }

    dispatch(message) {
      if (message.janus === 'keepalive' || message.janus === 'ack') {
        return;
      }
      cb.events.push(message);
      if (message.transaction && this.waiters.has(message.transaction)) {
        const resolve = this.waiters.get(message.transaction);
        this.waiters.delete(message.transaction);
        resolve(message);
        return;
      }
      const handler = this.handlers.get(message.sender);
      if (handler) {
        handler(message);
      } else {
        log('unrouted event', message);
      }
    }

    async attach(plugin, onEvent) {
      const json = await this.post('/' + this.id, { janus: 'attach', plugin });
      this.handlers.set(json.data.id, onEvent);
      return json.data.id;
    }

    // Plugin message; resolves with {data, jsep} whether Janus answers inline or ack + event.
    async message(handle, body, jsep) {
      const transaction = randomTransaction();
      const event = new Promise(resolve => this.waiters.set(transaction, resolve));
      const request = { janus: 'message', body, transaction };
      if (jsep) {
        request.jsep = jsep;
      }
      const json = await this.post('/' + this.id + '/' + handle, request);
      if (json.janus === 'success') {
        this.waiters.delete(transaction);
        return { data: json.plugindata.data, jsep: json.jsep };
      }
      const message = await withTimeout(event, 20000, 'event of ' + body.request);
      return { data: message.plugindata ? message.plugindata.data : {}, jsep: message.jsep };
    }

    async trickleCompleted(handle) {
      await this.post('/' + this.id + '/' + handle, { janus: 'trickle', candidate: { completed: true } });
    }

    async destroy() {
      this.alive = false;
      clearInterval(this.keepalive);
      try {
        await this.post('/' + this.id, { janus: 'destroy' });
      } catch (e) {
        log('destroy failed', String(e));
      }
    }
  }

  function throwIfPluginError(data) {
    if (data && (data.error_code || data.error)) {
      throw new JanusError(data.error_code || 0, data.error || 'plugin error');
    }
  }

  // Candidates go inside the SDP: no trickle round trips, and only host candidates exist here.
  function gatheringComplete(pc) {
    if (pc.iceGatheringState === 'complete') {
      return Promise.resolve();
    }
    return withTimeout(new Promise(resolve => {
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') {
          resolve();
        }
      });
    }), 10000, 'ICE gathering');
  }

  function e2eeTransform(operation) {
    if (!cb.e2ee) {
      return null;
    }
    return new RTCRtpScriptTransform(cb.e2ee.worker, Object.assign({ operation }, cb.e2ee.options || {}));
  }

  function attachRemote(event, feed) {
    const track = event.track;
    if (cb.e2ee) {
      event.receiver.transform = e2eeTransform('decrypt');
    }
    // A remote audio track must play through an element, or totalAudioEnergy stays 0.
    const element = document.createElement(track.kind === 'audio' ? 'audio' : 'video');
    element.autoplay = true;
    element.playsInline = true;
    element.muted = track.kind !== 'audio';
    element.dataset.feed = String(feed);
    element.srcObject = new MediaStream([track]);
    document.getElementById('remote').appendChild(element);
    element.play().catch(e => log('play failed', String(e)));
    cb.remoteElements.push({ feed, kind: track.kind });
    log('remote track', track.kind, 'from feed', feed);
  }

  async function subscribe(feed) {
    if (feed === cb.myId || cb.subscriberPcs.has(feed)) {
      return;
    }
    const session = cb.session;
    const pc = new RTCPeerConnection({ iceServers: [] });
    cb.subscriberPcs.set(feed, pc);
    pc.ontrack = event => attachRemote(event, feed);
    const handle = await session.attach('janus.plugin.videoroom', message => log('subscriber event', feed, message.plugindata ? message.plugindata.data : message.janus));
    const joined = await session.message(handle, {
      request: 'join', ptype: 'subscriber', room: cb.room, streams: [{ feed }], private_id: cb.privateId,
    });
    throwIfPluginError(joined.data);
    await pc.setRemoteDescription(joined.jsep);
    await pc.setLocalDescription(await pc.createAnswer());
    await gatheringComplete(pc);
    const answer = { type: 'answer', sdp: pc.localDescription.sdp };
    if (cb.e2ee) {
      answer.e2ee = true;
    }
    const started = await session.message(handle, { request: 'start' }, answer);
    throwIfPluginError(started.data);
    await session.trickleCompleted(handle);
    log('subscribed to feed', feed);
  }

  function subscribeAll(publishers) {
    for (const p of publishers || []) {
      subscribe(p.id).catch(e => {
        cb.errors.push('subscribe ' + p.id + ': ' + String(e));
        log('subscribe failed', p.id, String(e));
      });
    }
  }

  // options: {server, room, display, publishAudio, publishVideo, subscribe, markE2ee,
  //           e2ee: {module: url, options: {...key material...}}}
  // Resolves with {ok, id, privateId} or {ok:false, errorCode, error}.
  cb.join = async function (options) {
    try {
      cb.state = 'joining';
      cb.room = options.room;
      cb.autoSubscribe = !!options.subscribe;
      if (options.e2ee) {
        cb.e2ee = { worker: new Worker(options.e2ee.module, { type: 'module' }), options: options.e2ee.options };
        // Workers may post {operation, frames} so tests can see that the transform really ran.
        cb.e2ee.worker.onmessage = e => {
          if (e.data && e.data.operation) {
            cb.transformedFrames[e.data.operation] = e.data.frames;
          }
        };
        cb.e2ee.worker.onerror = e => cb.errors.push('e2ee worker: ' + (e.message || String(e)));
      }
      const session = new Session(options.server);
      cb.session = session;
      await session.create();
      const handle = cb.publisherHandle = await session.attach('janus.plugin.videoroom', message => {
        const data = message.plugindata ? message.plugindata.data : null;
        if (data && data.publishers && cb.autoSubscribe) {
          subscribeAll(data.publishers);
        }
      });
      const joined = await session.message(handle, { request: 'join', ptype: 'publisher', room: options.room, display: options.display });
      throwIfPluginError(joined.data);
      cb.myId = joined.data.id;
      cb.privateId = joined.data.private_id;
      if (cb.autoSubscribe) {
        subscribeAll(joined.data.publishers);
      }
      if (options.publishAudio || options.publishVideo) {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: !!options.publishAudio, video: !!options.publishVideo });
        const pc = new RTCPeerConnection({ iceServers: [] });
        cb.publisherPc = pc;
        for (const track of stream.getTracks()) {
          const sender = pc.addTrack(track, stream);
          // Set now: a transform attached after setLocalDescription is silently ignored.
          if (cb.e2ee) {
            sender.transform = e2eeTransform('encrypt');
          }
        }
        await pc.setLocalDescription(await pc.createOffer());
        await gatheringComplete(pc);
        const offer = { type: 'offer', sdp: pc.localDescription.sdp };
        if (cb.e2ee || options.markE2ee) {
          offer.e2ee = true;
        }
        const published = await session.message(handle, { request: 'publish' }, offer);
        throwIfPluginError(published.data);
        await pc.setRemoteDescription(published.jsep);
        await session.trickleCompleted(handle);
      }
      cb.state = 'joined';
      return { ok: true, id: cb.myId, privateId: cb.privateId };
    } catch (e) {
      cb.state = 'failed';
      cb.errors.push(String(e));
      log('join failed', String(e));
      return { ok: false, errorCode: e.code || 0, error: String(e.reason || e.message || e) };
    }
  };

  // Sums inbound-rtp per kind over every subscriber PeerConnection, and outbound-rtp of the publisher.
  cb.stats = async function () {
    const result = {
      audioIn: { packetsReceived: 0, bytesReceived: 0, totalAudioEnergy: 0, concealedSamples: 0, totalSamplesReceived: 0 },
      videoIn: { packetsReceived: 0, bytesReceived: 0, framesDecoded: 0 },
      out: { packetsSent: 0, bytesSent: 0 },
      iceStates: [],
      remoteTracks: cb.remoteElements.length,
      errors: cb.errors.slice(),
      transformedFrames: Object.assign({}, cb.transformedFrames),
    };
    const pcs = Array.from(cb.subscriberPcs.values());
    if (cb.publisherPc) {
      pcs.push(cb.publisherPc);
    }
    for (const pc of pcs) {
      result.iceStates.push(pc.iceConnectionState);
      const report = await pc.getStats();
      report.forEach(s => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') {
          result.audioIn.packetsReceived += s.packetsReceived || 0;
          result.audioIn.bytesReceived += s.bytesReceived || 0;
          result.audioIn.totalAudioEnergy += s.totalAudioEnergy || 0;
          result.audioIn.concealedSamples += s.concealedSamples || 0;
          result.audioIn.totalSamplesReceived += s.totalSamplesReceived || 0;
        } else if (s.type === 'inbound-rtp' && s.kind === 'video') {
          result.videoIn.packetsReceived += s.packetsReceived || 0;
          result.videoIn.bytesReceived += s.bytesReceived || 0;
          result.videoIn.framesDecoded += s.framesDecoded || 0;
        } else if (s.type === 'outbound-rtp') {
          result.out.packetsSent += s.packetsSent || 0;
          result.out.bytesSent += s.bytesSent || 0;
        }
      });
    }
    return result;
  };

  // Stops publishing but stays in the room (VideoRoom "unpublish").
  cb.unpublish = async function () {
    const answer = await cb.session.message(cb.publisherHandle, { request: 'unpublish' });
    throwIfPluginError(answer.data);
    if (cb.publisherPc) {
      cb.publisherPc.close();
      cb.publisherPc = null;
    }
  };

  cb.leave = async function () {
    for (const pc of cb.subscriberPcs.values()) {
      pc.close();
    }
    if (cb.publisherPc) {
      cb.publisherPc.close();
    }
    if (cb.session) {
      await cb.session.destroy();
    }
    cb.state = 'left';
  };

  document.addEventListener('DOMContentLoaded', () => {
    const name = new URLSearchParams(location.search).get('name');
    if (name) {
      document.getElementById('title').textContent = name;
    }
  });
})();
