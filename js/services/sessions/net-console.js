// Consoles over TCP: each connection to the port is a console with its own login prompt and,
// after a login, its own session, which ends when the connection closes. The far end is
// treated as a Telnet client (RFC 854): the server offers to echo and to suppress go-ahead
// (RFC 857, RFC 858), so that a Telnet client sends each key as typed and leaves the echo to
// the line editor, and Telnet commands in the input are removed. A raw client (nc, socat)
// works too. Passwords cross the network in clear text: use it on a network you trust.

const IAC = 0xff, SB = 0xfa, SE = 0xf0, WILL = 0xfb, WONT = 0xfc, DO = 0xfd, DONT = 0xfe;
const OPT_ECHO = 1, OPT_SGA = 3;
const CR = 0x0d, LF = 0x0a, NUL = 0x00;
const GREETING = Uint8Array.of(IAC, WILL, OPT_ECHO, IAC, WILL, OPT_SGA);

/**
 * Removes Telnet commands and (for what a client sends, `enter: true`) turns CR LF and CR NUL
 * into CR, keeping its state across chunks.
 */
export class TelnetFilter {
  #state = 0; #cr = false; // 0 data, 1 after IAC, 2 after IAC verb, 3 in subnegotiation, 4 IAC in it
  #enter;

  constructor({ enter = true } = {}) { this.#enter = enter; }

  /** @param {Uint8Array} bytes @returns {Uint8Array} the data bytes */
  filter(bytes) {
    const out = [];
    for (const b of bytes) {
      switch (this.#state) {
        case 1:
          if (b === IAC) { out.push(IAC); this.#state = 0; } // IAC IAC: a data byte 255
          else if (b === SB) this.#state = 3;
          else if (b >= WILL && b <= DONT) this.#state = 2;
          else this.#state = 0;
          continue;
        case 2: this.#state = 0; continue; // the option of WILL/WONT/DO/DONT
        case 3: if (b === IAC) this.#state = 4; continue;
        case 4: this.#state = b === SE ? 0 : 3; continue;
        default: break;
      }
      if (b === IAC) { this.#state = 1; continue; }
      if (this.#enter && this.#cr && (b === LF || b === NUL)) { this.#cr = false; continue; }
      this.#cr = b === CR;
      out.push(b);
    }
    return Uint8Array.from(out);
  }
}

/**
 * Listens on `port` of the network service `net` and attaches each connection to the
 * session manager as a console named `net:ADDRESS:PORT`.
 * @param {object} net the network service's interface (js/services/net/service.js)
 * @param {import('./manager.js').SessionManager} manager
 * @param {{ port: number, host?: string, log?: (line: string) => void }} options
 * @returns {Promise<{ port: number, close(): void }>}
 */
export async function listenConsoles(net, manager, { port, host = '0.0.0.0', log = () => {} }) {
  const encoder = new TextEncoder();
  const listener = await net.listen({ port, host }, async (connection, info) => {
    const name = `net:${info.remoteAddress}:${info.remotePort}`;
    const telnet = new TelnetFilter();
    const decoder = new TextDecoder();
    let input = null, closed = false, conn = null;
    const console = {
      name,
      columns: 80,
      write: (text) => { if (!closed && conn) conn.write(encoder.encode(text.replace(/\r?\n/g, '\r\n'))).catch(() => {}); },
      setInput: (fn) => { input = fn; },
    };
    const gone = () => {
      if (closed) return;
      closed = true;
      log(`sessions: console ${name} closed`);
      manager.closeConsole(name);
    };
    conn = await connection.attach((kind, value) => {
      if (kind === 'data' && input) input(decoder.decode(telnet.filter(value), { stream: true }));
      else if (kind === 'end') { gone(); conn?.end().catch(() => {}); }
      else if (kind === 'close' || kind === 'error') gone();
    });
    log(`sessions: console ${name} connected`);
    await conn.write(GREETING);
    manager.attach(console);
  });
  const address = await listener.address();
  return { port: address.port, close: () => listener.close() };
}
