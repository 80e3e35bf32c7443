#!/usr/bin/env node
// A second load client for the bot, independent of the Java benchmark: another language, another HTTP
// stack, a new connection per webhook (as Meta's deliveries may come), and its own fake Graph API to
// see the replies. If both clients agree, the figures describe the bot, not one client's habits.
// Node 18 or later, no npm packages. `node benchmark/independent-client.mjs --help` explains the rest.

import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NAME = process.env.INDEPENDENT_CLIENT_NAME || 'benchmark/independent-client.mjs';

const USAGE = `Usage: ${NAME} [options]

A load client of another kind than scripts/benchmark: N customers, each saying "hi" then "menu",
--rounds times, one webhook at a time. Every webhook is signed with the app secret and POSTed on a new
HTTP connection; the customer waits for the first reply, then for --settle of quiet (the rest of the
answer), then speaks again. Replies are seen by a fake Graph API in this process, which timestamps
each send as it arrives and answers after --graph-latency (messages and read receipts alike).

Prints latency percentiles (webhook POST, connection included, to the first reply reaching the Graph
API), messages a second and errors; writes results.json. By default it starts the bot the way
scripts/benchmark does: the real jar with conf/jvm.options, and a private redis-server with AOF
written every second; with --url it drives a bot that is already running.

Options:
  --customers N        customers talking at once (default 50)
  --rounds N           times each customer says "hi" then "menu" (default 19)
  --warmup D           answers to messages posted in the first D are not counted: the bot's JIT
                       compiles meanwhile (default 5s)
  --settle D           quiet after a reply before the customer speaks again (default 150ms)
  --timeout D          a message unanswered after this counts as an error (default 10s)
  --graph-latency D    the fake Graph API's answer time (default 200ms, Meta's typical; 0 at once)
  --graph-port P       the fake Graph API's port (default: a free one; needed with --url)
  --url URL            a running bot, e.g. http://127.0.0.1:8080; start it with
                       WHATSAPP_API_BASE_URL=http://127.0.0.1:P (P = --graph-port) and the same app
                       secret, access token and phone number id as given here
  --app-secret S       (default: the launched bot's, bench-app-secret-not-a-secret)
  --access-token T     (default: the launched bot's, bench-access-token-not-a-secret)
  --phone-number-id ID (default: the launched bot's, 100000000000001)
  --jar FILE           the bot's jar to launch (default target/whatsapp-chatbot.jar)
  --stateless          launch benchmark/stateless-server.mjs instead of the bot: a reference that
                       answers from memory (no queue, no store, no order; loses what is in flight on a
                       crash), to see what the bot's guarantees cost under the same load
  --max-mps N          the launched bot's WHATSAPP_MAX_MESSAGES_PER_SECOND (default 1000)
  --out DIR            results.json, and the launched bot's log and Redis files
                       (default target/benchmark/independent-TIMESTAMP)
  -h, --help           this text

Durations: 150ms, 5s, 2m, or plain seconds. Exit status: 0 when every message was answered once,
1 when there were errors, 2 for a usage or start-up problem.
`;

// ---- options ------------------------------------------------------------------------------------

const DEFAULTS = {
  customers: 50, rounds: 19, warmup: 5_000, settle: 150, timeout: 10_000, graphLatency: 200, graphPort: 0,
  url: null, appSecret: 'bench-app-secret-not-a-secret', accessToken: 'bench-access-token-not-a-secret',
  phoneNumberId: '100000000000001', jar: path.join(ROOT, 'target/whatsapp-chatbot.jar'), maxMps: 1000, out: null, help: false,
  stateless: false,
};

const VALUE_OPTIONS = {
  '--customers': ['customers', 'count'], '--rounds': ['rounds', 'count'], '--warmup': ['warmup', 'duration'],
  '--settle': ['settle', 'duration'], '--timeout': ['timeout', 'duration'], '--graph-latency': ['graphLatency', 'duration'],
  '--graph-port': ['graphPort', 'port'], '--url': ['url', 'url'], '--app-secret': ['appSecret', 'text'],
  '--access-token': ['accessToken', 'text'], '--phone-number-id': ['phoneNumberId', 'text'], '--jar': ['jar', 'path'],
  '--max-mps': ['maxMps', 'count'], '--out': ['out', 'path'],
};

/** Milliseconds from 150ms, 5s, 2m, 1h or plain seconds; null when it is none of these. */
function durationMs(text) {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(String(text).trim().toLowerCase());
  if (!m) return null;
  return Number(m[1]) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[m[2] || 's'];
}

/** Each kind of value: [the value] when it is valid, [undefined, what is wrong] when not. */
const READERS = {
  count: (v) => (/^\d+$/.test(v) && Number(v) >= 1 ? [Number(v)] : [undefined, `'${v}' is not a whole number of at least 1, e.g. 50`]),
  duration: (v) => (durationMs(v) !== null ? [durationMs(v)] : [undefined, `'${v}' is not a duration, e.g. 150ms, 5s, 2m`]),
  port: (v) => (/^\d+$/.test(v) && Number(v) <= 65535 ? [Number(v)] : [undefined, `'${v}' is not a port number, e.g. 9099`]),
  url: (v) => (/^http:\/\/[^/:]+:\d+\/?$/.test(v) ? [v.replace(/\/$/, '')]
    : [undefined, `'${v}' is not an http://HOST:PORT URL, e.g. http://127.0.0.1:8080`]),
  path: (v) => [path.resolve(v)],
  text: (v) => [v],
};

/** The command line read into options, and every problem with it (one line each). */
function parseArgs(args) {
  const opts = { ...DEFAULTS };
  const problems = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') {
      opts.help = true;
    } else if (arg === '--stateless') {
      opts.stateless = true;
    } else if (VALUE_OPTIONS[arg]) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) {
        problems.push(`${arg}: needs a value (see --help)`);
        continue;
      }
      i++;
      const [key, kind] = VALUE_OPTIONS[arg];
      const [read, problem] = READERS[kind](value);
      if (problem) {
        problems.push(`${arg}: ${problem}`);
      } else {
        opts[key] = read;
      }
    } else {
      problems.push(`${arg}: unknown argument (see --help)`);
    }
  }
  if (opts.url && opts.stateless) {
    problems.push('--stateless: launches its own server; leave out --url');
  }
  if (opts.url && !opts.graphPort) {
    problems.push(`--url: the running bot must send to this client's fake Graph API: give --graph-port P and start the bot with WHATSAPP_API_BASE_URL=http://127.0.0.1:P`);
  }
  return { opts, problems };
}

// ---- figures --------------------------------------------------------------------------------------

/** Nearest-rank percentile of sorted numbers, as the Java benchmark computes it. */
function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
}

function summary(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (v) => Math.round(v * 100) / 100;
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0;
  return {
    count: sorted.length, p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)), max: round(sorted.length ? sorted[sorted.length - 1] : 0), mean: round(mean),
  };
}

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** A process's user + system CPU time in ms from /proc (Linux), or null. */
function cpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return null;
  }
}

// ---- processes this client starts -----------------------------------------------------------------

const cleanUps = [];

async function cleanUp() {
  while (cleanUps.length) {
    await cleanUps.pop()().catch(() => {});
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts a process and registers its stop: SIGTERM, then SIGKILL after graceMs. */
function start(command, args, options, graceMs) {
  const child = spawn(command, args, options);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const failed = new Promise((resolve) => child.on('error', resolve));
  cleanUps.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    child.kill('SIGTERM');
    if ((await Promise.race([exited, sleep(graceMs, 'late')])) === 'late') {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { child, exited, failed };
}

function ask(port, request) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.setTimeout(1_000, () => socket.destroy());
    socket.on('connect', () => socket.write(request));
    socket.on('data', (d) => {
      answer += d;
      socket.end();
    });
    socket.on('error', () => resolve(''));
    socket.on('close', () => resolve(answer));
  });
}

async function startRedis(out) {
  const dir = path.join(out, 'redis');
  fs.rmSync(dir, { recursive: true, force: true }); // an earlier run's AOF would replay its message ids
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const log = fs.openSync(path.join(dir, 'redis.out'), 'w');
  const redis = start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes',
    '--appendfsync', 'everysec', '--save', '', '--maxmemory-policy', 'noeviction'], { stdio: ['ignore', log, log] }, 5_000);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const problem = await Promise.race([redis.failed, redis.exited.then((code) => `exited with ${code}`), sleep(100, null)]);
    if (problem) {
      throw new Error(problem.code === 'ENOENT'
        ? 'redis-server is not installed; install it (Debian/Ubuntu: sudo apt-get install redis-server, macOS: brew install redis)'
        : `redis-server did not start (${problem}; see ${path.join(dir, 'redis.out')})`);
    }
    if ((await ask(port, 'PING\r\n')).startsWith('+PONG')) return `redis://127.0.0.1:${port}`;
  }
  throw new Error(`redis-server did not answer on port ${port} within 10 s (see ${path.join(dir, 'redis.out')})`);
}

function tail(file) {
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  return lines.slice(-15).join('\n');
}

/** The stateless reference (benchmark/stateless-server.mjs) in a process of its own, as the bot would be. */
async function startStateless(opts, graphPort) {
  const port = await freePort();
  const logFile = path.join(opts.out, 'stateless.log');
  const log = fs.openSync(logFile, 'w');
  const server = start(process.execPath, [path.join(ROOT, 'benchmark/stateless-server.mjs'), '--port', String(port),
    '--graph-url', `http://127.0.0.1:${graphPort}`, '--app-secret', opts.appSecret, '--access-token', opts.accessToken,
    '--phone-number-id', opts.phoneNumberId], { cwd: ROOT, stdio: ['ignore', log, log] }, 5_000);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const problem = await Promise.race([server.failed, server.exited.then((code) => `exited with ${code}`), sleep(100, null)]);
    if (problem) throw new Error(`the stateless server ${problem} before it was ready; its last lines:\n${tail(logFile)}`);
    if ((await status(`${url}/health/live`)) === 200) return { url, pid: server.child.pid };
  }
  throw new Error(`the stateless server was not ready within 10 s; its last lines:\n${tail(logFile)}`);
}

/** The bot as production starts it: java @conf/jvm.options -jar target/whatsapp-chatbot.jar. */
async function startBot(opts, redisUrl, graphPort) {
  const jar = opts.jar;
  if (!fs.existsSync(jar)) {
    throw new Error(`${jar} not found; build it with: mvn -q -B -DskipTests package`);
  }
  const port = await freePort();
  const logFile = path.join(opts.out, 'bot.log');
  const log = fs.openSync(logFile, 'w');
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const env = {
    ...process.env, REDIS_URL: redisUrl, WHATSAPP_ACCESS_TOKEN: opts.accessToken, WHATSAPP_PHONE_NUMBER_ID: opts.phoneNumberId,
    WHATSAPP_APP_SECRET: opts.appSecret, WHATSAPP_VERIFY_TOKEN: 'bench-verify-token',
    WHATSAPP_API_BASE_URL: `http://127.0.0.1:${graphPort}`, WHATSAPP_MAX_MESSAGES_PER_SECOND: String(opts.maxMps),
    LOG_FORMAT: 'json', HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1',
  };
  const bot = start(java, [`@${path.join(ROOT, 'conf/jvm.options')}`, '-jar', jar], { cwd: ROOT, env, stdio: ['ignore', log, log] }, 30_000);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const problem = await Promise.race([bot.failed, bot.exited.then((code) => `exited with ${code}`), sleep(200, null)]);
    if (problem) {
      throw new Error(problem.code === 'ENOENT' ? `${java} not found; install Java 17 or later, or set JAVA_HOME`
        : `the bot ${problem} before it was ready; its last lines:\n${tail(logFile)}`);
    }
    if ((await status(`${url}/health/ready`)) === 200) return { url, pid: bot.child.pid };
  }
  throw new Error(`the bot was not ready within 60 s; its last lines:\n${tail(logFile)}`);
}

function status(url) {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(0));
  });
}

// ---- the fake Graph API -------------------------------------------------------------------------

/** Answers as Meta does; calls onReply(address, arrivedMs) for each message to a customer. */
function startFakeGraph(opts, counts, onReply) {
  let sequence = 0;
  const readIds = new Set();
  const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const arrived = performance.now();
      const answer = (code, body) => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const later = (body) => (opts.graphLatency > 0 ? setTimeout(() => answer(200, body), opts.graphLatency) : answer(200, body));
      if (req.headers.authorization !== `Bearer ${opts.accessToken}`) {
        counts.refused++;
        answer(401, { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190, fbtrace_id: 'Aindependent' } });
        return;
      }
      if (req.method !== 'POST' || !req.url.endsWith(`/${opts.phoneNumberId}/messages`)) {
        counts.refused++;
        answer(400, { error: { message: 'Unsupported post request.', type: 'GraphMethodException', code: 100, error_subcode: 33 } });
        return;
      }
      let json;
      try {
        json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        counts.refused++;
        answer(400, { error: { message: 'Invalid JSON', code: 100 } });
        return;
      }
      if (json.status === 'read') {
        counts.readReceipts++;
        if (readIds.has(json.message_id)) counts.readTwice++; // processed twice
        readIds.add(json.message_id);
        later({ success: true });
        return;
      }
      const address = json.to ?? json.recipient;
      counts.replies++;
      onReply(address, arrived);
      later({ messaging_product: 'whatsapp', contacts: [{ input: address, wa_id: address }], messages: [{ id: `wamid.INDEPOUT${++sequence}` }] });
    });
  });
  return new Promise((resolve, reject) => {
    server.on('error', (e) => reject(new Error(`the fake Graph API could not listen on port ${opts.graphPort} (${e.code})`)));
    server.listen(opts.graphPort, '127.0.0.1', () => {
      cleanUps.push(async () => {
        server.closeAllConnections?.();
        await new Promise((r) => server.close(r));
      });
      resolve(server.address().port);
    });
  });
}

// ---- customers ------------------------------------------------------------------------------------

/** The webhook Meta would send for one text message. */
function webhook(opts, customer, id, text) {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: opts.phoneNumberId },
      contacts: [{ wa_id: customer.number, profile: { name: customer.name } }],
      messages: [{ from: customer.number, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
    } }] }],
  });
}

/** POSTs on a connection of its own (no agent, Connection: close); resolves with the status code. */
function post(botUrl, body, secret, timeoutMs) {
  const signature = `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
  const { hostname, port } = new URL(botUrl);
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: hostname, port, path: '/webhook', method: 'POST', agent: false, timeout: timeoutMs,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': signature, connection: 'close' },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    request.on('timeout', () => request.destroy(new Error('no answer in time')));
    request.on('error', reject);
    request.end(body);
  });
}

async function play(customer, run) {
  const { opts, stats } = run;
  await sleep(Math.random() * 1_000); // the first messages spread over a second, not all at once
  for (let round = 0; round < opts.rounds; round++) {
    for (const text of ['hi', 'menu']) {
      const id = `wamid.INDEP${run.id}${++run.sequence}`;
      const body = webhook(opts, customer, id, text);
      const abort = new AbortController();
      const answered = new Promise((resolve) => { customer.pending = resolve; });
      const posted = performance.now();
      const measured = posted >= run.warmupEnd;
      stats.posted++;
      if (measured) stats.measuredPosted++;
      try {
        const code = await post(run.botUrl, body, opts.appSecret, opts.timeout);
        if (code !== 200) {
          stats.errors.status[code] = (stats.errors.status[code] || 0) + 1;
          customer.pending = null;
          continue;
        }
        const first = await Promise.race([answered, sleep(opts.timeout, 'timeout', { signal: abort.signal })]);
        if (first === 'timeout') {
          stats.errors.unanswered++;
        } else if (measured) {
          stats.latencies.push(first - posted);
        }
      } catch {
        stats.errors.connection++; // refused, reset, or no answer to the POST within --timeout
      } finally {
        abort.abort();
        customer.pending = null;
      }
      await quiet(customer, opts.settle);
    }
  }
}

/** Waits until nothing has reached the customer for settleMs: the rest of the answer has come. */
async function quiet(customer, settleMs) {
  for (;;) {
    const wait = customer.lastReplyAt + settleMs - performance.now();
    if (wait <= 0) return;
    await sleep(wait);
  }
}

async function runLoad(opts, botUrl, customers, botPid) {
  const run = {
    opts, botUrl, id: crypto.randomBytes(4).toString('hex').toUpperCase(), sequence: 0,
    warmupEnd: performance.now() + opts.warmup,
    stats: { posted: 0, measuredPosted: 0, latencies: [], errors: { status: {}, connection: 0, unanswered: 0 } },
  };
  let cpuAtWarmupEnd = null;
  const warmupTimer = setTimeout(() => {
    cpuAtWarmupEnd = { bot: botPid ? cpuMs(botPid) : null, client: process.cpuUsage() };
  }, opts.warmup);
  await Promise.all(customers.map((c) => play(c, run)));
  clearTimeout(warmupTimer);
  const end = performance.now();
  const seconds = (end - run.warmupEnd) / 1000;
  const cores = (ms) => (cpuAtWarmupEnd && seconds > 0 ? Math.round((ms / 1000 / seconds) * 100) / 100 : null);
  const botCpu = cpuAtWarmupEnd?.bot != null ? cpuMs(botPid) - cpuAtWarmupEnd.bot : null;
  const clientCpu = cpuAtWarmupEnd ? process.cpuUsage(cpuAtWarmupEnd.client) : null;
  return {
    run, seconds,
    botCores: botCpu == null ? null : cores(botCpu),
    clientCores: clientCpu ? cores((clientCpu.user + clientCpu.system) / 1000) : null,
  };
}

// ---- main ---------------------------------------------------------------------------------------

function stamp() {
  return new Date().toISOString().slice(0, 19).replace(/[-:]/g, '');
}

async function main() {
  const { opts, problems } = parseArgs(process.argv.slice(2));
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (Number(process.versions.node.split('.')[0]) < 18) {
    problems.push(`Node ${process.versions.node} is too old: this client needs Node 18 or later`);
  }
  if (problems.length) {
    problems.forEach((p) => console.error(`${NAME}: ${p}`));
    return 2;
  }
  opts.out ??= path.join(ROOT, 'target/benchmark', `independent-${stamp()}`);
  fs.mkdirSync(opts.out, { recursive: true });

  const counts = { replies: 0, readReceipts: 0, readTwice: 0, refused: 0 };
  const customers = Array.from({ length: opts.customers }, (_, i) => ({
    number: `1555${String(2_000_000 + i).padStart(7, '0')}`, name: `Independent Customer ${i}`, lastReplyAt: 0, pending: null,
  }));
  const byNumber = new Map(customers.map((c) => [c.number, c]));
  let botUrl;
  let botPid = null;
  try {
    const graphPort = await startFakeGraph(opts, counts, (address, arrived) => {
      const customer = byNumber.get(address);
      if (!customer) return;
      customer.lastReplyAt = arrived;
      customer.pending?.(arrived);
      customer.pending = null;
    });
    if (opts.url) {
      if ((await status(`${opts.url}/health/live`)) !== 200) {
        throw new Error(`no bot answers at ${opts.url}/health/live (start one, or leave out --url to launch one)`);
      }
      botUrl = opts.url;
    } else if (opts.stateless) {
      ({ url: botUrl, pid: botPid } = await startStateless(opts, graphPort));
    } else {
      const redisUrl = await startRedis(opts.out);
      ({ url: botUrl, pid: botPid } = await startBot(opts, redisUrl, graphPort));
    }
    console.log(`==> independent client: ${opts.customers} customers x ${opts.rounds} rounds of "hi" then "menu", bot at ${botUrl}`
      + `${opts.url ? '' : opts.stateless ? ' (the stateless reference server)' : ' (launched, Redis with AOF)'}, fake Graph API on 127.0.0.1:${graphPort} answering in ${opts.graphLatency} ms`);
    const result = await runLoad(opts, botUrl, customers, botPid);
    return report(opts, result, counts, botUrl);
  } catch (e) {
    console.error(`${NAME}: ${e.message}`);
    return 2;
  } finally {
    await cleanUp();
  }
}

function report(opts, { run, seconds, botCores, clientCores }, counts, botUrl) {
  const { stats } = run;
  const latency = summary(stats.latencies);
  const statusErrors = Object.values(stats.errors.status).reduce((a, b) => a + b, 0);
  const errors = statusErrors + stats.errors.connection + stats.errors.unanswered + counts.readTwice + counts.refused;
  const perSecond = (n) => (seconds > 0 ? Math.round((n / seconds) * 10) / 10 : 0);
  const results = {
    client: 'independent-client.mjs', node: process.versions.node, finished_at: new Date().toISOString(), bot: botUrl,
    launched: !opts.url,
    settings: {
      customers: opts.customers, rounds: opts.rounds, warmup_ms: opts.warmup, settle_ms: opts.settle, timeout_ms: opts.timeout,
      graph_latency_ms: opts.graphLatency, max_messages_per_second: opts.url ? null : opts.maxMps,
    },
    messages_posted: stats.posted, messages_measured: stats.measuredPosted, measured_seconds: Math.round(seconds * 10) / 10,
    messages_per_second: perSecond(stats.measuredPosted), latency_ms: latency,
    graph_api: { replies: counts.replies, read_receipts: counts.readReceipts },
    errors: {
      total: errors, webhook_status: stats.errors.status, connection: stats.errors.connection, unanswered: stats.errors.unanswered,
      read_twice: counts.readTwice, graph_api_refused: counts.refused,
    },
    server: opts.stateless ? 'stateless reference' : 'bot', bot_cpu_cores: botCores, client_cpu_cores: clientCores,
  };
  fs.writeFileSync(path.join(opts.out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const ms = (v) => `${v.toFixed(1)} ms`;
  console.log(`\nIndependent client: ${opts.customers} customers, ${opts.rounds} rounds of "hi" + "menu", a new connection per webhook, `
    + `Graph API latency ${opts.graphLatency} ms, ${opts.settle} ms settle`);
  if (seconds <= 0 || stats.measuredPosted === 0) {
    console.log(`  nothing measured: the run ended within the ${opts.warmup} ms warm-up; raise --rounds or lower --warmup`);
  }
  console.log(`  messages        ${stats.posted} posted, ${stats.measuredPosted} after the warm-up in ${seconds.toFixed(1)} s: `
    + `${results.messages_per_second} msg/s; ${counts.replies} replies, ${counts.readReceipts} read receipts`);
  console.log(`  latency         p50 ${ms(latency.p50)}   p95 ${ms(latency.p95)}   p99 ${ms(latency.p99)}   max ${ms(latency.max)}   `
    + `(${latency.count} answers; webhook POST, connection included, to the first reply at the Graph API)`);
  const statuses = Object.entries(stats.errors.status).map(([code, n]) => `${n} x ${code}`).join(', ') || 'none';
  console.log(`  errors          ${errors} (webhook answers other than 200: ${statuses}; connection failures ${stats.errors.connection}; `
    + `unanswered after ${opts.timeout / 1000} s ${stats.errors.unanswered}; marked read twice ${counts.readTwice}; `
    + `Graph API calls refused ${counts.refused})`);
  if (botCores != null || clientCores != null) {
    console.log(`  CPU             ${opts.stateless ? 'stateless server' : 'bot'} ${botCores ?? '-'} cores, this client ${clientCores ?? '-'} cores`);
  }
  console.log(`  results: ${path.join(opts.out, 'results.json')}`);
  return errors === 0 && stats.measuredPosted > 0 ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`${NAME}: ${signal}, stopping what this client started`);
    cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
