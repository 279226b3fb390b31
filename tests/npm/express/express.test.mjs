// An unmodified Express app (app.cjs, npm's express from the test fixture) in an app of its
// own, granted the loopback network service, answering this app's node:http requests.
// usage: rtjs-sim express.test.mjs FIXTURE_DIR (the directory with node_modules/express)
import { startNetwork } from 'rtjs:services/net/launch.js';
import { setNetwork } from 'rtjs:services/net/client.js';
import http from 'node:http';

const PORT = 3000;
// Connection attempts before the server is up: a hang guard, not a timing assumption.
const MAX_TRIES = 600;
const fixture = rt.argv[0];
const { net: network } = await startNetwork({ loopback: true });
setNetwork(network);

const server = rt.spawn(`${fixture}/express-app.cjs`, {
  name: 'express', grant: { net: network }, env: { PORT: String(PORT) }, budgetMs: 60000,
});

function request(method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: PORT, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

let tries = 0;
for (;;) {
  try {
    await request('GET', '/');
    break;
  } catch (err) {
    if (++tries === MAX_TRIES || err.code !== 'ECONNREFUSED') throw err;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let failed = 0;
async function check(what, method, path, body, headers, expect) {
  const r = await request(method, path, body, headers);
  const got = expect(r);
  if (got === true) console.log(`ok - ${what}`);
  else { failed++; console.log(`FAIL - ${what}: ${r.status} ${JSON.stringify(r.headers)} ${r.body}`); }
}
const json = { 'Content-Type': 'application/json' };
await check('GET / sends text', 'GET', '/', undefined, {},
  (r) => r.status === 200 && r.body === 'hello from express' && r.headers['content-type'] === 'text/html; charset=utf-8' && r.headers.etag !== undefined);
await check('route parameters and the query string', 'GET', '/users/ada?q=x%20y', undefined, {},
  (r) => r.status === 200 && r.body === '{"name":"ada","q":"x y"}' && r.headers['content-type'] === 'application/json; charset=utf-8');
await check('a JSON body is parsed; 201 with Location', 'POST', '/notes', '{"text":"first"}', json,
  (r) => r.status === 201 && r.headers.location === '/notes/1' && r.body === '{"id":1,"text":"first"}');
await check('what was posted can be read back', 'GET', '/notes/1', undefined, {},
  (r) => r.status === 200 && r.body === '{"id":1,"text":"first"}');
await check('a bad request gets 400 from the handler', 'POST', '/notes', '{}', json,
  (r) => r.status === 400 && r.body === '{"error":"text is required"}');
await check('malformed JSON is a 400 from the body parser, through the error middleware', 'POST', '/notes', '{"text":', json,
  (r) => r.status === 400 && /JSON/.test(r.body));
await check('a url-encoded form', 'POST', '/form', 'a=1&b=two', { 'Content-Type': 'application/x-www-form-urlencoded' },
  (r) => r.status === 200 && r.body === '1+two' && r.headers['content-type'] === 'text/plain; charset=utf-8');
await check('a Router mounted on /api', 'GET', '/api/ping', undefined, {},
  (r) => r.status === 200 && r.body === 'pong' && r.headers['x-router'] === 'yes');
await check('an unknown path falls through to the 404 handler', 'GET', '/nowhere', undefined, {},
  (r) => r.status === 404 && r.body === 'no route for GET /nowhere');
await check('a thrown error reaches the error middleware', 'GET', '/boom', undefined, {},
  (r) => r.status === 500 && r.body === '{"error":"boom"}');
await check('a conditional GET with the ETag gets 304', 'GET', '/', undefined, { 'If-None-Match': (await request('GET', '/')).headers.etag },
  (r) => r.status === 304 && r.body === '');

server.kill();
console.log(`${11 - failed} passed, ${failed} failed`);
rt.exit(failed === 0 ? 0 : 1);
