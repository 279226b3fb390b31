// The WebSocket client's peer: the `ws` package's server, run by the host's Node on loopback.
// It prints "listening PORT", then answers each connection by what the client sends:
//   any message            echoed with the same type (text or binary)
//   'ping-me:X'            a ping with payload X; its pong is reported as 'pong:X'
//   'fragments'            'frag' 'men' 'ted' as one text message in three frames
//   'close-me'             closes with 4001 'bye'
//   'close-empty'          closes with a close frame without a code
//   'bad-utf8'             a text frame of bytes that are not UTF-8
//   'masked'               a frame the server masked (servers must not)
//   'log'                  the close codes and reasons the server has received, as JSON
// The path /forbidden is refused with 403; the subprotocol 'chat' is chosen when offered.
// usage: node peer.mjs   (ws is found through the fixture's node_modules, NODE_PATH)
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';

const require = createRequire(`${process.env.NODE_PATH}/`);
const { WebSocketServer } = require('ws');

const FORBIDDEN = 403;
const closes = [];   // [code, reason] the server received, in order

const server = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  verifyClient: (info, done) => (info.req.url === '/forbidden' ? done(false, FORBIDDEN) : done(true)),
  handleProtocols: (protocols) => (protocols.has('chat') ? 'chat' : false),
});

// A masked, final text frame 'hi' (RFC 6455 section 5.2): servers never mask.
function maskedFrame() {
  const mask = randomBytes(4);
  const payload = Buffer.from('hi');
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, payload.map((b, i) => b ^ mask[i & 3])]);
}

server.on('connection', (ws, req) => {
  ws.on('close', (code, reason) => closes.push([code, reason.toString(), req.url]));
  ws.on('pong', (data) => ws.send(`pong:${data}`));
  ws.on('message', (data, isBinary) => {
    const text = isBinary ? null : data.toString();
    if (text === null) return ws.send(data, { binary: true });
    if (text.startsWith('ping-me:')) return ws.ping(text.slice('ping-me:'.length));
    switch (text) {
      case 'fragments':
        ws.send('frag', { fin: false });
        ws.send('men', { fin: false });
        return ws.send('ted', { fin: true });
      case 'close-me': return ws.close(4001, 'bye');
      case 'close-empty': return ws.close();
      case 'bad-utf8': return ws.send(Buffer.from([0x68, 0xff, 0xfe]), { binary: false });
      case 'masked': return ws._socket.write(maskedFrame());
      case 'log': return ws.send(JSON.stringify(closes));
      default: return ws.send(text);
    }
  });
});
server.on('listening', () => console.log(`listening ${server.address().port}`));
// The test script ends this process; a parent gone (stdin closed) ends it too.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
