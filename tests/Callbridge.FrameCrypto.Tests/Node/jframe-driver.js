'use strict';
// Node test driver: reads { transform: '<path to jframe-transform.js>', ops: [...] } on stdin, runs the ops
// (see jframe-ops.js) and writes the JSON array of results on stdout.
const fs = require('fs');
const path = require('path');
const { runJFrameOps } = require(path.join(__dirname, 'jframe-ops.js'));

async function main() {
  const request = JSON.parse(fs.readFileSync(0, 'utf8'));
  const jf = require(request.transform);
  process.stdout.write(JSON.stringify(await runJFrameOps(jf, request.ops)));
}

main().catch((e) => {
  process.stderr.write(String((e && e.stack) || e));
  process.exit(1);
});
