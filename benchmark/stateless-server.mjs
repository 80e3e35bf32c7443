#!/usr/bin/env node
// A reference for the independent client (`independent-client.mjs --stateless`): the least a WhatsApp
// bot can do. It checks the webhook's signature, answers 200, and sends a read receipt and a one-line reply
// for each message straight from memory: no queue, no store, no order between a customer's messages, and
// whatever is in flight is lost if it dies. The bot's figures measured against it show what durability,
// order and dedupe cost. Node 18 or later, no npm packages.
//
// Usage: node benchmark/stateless-server.mjs --port P --graph-url http://127.0.0.1:G --app-secret S
//          --access-token T --phone-number-id ID
// Prints "listening on P" once it accepts webhooks; GET /health/live answers 200.

import crypto from 'node:crypto';
import http from 'node:http';

const BODY_LIMIT = 3 * 1024 * 1024;

function options(args) {
  const opts = {};
  for (let i = 0; i < args.length; i += 2) {
    const key = { '--port': 'port', '--graph-url': 'graphUrl', '--app-secret': 'appSecret', '--access-token': 'accessToken',
      '--phone-number-id': 'phoneNumberId' }[args[i]];
    if (!key || args[i + 1] === undefined) {
      throw new Error(`${args[i]}: unknown argument or no value (see the comment at the top of this file)`);
    }
    opts[key] = args[i + 1];
  }
  for (const key of ['port', 'graphUrl', 'appSecret', 'accessToken', 'phoneNumberId']) {
    if (!opts[key]) throw new Error(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is required`);
  }
  return opts;
}

const opts = options(process.argv.slice(2));
// Kept-alive connections to the Graph API, as any production client would use.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const messagesUrl = new URL(`/v23.0/${opts.phoneNumberId}/messages`, opts.graphUrl);

function send(payload) {
  const body = JSON.stringify(payload);
  const request = http.request(messagesUrl, {
    method: 'POST', agent,
    headers: { authorization: `Bearer ${opts.accessToken}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  }, (res) => res.resume());
  request.on('error', (e) => console.error(`send failed: ${e.message}`));
  request.end(body);
}

function signedBy(secret, body, header) {
  const expected = Buffer.from(`sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(String(header ?? ''));
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health/live') {
    res.writeHead(200).end('UP');
    return;
  }
  if (req.method !== 'POST' || req.url !== '/webhook') {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > BODY_LIMIT) {
      res.writeHead(413).end();
      req.destroy();
    } else {
      chunks.push(chunk);
    }
  });
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (!signedBy(opts.appSecret, body, req.headers['x-hub-signature-256'])) {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200).end();
    let json;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return;
    }
    for (const entry of json.entry ?? []) {
      for (const change of entry.changes ?? []) {
        for (const message of change.value?.messages ?? []) {
          send({ messaging_product: 'whatsapp', to: message.from, type: 'text',
            text: { body: `You said: ${message.text?.body ?? message.type}` } });
          send({ messaging_product: 'whatsapp', status: 'read', message_id: message.id });
        }
      }
    }
  });
});

server.listen(Number(opts.port), '127.0.0.1', () => console.log(`listening on ${opts.port}`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
  agent.destroy();
});
