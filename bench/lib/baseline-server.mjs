/**
 * The floor: a minimal raw `ws` broadcast server, no GraphQL execution and no database.
 * It speaks just enough of the graphql-transport-ws protocol (connection_init with a
 * token, subscribe, ping/pong) and of GraphQL over HTTP (one POST per send) for the same
 * generator to drive it, and sends the same event JSON the API sends, encoded once per
 * message. Memberships and tokens come from the JSON file named by BENCH_MAP.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { WebSocketServer } from 'ws';

const map = JSON.parse(readFileSync(process.env.BENCH_MAP, 'utf8'));
const userOfToken = new Map(Object.entries(map.tokens));
const membersOf = new Map(Object.entries(map.conversations));
const memberSets = new Map([...membersOf].map(([id, users]) => [id, new Set(users)]));
const seqOf = new Map();
/** user → Set of [socket, subscription id] */
const subscribers = new Map();

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/graphql') {
    res.writeHead(404).end();
    return;
  }
  let raw = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (raw += chunk));
  req.on('end', () => {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const user = token === undefined ? undefined : userOfToken.get(token);
    let input;
    try {
      input = JSON.parse(raw).variables.input;
    } catch {
      input = undefined;
    }
    const members = input && membersOf.get(input.conversationId);
    if (user === undefined || !members || !memberSets.get(input.conversationId).has(user)) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errors":[{"message":"forbidden"}]}');
      return;
    }
    const seq = (seqOf.get(input.conversationId) ?? 0) + 1;
    seqOf.set(input.conversationId, seq);
    // The fields the web client's subscription selects, so the bytes per delivery match the API's.
    const message = {
      id: randomUUID(), conversationId: input.conversationId, seq, updatedSeq: seq, kind: 'TEXT', body: input.body, edited: false, deleted: false,
      clientMsgId: null, createdAt: new Date().toISOString(), sender: { id: randomUUID(), displayName: `Bench ${user}`, username: `bench${user}` },
      replyTo: null, event: null,
    };
    const payload = JSON.stringify({ data: { events: { __typename: 'MessageAddedEvent', conversationId: input.conversationId, seq, message } } });
    for (const member of members) {
      const subs = subscribers.get(member);
      if (!subs) continue;
      for (const [socket, id] of subs) socket.send(`{"id":${JSON.stringify(id)},"type":"next","payload":${payload}}`);
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { sendMessage: { id: message.id, seq } } }));
  });
});

const wss = new WebSocketServer({ server, path: '/graphql', handleProtocols: (protocols) => (protocols.has('graphql-transport-ws') ? 'graphql-transport-ws' : false) });
wss.on('connection', (socket) => {
  let user;
  const mine = [];
  socket.on('message', (data) => {
    let msg;
    try {
      msg = JSON.parse(data.toString());
    } catch {
      socket.close(4400, 'Invalid message');
      return;
    }
    if (msg.type === 'connection_init') {
      user = userOfToken.get(msg.payload?.token);
      if (user === undefined) socket.close(4403, 'Forbidden');
      else socket.send('{"type":"connection_ack"}');
    } else if (msg.type === 'ping') {
      socket.send('{"type":"pong"}');
    } else if (msg.type === 'subscribe' && user !== undefined) {
      let subs = subscribers.get(user);
      if (!subs) subscribers.set(user, (subs = new Set()));
      const entry = [socket, msg.id];
      subs.add(entry);
      mine.push(entry);
    } else if (msg.type === 'complete') {
      for (const entry of mine) if (entry[1] === msg.id) subscribers.get(user)?.delete(entry);
    }
  });
  socket.on('close', () => {
    for (const entry of mine) subscribers.get(user)?.delete(entry);
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port, msg: 'baseline is listening on 127.0.0.1' }));
});
process.on('SIGTERM', () => {
  for (const client of wss.clients) client.terminate();
  server.close(() => process.exit(0));
});
