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
    remoteAudioTracks: [],
    feedDisplays: new Map(),
    recorder: null,
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
    if (track.kind === 'audio') {
      cb.remoteAudioTracks.push({ track, feed });
      if (cb.recorder) {
        cb.recorder.add(track, feed);
      }
    }
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
      cb.feedDisplays.set(p.id, p.display);
      subscribe(p.id).catch(e => {
        cb.errors.push('subscribe ' + p.id + ': ' + String(e));
        log('subscribe failed', p.id, String(e));
      });
    }
  }

  // A camera and microphone made in the page, in sync by construction: a canvas that turns white and a
  // WebAudio 1 kHz beep at the same instants (spec: {periodMs, marksMs: [...], markMs}, repeating every
  // periodMs). Both run on performance.now(): the audio clock is mapped to it once, when the context runs,
  // and every beep is scheduled ahead on it; the video is 30 frames a second drawn by a timer at exact
  // instants (the marks fall on frame instants), so a flash frame is drawn when its beep starts. How late
  // the timer drew each flash frame is kept in cb.beepFlash.lateMs, and with each mark's Unix time in
  // cb.beepFlash.marks ({at, lateMs}): the page's own share of the A/V skew.
  async function beepFlashStream(spec) {
    const frameMs = 1000 / 30;
    const markMs = spec.markMs || 200;
    const audio = new AudioContext({ sampleRate: 48000 });
    await audio.resume();
    const oscillator = audio.createOscillator();
    oscillator.frequency.value = 1000;
    const gain = audio.createGain();
    gain.gain.value = 0;
    const destination = audio.createMediaStreamDestination();
    oscillator.connect(gain);
    gain.connect(destination);
    oscillator.start();
    const canvas = document.createElement('canvas');
    canvas.width = spec.width || 320;
    canvas.height = spec.height || 240;
    const drawing = canvas.getContext('2d');
    const video = canvas.captureStream(0).getVideoTracks()[0];
    // performance.now() of audio time 0: the samples at context time t are rendered into the track then.
    const audioZero = performance.now() - audio.currentTime * 1000;
    const origin = performance.now() + 500;
    const state = { origin, lateMs: [], marks: [], baseLatency: audio.baseLatency, stopped: false };
    cb.beepFlash = state;
    const inMark = t => {
      const inPeriod = ((t - origin) % spec.periodMs + spec.periodMs) % spec.periodMs;
      return t >= origin && spec.marksMs.some(m => inPeriod >= m - 0.5 && inPeriod < m + markMs - 0.5);
    };
    for (let p = 0; p < Math.ceil((spec.durationMs || 120000) / spec.periodMs); p++) {
      for (const m of spec.marksMs) {
        const start = origin + p * spec.periodMs + m;
        gain.gain.setValueAtTime(1, (start - audioZero) / 1000);
        gain.gain.setValueAtTime(0, (start + markMs - audioZero) / 1000);
      }
    }
    let frame = 0;
    let white = false;
    const tick = () => {
      if (state.stopped) {
        return;
      }
      const target = origin - 500 + frame * frameMs;
      const now = performance.now();
      const on = inMark(target);
      drawing.fillStyle = on ? '#ffffff' : '#000000';
      drawing.fillRect(0, 0, canvas.width, canvas.height);
      video.requestFrame();
      if (on && !white) {
        state.lateMs.push(now - target);
        state.marks.push({ at: performance.timeOrigin + target, lateMs: now - target });
      }
      white = on;
      frame++;
      setTimeout(tick, Math.max(0, origin - 500 + frame * frameMs - performance.now()));
    };
    tick();
    return new MediaStream([destination.stream.getAudioTracks()[0], video]);
  }

  // options: {server, room, display, publishAudio, publishVideo, subscribe, markE2ee, beepFlash,
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
        const stream = options.beepFlash
          ? await beepFlashStream(options.beepFlash)
          : await navigator.mediaDevices.getUserMedia({ audio: !!options.publishAudio, video: !!options.publishVideo });
        // Wall clock (ms since the epoch) when the capture opened: a fake microphone file starts playing here.
        cb.micOpenedAt = Date.now();
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

  // When the publication's first audio packet left, in Unix ms (0 before any): the stats' own time less
  // 20 ms for every later packet (Opus at 20 ms a packet, no DTX), so how late it is read does not matter.
  cb.firstAudioPacketSentAt = async function () {
    if (!cb.publisherPc) {
      return 0;
    }
    let at = 0;
    (await cb.publisherPc.getStats()).forEach(s => {
      if (s.type === 'outbound-rtp' && s.kind === 'audio' && s.packetsSent > 0) {
        at = s.timestamp - (s.packetsSent - 1) * 20;
      }
    });
    return at;
  };

  // Switches a switchable sender transform (transforms/jframe-toggle-worker.js) on or off mid-call: the
  // same publication, the same senders, the same SSRCs.
  cb.setE2eeTransform = function (enabled) {
    if (!cb.e2ee) {
      throw new Error('no E2EE transform: join with options.e2ee first');
    }
    cb.e2ee.worker.postMessage({ enable: !!enabled });
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

  // Records what the page hears, one recording per remote audio track (present and later ones), as mono float
  // PCM at 48 kHz through Web Audio. The tracks also play through their <audio> elements, which Chromium needs
  // before it feeds remote WebRTC audio into an AudioContext.
  cb.startAudioRecording = async function () {
    if (cb.recorder) {
      throw new Error('already recording');
    }
    const context = new AudioContext({ sampleRate: 48000 });
    await context.resume();
    // Processors feed a muted gain so the graph pulls them without playing anything twice.
    const sink = context.createGain();
    sink.gain.value = 0;
    sink.connect(context.destination);
    const tracks = [];
    cb.recorder = {
      context,
      tracks,
      add(track, feed) {
        const source = context.createMediaStreamSource(new MediaStream([track]));
        // ScriptProcessorNode runs on the main thread: no worklet module to serve, and 4096 frames (85 ms) per
        // callback is plenty for a test recording.
        const processor = context.createScriptProcessor(4096, 1, 1);
        const chunks = [];
        processor.onaudioprocess = e => chunks.push(new Float32Array(e.inputBuffer.getChannelData(0)));
        source.connect(processor);
        processor.connect(sink);
        tracks.push({ feed, source, processor, chunks });
      },
    };
    for (const t of cb.remoteAudioTracks) {
      cb.recorder.add(t.track, t.feed);
    }
    log('audio recording started with', cb.remoteAudioTracks.length, 'remote audio tracks');
  };

  function toBase64Pcm16(chunks) {
    let length = 0;
    for (const c of chunks) {
      length += c.length;
    }
    const pcm = new Int16Array(length);
    let at = 0;
    for (const c of chunks) {
      for (let i = 0; i < c.length; i++) {
        pcm[at++] = Math.max(-32768, Math.min(32767, Math.round(c[i] * 32767)));
      }
    }
    const bytes = new Uint8Array(pcm.buffer);
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary);
  }

  // Stops the recording; resolves with {sampleRate, tracks: [{feed, display, pcm16}]} where pcm16 is base64 of
  // little-endian 16-bit samples and display the publisher's VideoRoom display name.
  cb.stopAudioRecording = async function () {
    const recorder = cb.recorder;
    if (!recorder) {
      throw new Error('not recording');
    }
    cb.recorder = null;
    for (const t of recorder.tracks) {
      t.source.disconnect();
      t.processor.disconnect();
    }
    const sampleRate = recorder.context.sampleRate;
    await recorder.context.close();
    return {
      sampleRate,
      tracks: recorder.tracks.map(t => ({ feed: t.feed, display: cb.feedDisplays.get(t.feed) || null, pcm16: toBase64Pcm16(t.chunks) })),
    };
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
