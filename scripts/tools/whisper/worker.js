#!/usr/bin/env node
// Whisper worker for Callbridge.Speech.Whisper: runs whisper.cpp (@fugood/whisper.node) for the .NET
// engine over stdio.
//
// stdin, one frame per request:
//   u32 LE jsonLength | u32 LE payloadLength | JSON request (UTF-8) | payload (16 kHz mono s16le PCM)
// stdout, one JSON object per line: {"event":"ready"|"fatal",...} or a reply {"id":n,"ok":bool,...}.
// stderr carries whisper.cpp's own log; the engine keeps its tail for diagnostics.
//
// Requests:
//   {"op":"load","id":n,"model":path,"threads":n,"language":"en","transcribeTimeoutMs":n,"maxStreamSamples":n}
//   {"op":"feed","stream":s} + PCM        appends to the stream's audio (no reply: the pipe is the flow control)
//   {"op":"finish","id":n,"stream":s}     transcribes the stream's audio, replies with segments, clears it
//   {"op":"reset","stream":s}             drops the stream's audio
//   {"op":"ping","id":n}                  health check
// The worker exits on stdin EOF. Exit codes: 2 protocol error, 3 package missing, 4 transcription timed out.
'use strict';

const HEADER_BYTES = 8;
// A request line is a few hundred bytes; the bound only catches a desynchronised stream.
const MAX_JSON_BYTES = 64 * 1024;
// 60 s of 16 kHz s16le per frame: the engine sends 20 ms to a few seconds at a time.
const MAX_PAYLOAD_BYTES = 60 * 16000 * 2;

function write(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function fatal(code, message, exitCode) {
  write({ event: 'fatal', code, message });
  process.exitCode = exitCode;
  // Let stdout drain before leaving.
  process.stdout.write('', () => process.exit(exitCode));
}

let whisper;
let packageVersion = 'unknown';
try {
  whisper = require('@fugood/whisper.node');
  packageVersion = require('@fugood/whisper.node/package.json').version;
  // whisper.node swallows the platform binary's load error and only fails later, at the first model
  // load; loading the binary here names the real cause (package absent, libgomp.so.1 missing...).
  require(`@fugood/node-whisper-${process.platform}-${process.arch}`);
} catch (e) {
  fatal('package_missing', `cannot load @fugood/whisper.node or its ${process.platform}-${process.arch} binary: ${e && e.message}`, 3);
  return;
}

let context = null;
let settings = { threads: 2, language: 'en', transcribeTimeoutMs: 60000, maxStreamSamples: 30 * 16000 };
const streams = new Map(); // stream id -> { chunks: Buffer[], bytes: number, dropped: number }
let jobs = Promise.resolve(); // transcriptions run one after another on the one context

function streamOf(id) {
  let s = streams.get(id);
  if (!s) {
    s = { chunks: [], bytes: 0, dropped: 0 };
    streams.set(id, s);
  }
  return s;
}

async function load(req) {
  const fs = require('fs');
  if (typeof req.model !== 'string' || !fs.existsSync(req.model)) {
    write({ id: req.id, ok: false, code: 'model_missing', message: `model file '${req.model}' not found` });
    return;
  }
  settings = {
    threads: Number.isInteger(req.threads) && req.threads > 0 ? req.threads : settings.threads,
    language: typeof req.language === 'string' ? req.language : settings.language,
    transcribeTimeoutMs: Number.isInteger(req.transcribeTimeoutMs) && req.transcribeTimeoutMs > 0 ? req.transcribeTimeoutMs : settings.transcribeTimeoutMs,
    maxStreamSamples: Number.isInteger(req.maxStreamSamples) && req.maxStreamSamples > 0 ? req.maxStreamSamples : settings.maxStreamSamples,
  };
  try {
    if (context) {
      await context.release();
      context = null;
    }
    context = await whisper.initWhisper({ filePath: req.model, useGpu: false });
    write({ id: req.id, ok: true, version: packageVersion });
  } catch (e) {
    write({ id: req.id, ok: false, code: 'model_invalid', message: `whisper.cpp rejected model '${req.model}': ${e && e.message}` });
  }
}

function feed(req, payload) {
  if (typeof req.stream !== 'string' || payload.length % 2 !== 0) {
    return;
  }
  const s = streamOf(req.stream);
  const room = settings.maxStreamSamples * 2 - s.bytes;
  const take = Math.max(0, Math.min(room, payload.length));
  if (take > 0) {
    // The frame buffer is reused by the reader: keep a copy.
    s.chunks.push(Buffer.from(payload.subarray(0, take)));
    s.bytes += take;
  }
  s.dropped += (payload.length - take) / 2;
}

async function transcribe(req) {
  if (!context) {
    write({ id: req.id, ok: false, code: 'not_loaded', message: 'no model loaded' });
    return;
  }
  const s = streams.get(req.stream) || { chunks: [], bytes: 0, dropped: 0 };
  streams.delete(req.stream);
  const pcm = Buffer.concat(s.chunks, s.bytes);
  const samples = pcm.length / 2;
  const started = Date.now();
  if (samples === 0) {
    write({ id: req.id, ok: true, stream: req.stream, samples: 0, dropped: s.dropped, segments: [], ms: 0 });
    return;
  }
  const audio = pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.length);
  const job = context.transcribeData(audio, { language: settings.language, maxThreads: settings.threads });
  // whisper.node 1.1.3 never settles the promise when whisper_full fails (its error callback passes one
  // argument where the resolver expects two), so a timeout is the only failure signal.
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), settings.transcribeTimeoutMs);
  });
  let result;
  try {
    result = await Promise.race([job.promise, timeout]);
  } catch (e) {
    clearTimeout(timer);
    write({ id: req.id, ok: false, code: 'transcribe_failed', message: String(e && e.message) });
    return;
  }
  clearTimeout(timer);
  if (result === null) {
    // The native job may still hold the context: start afresh in a new process.
    write({ id: req.id, ok: false, code: 'transcribe_timeout', message: `no result after ${settings.transcribeTimeoutMs} ms` });
    fatal('transcribe_timeout', 'transcription did not finish', 4);
    return;
  }
  const segments = (result.segments || []).map((seg) => ({ text: seg.text, t0: seg.t0, t1: seg.t1 }));
  write({ id: req.id, ok: true, stream: req.stream, samples, dropped: s.dropped, segments, ms: Date.now() - started });
}

function handle(req, payload) {
  switch (req.op) {
    case 'ping':
      write({ id: req.id, ok: true, loaded: context !== null, streams: streams.size });
      break;
    case 'feed':
      feed(req, payload);
      break;
    case 'reset':
      streams.delete(req.stream);
      break;
    case 'load':
      jobs = jobs.then(() => load(req));
      break;
    case 'finish':
      jobs = jobs.then(() => transcribe(req));
      break;
    default:
      write({ id: req.id, ok: false, code: 'bad_request', message: `unknown op '${req.op}'` });
  }
}

// Frame reader: accumulates stdin chunks and cuts complete frames.
let pending = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
  let offset = 0;
  while (pending.length - offset >= HEADER_BYTES) {
    const jsonLength = pending.readUInt32LE(offset);
    const payloadLength = pending.readUInt32LE(offset + 4);
    if (jsonLength === 0 || jsonLength > MAX_JSON_BYTES || payloadLength > MAX_PAYLOAD_BYTES) {
      fatal('protocol', `bad frame header (json ${jsonLength} bytes, payload ${payloadLength} bytes)`, 2);
      return;
    }
    const total = HEADER_BYTES + jsonLength + payloadLength;
    if (pending.length - offset < total) {
      break;
    }
    const jsonStart = offset + HEADER_BYTES;
    let req;
    try {
      req = JSON.parse(pending.toString('utf8', jsonStart, jsonStart + jsonLength));
    } catch (e) {
      fatal('protocol', `bad request JSON: ${e.message}`, 2);
      return;
    }
    handle(req, pending.subarray(jsonStart + jsonLength, offset + total));
    offset += total;
  }
  pending = offset === pending.length ? Buffer.alloc(0) : Buffer.from(pending.subarray(offset));
});
process.stdin.on('end', () => {
  jobs.then(() => process.exit(0));
});

write({ event: 'ready', version: packageVersion });
