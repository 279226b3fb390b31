// TCP (RFC 9293): connections with the three-way handshake, retransmission with the timer of
// RFC 6298, slow start, congestion avoidance, fast retransmit and NewReno recovery (RFC 5681,
// RFC 6582), window scaling and timestamps (RFC 7323), the MSS option, Nagle's algorithm and
// delayed acknowledgements (RFC 1122 4.2.3), selective acknowledgements both ways (RFC 2018,
// loss recovery after RFC 6675), zero-window probes, keep-alive, half-close,
// TIME_WAIT, a listen backlog and a bound on half-open connections (SYN floods).
import { formatIPv4, IPV4_ANY } from './addr.js';
import { PROTO_TCP, HEADROOM } from './ipv4.js';
import { CODE_PORT_UNREACHABLE, CODE_PROTOCOL_UNREACHABLE, CODE_FRAG_NEEDED, TYPE_UNREACHABLE } from './icmp.js';
import { EPHEMERAL_FIRST, EPHEMERAL_LAST } from './udp.js';
import { netError } from './errors.js';
import { siphash24 } from './siphash.js';
import { now as clockNow } from './clock.js';
import { FIN, SYN, RST, PSH, ACK, parseSegment, buildSegment, segmentLength, seqLt, seqLe, seqGt, seqGe, seqAdd, seqSub, MAX_WSCALE, CHECKSUM_OFFSET, SACK_BLOCKS_MAX } from './tcp-segment.js';

export const State = Object.freeze({
  SYN_SENT: 'SYN_SENT', SYN_RECEIVED: 'SYN_RECEIVED', ESTABLISHED: 'ESTABLISHED', FIN_WAIT_1: 'FIN_WAIT_1',
  FIN_WAIT_2: 'FIN_WAIT_2', CLOSE_WAIT: 'CLOSE_WAIT', CLOSING: 'CLOSING', LAST_ACK: 'LAST_ACK',
  TIME_WAIT: 'TIME_WAIT', CLOSED: 'CLOSED',
});

const DEFAULT_MSS = 536;             // RFC 9293 3.7.1: assumed when the peer sends no MSS option
const IP_TCP_HEADERS = 40;
const RTO_INITIAL = 1000;            // RFC 6298 2.1
const RTO_MIN = 200;                 // RFC 6298 2.4 says 1 s; 200 ms as Linux, for LAN round trips
const RTO_MAX = 60000;               // RFC 6298 2.5
const SYN_RETRIES = 6;               // as Linux's tcp_syn_retries
const DATA_RETRIES = 15;             // as Linux's tcp_retries2
const DELAYED_ACK_MS = 40;           // RFC 1122 4.2.3.2 allows up to 500 ms
// ACKs sent for every second segment at a connection's start and after out-of-order data,
// before they go once per received batch: a sender that grows its window by a segment per ACK
// (libslirp's BSD code: RFC 5681 without byte counting) needs them to ramp up; 128 take such a
// sender's window past 128 segments, several times the 30-40 frames one receive interrupt
// finds under QEMU.
const QUICK_ACKS = 128;
const MSL_MS = 30000;                // 2 MSL in TIME_WAIT: 60 s, as Linux
const RECEIVE_BUFFER = 1 << 20;      // bytes we accept ahead of the app
const READ_CHUNK = 64 * 1024;        // the largest buffer received data is gathered in
const SEND_HIGH_WATER = 1 << 20;     // write() returns false past this
const OOO_SEGMENTS_MAX = 256;        // out-of-order segments held per connection
const KEEPALIVE_INTERVAL = 75000;    // RFC 1122 4.2.3.6 / Linux's tcp_keepalive_intvl
const KEEPALIVE_PROBES = 9;
const FIN_TIMEOUT_MS = 60000;        // a closed connection waits this long in FIN_WAIT_2, as Linux's tcp_fin_timeout
const BACKLOG_DEFAULT = 511;         // as Node's server.listen
const HALF_OPEN_MAX = 256;           // SYN_RECEIVED connections per listener
const DUPACK_THRESHOLD = 3;          // RFC 5681 3.2
const TIMESTAMP_OPTION = 12;         // 10 bytes + 2 NOPs for alignment (RFC 7323 appendix A)
const SCOREBOARD_MAX = OOO_SEGMENTS_MAX;   // SACKed ranges remembered; a receiver holds no more
// SYN cookies (RFC 4987 3.6): the initial sequence number of a SYN-ACK sent without keeping
// state holds a 5-bit clock of 64-second ticks, a 3-bit index into the MSS table and 24 bits
// of a keyed hash of the connection, the peer's sequence number and the clock. A cookie is
// good for the tick it was made in and the next (64-128 s).
const COOKIE_TICK_MS = 64000;
const COOKIE_MSS = [536, 1220, 1440, 1460, 4312, 8960, 16344, 65495];
const COOKIE_WINDOW_MS = 2 * COOKIE_TICK_MS;   // a listener checks cookies this long after sending one

/** The window scale that lets `buffer` bytes be advertised in 16 bits. */
function scaleFor(buffer) {
  let s = 0;
  while (s < MAX_WSCALE && buffer >>> s > 0xffff) s++;
  return s;
}

/** A small event emitter: connections and listeners report to their owner through it. */
class Emitter {
  #handlers = new Map();
  on(event, fn) {
    const list = this.#handlers.get(event) ?? [];
    list.push(fn);
    this.#handlers.set(event, list);
    return this;
  }
  off(event, fn) {
    this.#handlers.set(event, (this.#handlers.get(event) ?? []).filter((f) => f !== fn));
    return this;
  }
  emit(event, ...args) {
    for (const fn of this.#handlers.get(event) ?? []) fn(...args);
    return (this.#handlers.get(event) ?? []).length > 0;
  }
}

export class TcpConnection extends Emitter {
  #tcp;
  state = State.CLOSED;
  localAddress; localPort; remoteAddress; remotePort;
  // Send side (RFC 9293 3.3.1).
  #iss = 0; #sndUna = 0; #sndNxt = 0; #sndMax = 0; #sndWnd = 0; #sndWl1 = 0; #sndWl2 = 0; #sndWscale = 0;
  #sendChunks = []; #sendBytes = 0;          // bytes from sndUna (acknowledged bytes are dropped)
  #finQueued = false; #finSeq = -1;
  #mss = DEFAULT_MSS;
  // Receive side.
  #irs = 0; #rcvNxt = 0; #rcvWscale = 0; #lastAdvertised = 0;
  #ooo = new Map();                          // seq -> { data, fin }
  // In-order data waiting for the reader (#pendingReadBytes in all), copied out of its frames
  // as it arrives (a driver may lend a frame only for the call that hands it over): filled
  // buffers in #readFull, then the first #readFill bytes of #readBuf. #readHint: the last
  // delivery's size, what the next buffer is made for.
  #readFull = []; #readBuf = null; #readFill = 0; #pendingReadBytes = 0; #readHint = 0;
  #paused = false; #finReceived = false; #endEmitted = false;
  // Congestion control (RFC 5681, RFC 6582).
  #cwnd = 0; #ssthresh = 0x7fffffff; #dupAcks = 0; #inRecovery = false; #recover = 0;
  // Selective acknowledgements (RFC 2018): on when both SYNs offer them. The scoreboard holds
  // the peer's SACKed ranges above sndUna as sorted, disjoint [left, right) pairs; highRxt is
  // the end of the last hole retransmitted in this recovery (RFC 6675 HighRxt). lastOoo: the
  // out-of-order segment that arrived last, whose block goes first (RFC 2018 4).
  #sackOk = false; #scoreboard = []; #highRxt = 0; #lastOoo = 0;
  // Timers and round-trip estimate (RFC 6298).
  #srtt = 0; #rttvar = 0; #rto = RTO_INITIAL; #retries = 0; #timed = null;
  #rtxTimer = null; #ackTimer = null; #persistTimer = null; #keepTimer = null; #twTimer = null;
  #unackedSegments = 0; #ackNow = false; #quickAcks = QUICK_ACKS; #batchAckQueued = false;
  // Timestamps (RFC 7323 3).
  #tsOk = false; #wsOk = false; #tsRecent = 0; #lastAckSent = 0;
  #noDelay = false; #keepAliveMs = 0; #keepProbes = 0;
  #listener = null;
  bytesRead = 0; bytesWritten = 0;
  #error = null;
  // The route its segments take, and the stack's routeVersion it was looked up at (Tcp.send).
  route = null; routeVersion = -1;

  constructor(tcp) { super(); this.#tcp = tcp; }

  get key() { return `${this.localAddress}:${this.localPort}:${this.remoteAddress}:${this.remotePort}`; }
  get remote() { return `${formatIPv4(this.remoteAddress)}:${this.remotePort}`; }
  get bufferSize() { return this.#sendBytes - this.#inFlightData(); }
  get info() {
    return { state: this.state, local: `${formatIPv4(this.localAddress)}:${this.localPort}`, remote: this.remote, cwnd: this.#cwnd,
      ssthresh: this.#ssthresh === 0x7fffffff ? null : this.#ssthresh, srtt: this.#srtt, rto: this.#rto, mss: this.#mss,
      sendWindow: this.#sndWnd, queued: this.#sendBytes, sack: this.#sackOk, bytesRead: this.bytesRead, bytesWritten: this.bytesWritten };
  }

  // ---- opening ------------------------------------------------------------------------

  /** Active open: SYN_SENT. */
  open(local, localPort, remote, remotePort) {
    this.#init(local, localPort, remote, remotePort);
    this.state = State.SYN_SENT;
    this.#sendSyn(false);
  }

  /**
   * Passive open from the ACK that returned a SYN cookie: ESTABLISHED at once, with what the
   * cookie kept (the MSS); window scaling and timestamps, which it does not keep, are off.
   */
  acceptCookie(local, localPort, remote, remotePort, seg, mss) {
    this.#init(local, localPort, remote, remotePort);
    this.#iss = seqAdd(seg.ack, -1);
    this.#sndUna = this.#sndNxt = this.#sndMax = this.#recover = seg.ack;
    this.#irs = seqAdd(seg.seq, -1);
    this.#rcvNxt = seg.seq;
    this.#mss = Math.min(this.#ourMss, mss);
    this.#wsOk = false; this.#sndWscale = 0; this.#rcvWscale = 0; this.#tsOk = false; this.#sackOk = false;
    this.#cwnd = Math.min(10 * this.#mss, Math.max(2 * this.#mss, 14600));
    this.#sndWnd = seg.window;
    this.#sndWl1 = seg.seq; this.#sndWl2 = seg.ack;
    this.state = State.ESTABLISHED;
  }

  /** Passive open from a listener's SYN: SYN_RECEIVED. */
  accept(listener, local, localPort, remote, remotePort, seg) {
    this.#listener = listener;
    this.#init(local, localPort, remote, remotePort);
    this.#synOptions(seg);
    this.#irs = seg.seq;
    this.#rcvNxt = seqAdd(seg.seq, 1);
    this.#sndWnd = seg.window;   // unscaled in a SYN (RFC 7323 2.2)
    this.state = State.SYN_RECEIVED;
    this.#sendSyn(true);
  }

  #init(local, localPort, remote, remotePort) {
    this.localAddress = local; this.localPort = localPort; this.remoteAddress = remote; this.remotePort = remotePort;
    this.#iss = this.#tcp.initialSequence(this.key);
    this.#sndUna = this.#iss; this.#sndNxt = this.#iss; this.#sndMax = this.#iss; this.#recover = this.#iss;
    this.#rcvWscale = scaleFor(RECEIVE_BUFFER);
    const route = this.#tcp.routeMtu(remote);
    this.#mss = Math.max(DEFAULT_MSS, route - IP_TCP_HEADERS);
    this.#ourMss = this.#mss;
  }
  #ourMss = DEFAULT_MSS;

  #synOptions(seg) {
    if (seg.mss) this.#mss = Math.max(64, Math.min(this.#ourMss, seg.mss));
    else this.#mss = Math.min(this.#ourMss, DEFAULT_MSS);
    // Window scaling and timestamps are used only when both SYNs carry them (RFC 7323 2.2, 3.2).
    this.#wsOk = seg.wscale >= 0;
    this.#sndWscale = this.#wsOk ? seg.wscale : 0;
    if (!this.#wsOk) this.#rcvWscale = 0;
    this.#tsOk = seg.ts !== null;
    if (seg.ts) this.#tsRecent = seg.ts.val;
    this.#sackOk = seg.sackOk && this.#tcp.sack;
    // RFC 6928: an initial window of up to 10 segments.
    this.#cwnd = Math.min(10 * this.#mss, Math.max(2 * this.#mss, 14600));
  }

  #sendSyn(withAck) {
    this.#sndNxt = seqAdd(this.#iss, 1);
    if (seqGt(this.#sndNxt, this.#sndMax)) this.#sndMax = this.#sndNxt;
    // An active SYN offers both options; a SYN-ACK answers only what the SYN offered.
    const ts = !withAck || this.#tsOk ? { val: this.#tcp.now() >>> 0, ecr: withAck ? this.#tsRecent : 0 } : null;
    this.#segment({ seq: this.#iss, flags: SYN | (withAck ? ACK : 0), mss: this.#ourMss,
      wscale: !withAck || this.#wsOk ? this.#rcvWscale : undefined, ts, sackOk: withAck ? this.#sackOk : this.#tcp.sack,
      window: Math.min(0xffff, RECEIVE_BUFFER) });
    this.#armRetransmit();
  }

  // ---- the application's side -----------------------------------------------------------

  /**
   * Queues bytes to send. Returns false when more than the high-water mark is queued ('drain'
   * follows when it is sent), as a Node stream's write does.
   */
  write(data) {
    if (this.#finQueued || this.state === State.CLOSED) throw netError('EPIPE', 'write', 'the connection is closed for writing', { address: formatIPv4(this.remoteAddress), port: this.remotePort });
    if (data.length === 0) return true;
    this.#sendChunks.push(data);
    this.#sendBytes += data.length;
    this.bytesWritten += data.length;
    if (this.state !== State.SYN_SENT && this.state !== State.SYN_RECEIVED) this.#output();
    return this.#sendBytes < SEND_HIGH_WATER;
  }

  /** Half-close: a FIN after the queued data. */
  end() {
    if (this.#finQueued || this.state === State.CLOSED) return;
    this.#finQueued = true;   // in SYN_SENT or SYN_RECEIVED the FIN follows the handshake
    if (this.state !== State.SYN_SENT && this.state !== State.SYN_RECEIVED) this.#output();
  }

  /**
   * Close as a program's close() of its socket does: the connection is the stack's from now
   * on, its FIN goes after the queued data and the close finishes without the user. RFC 1122
   * 4.2.2.13: with received data the user never read, or data arriving after the close, the
   * peer gets a RST instead, since that data is lost (Linux does both; RFC 2525 2.17). A
   * peer that never sends its FIN is reset after FIN_TIMEOUT_MS in FIN_WAIT_2.
   */
  close() {
    if (this.state === State.CLOSED || this.#orphaned) return;
    if (this.#pendingReadBytes > 0 || this.state === State.SYN_SENT) return this.destroy();
    this.#orphaned = true;
    this.#paused = false;
    this.end();
    this.#finTimer = setTimeout(() => this.#finTimeout(), FIN_TIMEOUT_MS);
  }
  #orphaned = false; #finTimer = null;

  #finTimeout() {
    this.#finTimer = null;
    if (this.state === State.FIN_WAIT_2) return this.destroy();
    if (this.state !== State.CLOSED && this.state !== State.TIME_WAIT) this.#finTimer = setTimeout(() => this.#finTimeout(), FIN_TIMEOUT_MS);
  }

  /** Abort: RST to the peer (unless closed), 'close' with the error if any. */
  destroy(err = null) {
    if (this.state === State.CLOSED) return;
    if (this.state !== State.SYN_SENT && this.state !== State.TIME_WAIT) this.#segment({ seq: this.#sndNxt, flags: RST | ACK });
    this.#close(err);
  }

  setNoDelay(on = true) { this.#noDelay = !!on; if (on) this.#output(); }

  /** Keep-alive probes after `idleMs` without traffic (RFC 1122 4.2.3.6: off by default). */
  setKeepAlive(on, idleMs = 7200000) {
    this.#keepAliveMs = on ? Math.max(1000, idleMs) : 0;
    this.#armKeepAlive();
  }

  /** Stops delivering data; the advertised window shrinks as data waits. */
  pause() { this.#paused = true; }
  resume() {
    this.#paused = false;
    this.#flushReads();
  }

  // ---- segments in ---------------------------------------------------------------------

  input(seg) {
    this.#armKeepAlive();
    this.#keepProbes = 0;
    if (this.state === State.SYN_SENT) return this.#inputSynSent(seg);
    const len = seg.data.length + (seg.flags & SYN ? 1 : 0) + (seg.flags & FIN ? 1 : 0);
    if (!this.#acceptable(seg.seq, len)) {
      if (!(seg.flags & RST)) this.#sendAck();
      return;
    }
    if (seg.flags & RST) {
      if (this.state === State.TIME_WAIT) return;   // RFC 1337: TIME_WAIT is not cut short by a reset
      // RFC 5961 3.2: only an exact match resets; anything else in the window gets a challenge ACK.
      if (seg.seq === this.#rcvNxt) {
        if (this.state === State.SYN_RECEIVED && this.#listener) return this.#close(null);
        return this.#close(netError('ECONNRESET', 'read', 'the peer reset the connection', { address: formatIPv4(this.remoteAddress), port: this.remotePort }));
      }
      return this.#sendAck();
    }
    if (seg.flags & SYN) {
      if (this.state === State.SYN_RECEIVED && seg.seq === this.#irs) return this.#sendSyn(true);   // the peer retransmitted its SYN
      return this.#sendAck();   // RFC 5961 4: challenge ACK
    }
    if (!(seg.flags & ACK)) return;
    if (seg.ts && this.#tsOk && seqLe(seg.seq, this.#lastAckSent)) this.#tsRecent = seg.ts.val;
    if (this.state === State.SYN_RECEIVED) {
      if (!(seqLt(this.#sndUna, seg.ack) && seqLe(seg.ack, this.#sndMax))) {
        return this.#tcp.sendReset({ src: this.remoteAddress, dst: this.localAddress }, seg);
      }
      this.state = State.ESTABLISHED;
      this.#sndWnd = seg.window << this.#sndWscale;
      this.#sndWl1 = seg.seq; this.#sndWl2 = seg.ack;
      this.#listener?.established(this);
      this.#listener = null;
    }
    if (!this.#processAck(seg)) return;
    if (this.state === State.CLOSED) return;
    this.#processData(seg);
    if (this.state === State.CLOSED) return;
    this.#output();
    if (this.#ackNow) this.#sendAck();
  }

  #acceptable(seq, len) {
    const wnd = this.#window();
    const end = seqAdd(this.#rcvNxt, wnd);
    if (len === 0) return wnd === 0 ? seq === this.#rcvNxt : seqLe(this.#rcvNxt, seq) && seqLt(seq, end);
    if (wnd === 0) return false;
    const last = seqAdd(seq, len - 1);
    return (seqLe(this.#rcvNxt, seq) && seqLt(seq, end)) || (seqLe(this.#rcvNxt, last) && seqLt(last, end));
  }

  #inputSynSent(seg) {
    const ackOk = (seg.flags & ACK) && seqGt(seg.ack, this.#iss) && seqLe(seg.ack, this.#sndMax);
    if ((seg.flags & ACK) && !ackOk) {
      if (!(seg.flags & RST)) this.#tcp.sendReset({ src: this.remoteAddress, dst: this.localAddress }, seg);
      return;
    }
    if (seg.flags & RST) {
      if (ackOk) this.#close(netError('ECONNREFUSED', 'connect', 'the peer refused the connection', { address: formatIPv4(this.remoteAddress), port: this.remotePort }));
      return;
    }
    if (!(seg.flags & SYN)) return;
    this.#synOptions(seg);
    this.#irs = seg.seq;
    this.#rcvNxt = seqAdd(seg.seq, 1);
    if (!ackOk) {   // simultaneous open (RFC 9293 3.5, figure 8)
      this.state = State.SYN_RECEIVED;
      this.#sndWnd = seg.window;
      return this.#sendSyn(true);
    }
    this.#sndUna = seg.ack;
    this.#sndWnd = seg.window << this.#sndWscale;
    this.#sndWl1 = seg.seq; this.#sndWl2 = seg.ack;
    this.#rttSample(seg);
    this.#retries = 0;
    this.#stopTimer('rtx');
    this.state = State.ESTABLISHED;
    this.#sendAck();
    this.emit('connect');
    if (this.#finQueued || this.#sendBytes) this.#output();
  }

  // Returns false when the segment is to be dropped.
  #processAck(seg) {
    const ack = seg.ack;
    if (seqGt(ack, this.#sndMax)) { this.#sendAck(); return false; }   // acknowledges what we never sent
    const acked = seqSub(ack, this.#sndUna);
    if (this.#sackOk && seg.sack) this.#updateScoreboard(seg.sack, ack);
    // Window update (RFC 9293 3.10.7.4, fifth check).
    const windowChanged = (seg.window << this.#sndWscale) !== this.#sndWnd;
    if (acked >= 0 && (seqLt(this.#sndWl1, seg.seq) || (this.#sndWl1 === seg.seq && seqLe(this.#sndWl2, ack)))) {
      this.#sndWnd = seg.window << this.#sndWscale;
      this.#sndWl1 = seg.seq; this.#sndWl2 = ack;
      if (this.#sndWnd > 0) this.#stopTimer('persist');
    }
    if (acked > 0) {
      this.#newAck(ack, acked, seg);
    } else if (acked === 0 && seg.data.length === 0 && !(seg.flags & FIN) && !windowChanged && this.#sndNxt !== this.#sndUna) {
      this.#dupAck();
    }
    // Our FIN acknowledged?
    const finAcked = this.#finSeq >= 0 && seqGt(this.#sndUna, this.#finSeq);
    if (finAcked) {
      if (this.state === State.FIN_WAIT_1) { this.state = State.FIN_WAIT_2; }
      else if (this.state === State.CLOSING) { this.#enterTimeWait(); return false; }
      else if (this.state === State.LAST_ACK) { this.#close(null); return false; }
    }
    return true;
  }

  #newAck(ack, acked, seg) {
    if (seqGt(ack, this.#sndNxt)) this.#sndNxt = ack;   // after a rewind (RTO), data sent before it
    let dataAcked = acked;
    if (this.#finSeq >= 0 && seqGt(ack, this.#finSeq)) dataAcked--;
    if (seqLe(this.#sndUna, this.#iss)) dataAcked--;      // our SYN
    this.#drop(Math.max(0, dataAcked));
    this.#sndUna = ack;
    while (this.#scoreboard.length && seqLe(this.#scoreboard[0][1], ack)) this.#scoreboard.shift();
    if (this.#scoreboard.length && seqLt(this.#scoreboard[0][0], ack)) this.#scoreboard[0][0] = ack;
    this.#retries = 0;
    this.#rttSample(seg);
    // Congestion window (RFC 5681 3.1, RFC 6582 3.2).
    if (this.#inRecovery) {
      if (seqGe(ack, this.#recover)) {
        this.#inRecovery = false;
        this.#cwnd = Math.min(this.#ssthresh, Math.max(this.#flight(), this.#mss) + this.#mss);
      } else {
        if (this.#sackOk) {
          this.#sackRecovery(true);
        } else {   // a partial ACK: the segment at sndUna is lost too (RFC 6582 3.2)
          this.#retransmitFirst();
          this.#cwnd = Math.max(this.#mss, this.#cwnd - acked + this.#mss);
        }
      }
    } else if (this.#cwnd < this.#ssthresh) {
      this.#cwnd += Math.min(acked, this.#mss);
    } else {
      this.#cwnd += Math.max(1, Math.floor((this.#mss * this.#mss) / this.#cwnd));
    }
    this.#dupAcks = 0;
    if (this.#sndUna === this.#sndMax) this.#disarmRetransmit(); else this.#armRetransmit(true);
    if (this.#sendBytes < SEND_HIGH_WATER && this.#sendBytes + dataAcked >= SEND_HIGH_WATER) queueMicrotask(() => this.emit('drain'));
  }

  #dupAck() {
    this.#dupAcks++;
    if (this.#inRecovery) {
      // With SACK the sender knows which segments are missing and sends the holes again as
      // the pipe drains, rather than one per round trip (partial ACKs) as NewReno does.
      if (this.#sackOk) this.#sackRecovery(false);
      else this.#cwnd += this.#mss;   // each further duplicate: a segment left the network
    } else if (this.#dupAcks === DUPACK_THRESHOLD && seqGt(this.#sndUna, this.#recover)) {
      this.#tcp.stats.fastRetransmits++;
      this.#ssthresh = Math.max(Math.floor(this.#flight() / 2), 2 * this.#mss);
      this.#recover = this.#sndMax;
      this.#inRecovery = true;
      this.#highRxt = this.#sndUna;
      this.#retransmitFirst();
      // NewReno inflates the window by the segments the duplicates say have left; with SACK
      // the pipe counts them (RFC 6675 5, step 4.2).
      this.#cwnd = this.#sackOk ? this.#ssthresh : this.#ssthresh + DUPACK_THRESHOLD * this.#mss;
    }
  }

  #processData(seg) {
    if (this.state !== State.ESTABLISHED && this.state !== State.FIN_WAIT_1 && this.state !== State.FIN_WAIT_2) {
      if (seg.flags & FIN && this.#finReceived) this.#ackNow = true;   // a retransmitted FIN
      return;
    }
    let { seq, data } = seg;
    let fin = (seg.flags & FIN) !== 0;
    if (seqLt(seq, this.#rcvNxt)) {               // trim what we already have
      const skip = seqSub(this.#rcvNxt, seq);
      if (skip >= data.length) {
        if (fin && seqLt(seqAdd(seq, data.length), this.#rcvNxt)) fin = false;   // an old FIN
        data = data.subarray(data.length);
      } else {
        data = data.subarray(skip);
      }
      seq = this.#rcvNxt;
      if (data.length === 0 && !fin) { this.#ackNow = true; return; }
    }
    // New data for a connection its user closed has nobody to read it (RFC 1122 4.2.2.13).
    if (this.#orphaned && data.length) return this.destroy();
    const room = this.#window();
    if (data.length > room) { data = data.subarray(0, room); fin = false; }
    if (seq !== this.#rcvNxt) {
      this.#lastOoo = seq;
      if (this.#ooo.size < OOO_SEGMENTS_MAX && (data.length || fin) && !this.#ooo.has(seq)) this.#ooo.set(seq, { data: data.slice(), fin });
      this.#ackNow = true;   // RFC 5681 4.2: an out-of-order segment is acknowledged at once
      this.#quickAcks = QUICK_ACKS;   // the sender is recovering: its window grows again
      return;
    }
    const hadHoles = this.#ooo.size > 0;
    this.#accept(data, fin);
    // Pull in what was waiting behind the hole.
    for (let again = true; again && this.#ooo.size;) {
      again = false;
      for (const [s, part] of this.#ooo) {
        if (seqGt(s, this.#rcvNxt)) continue;
        this.#ooo.delete(s);
        const skip = seqSub(this.#rcvNxt, s);
        if (skip <= part.data.length) { this.#accept(part.data.subarray(skip), part.fin); again = true; }
      }
    }
    if (hadHoles || fin || this.#finReceived) this.#ackNow = true;
    else if (data.length) this.#scheduleAck();
  }

  #accept(data, fin) {
    if (data.length) {
      this.#rcvNxt = seqAdd(this.#rcvNxt, data.length);
      this.bytesRead += data.length;
      this.#queueRead(data);
    }
    if (fin && !this.#finReceived) {
      this.#finReceived = true;
      this.#rcvNxt = seqAdd(this.#rcvNxt, 1);
      if (this.state === State.ESTABLISHED) this.state = State.CLOSE_WAIT;
      else if (this.state === State.FIN_WAIT_1) this.state = State.CLOSING;
      else if (this.state === State.FIN_WAIT_2) this.#enterTimeWait();
    }
    this.#flushReads();
  }

  // A buffer per delivery, made for the size of the last one (a bulk transfer's batch of
  // segments fits at once, a request takes no more than it needs) up to READ_CHUNK: a large
  // buffer costs more to allocate (zeroed, and counted as external memory that hastens
  // collections) than several that size. A segment that does not fit starts the next one.
  #queueRead(data) {
    let buf = this.#readBuf;
    if (buf !== null && this.#readFill + data.length > buf.length) {
      this.#readFull.push(this.#readView());
      buf = null;
    }
    if (buf === null) {
      buf = this.#readBuf = new Uint8Array(Math.max(data.length, Math.min(READ_CHUNK, this.#readHint)));
      this.#readFill = 0;
    }
    buf.set(data, this.#readFill);
    this.#readFill += data.length;
    this.#pendingReadBytes += data.length;
  }

  // The filled part of the buffer being filled, which is let go: a view, with the spare room
  // when that is under half of the buffer, or a copy of its own size.
  #readView() {
    const buf = this.#readBuf, n = this.#readFill;
    this.#readBuf = null;
    this.#readFill = 0;
    return n === buf.length ? buf : 2 * n >= buf.length ? new Uint8Array(buf.buffer, 0, n) : buf.slice(0, n);
  }

  // Data reaches the app on a microtask, never from inside segment processing, so that a
  // handler that writes, ends or destroys does not re-enter it.
  #flushReads() {
    if (this.#deliveryQueued) return;
    this.#deliveryQueued = true;
    queueMicrotask(() => { this.#deliveryQueued = false; this.#deliver(); });
  }
  #deliveryQueued = false;

  // Everything that arrived since the last delivery goes up as one buffer of its own: one
  // event (one message to the app) per batch of segments rather than one per segment.
  #deliver() {
    const before = this.#window();
    if (!this.#paused && this.#pendingReadBytes) {
      this.#readHint = this.#pendingReadBytes;
      const parts = this.#readFull;
      if (this.#readBuf !== null) parts.push(this.#readView());
      this.#readFull = [];
      this.#pendingReadBytes = 0;
      for (const d of parts) this.emit('data', d);
    }
    if (!this.#paused && this.#finReceived && !this.#endEmitted && this.#pendingReadBytes === 0) {
      this.#endEmitted = true;
      this.emit('end');
    }
    // Re-open a window that had closed or shrunk below a segment (RFC 9293 3.8.6.2.2).
    const after = this.#window();
    if (this.state !== State.CLOSED && after > before && (before === 0 || after - before >= this.#mss) && this.#lastAdvertised < after) this.#sendAck();
  }

  #window() {
    const free = RECEIVE_BUFFER - this.#pendingReadBytes;
    // Receiver silly-window avoidance (RFC 9293 3.8.6.2.2): no window smaller than a segment.
    return free < Math.min(RECEIVE_BUFFER / 2, this.#mss) ? 0 : free;
  }

  // ---- segments out --------------------------------------------------------------------

  #inFlightData() {
    let n = seqSub(this.#sndNxt, this.#sndUna);
    if (this.#finSeq >= 0 && seqGt(this.#sndNxt, this.#finSeq)) n--;
    if (seqLe(this.#sndUna, this.#iss)) n--;
    return Math.max(0, n);
  }

  #flight() { return seqSub(this.#sndMax, this.#sndUna); }

  // Data per segment: the MSS counts no options, so the options sent take their room from it
  // (RFC 9293 3.7.1).
  #segmentData() { return this.#mss - (this.#tsOk ? TIMESTAMP_OPTION : 0); }

  /** Sends what the windows allow (RFC 9293 3.8.6.2.1, Nagle per RFC 1122 4.2.3.4). */
  #output() {
    if (this.state !== State.ESTABLISHED && this.state !== State.CLOSE_WAIT && this.state !== State.FIN_WAIT_1 && this.state !== State.CLOSING && this.state !== State.LAST_ACK) return;
    for (;;) {
      // Going back over data already sent (after a timeout), skip what the peer has SACKed.
      if (this.#scoreboard.length && seqLt(this.#sndNxt, this.#sndMax)) {
        for (const [left, right] of this.#scoreboard) if (seqLe(left, this.#sndNxt) && seqLt(this.#sndNxt, right)) this.#sndNxt = right;
      }
      const offset = this.#inFlightData();
      const unsent = this.#sendBytes - offset;
      // The peer's window limits the sequence space in flight; the congestion window limits
      // what is still in the network, without what the peer has SACKed (RFC 6675's pipe).
      const inFlight = seqSub(this.#sndNxt, this.#sndUna);
      const usable = Math.min(this.#sndWnd - inFlight, this.#cwnd - (this.#scoreboard.length ? this.#pipe() : inFlight));
      if (unsent > 0) {
        if (usable <= 0) {
          if (this.#sndWnd === 0 && inFlight === 0) this.#armPersist();
          break;
        }
        const full = this.#segmentData();
        const n = Math.min(full, unsent, usable);
        if (n < full && n < unsent && inFlight > 0) break;          // sender SWS avoidance (RFC 9293 3.8.6.2.1)
        if (n < full && inFlight > 0 && !this.#noDelay && !this.#finQueued) break;  // Nagle
        const fin = n === unsent && this.#finQueued && (this.#finSeq < 0 || seqAdd(this.#sndNxt, n) === this.#finSeq);
        this.#sendData(this.#sndNxt, offset, n, fin);
        continue;
      }
      if (this.#finQueued && (this.#finSeq < 0 || this.#sndNxt === this.#finSeq)) this.#sendFin();
      break;
    }
  }

  #sendData(seq, offset, n, fin) {
    this.#transmit(seq, offset, n, fin);
    if (!this.#timed && seq === this.#sndNxt && seqGe(seq, this.#sndMax)) this.#timed = { seq: seqAdd(seq, n), at: this.#tcp.now() };
    this.#sndNxt = seqAdd(seq, n + (fin ? 1 : 0));
    if (fin) this.#finSent();
    if (seqGt(this.#sndNxt, this.#sndMax)) this.#sndMax = this.#sndNxt;
    this.#armRetransmit();
  }

  #sendFin() {
    this.#segment({ seq: this.#sndNxt, flags: FIN | ACK });
    this.#sndNxt = seqAdd(this.#sndNxt, 1);
    this.#finSent();
    if (seqGt(this.#sndNxt, this.#sndMax)) this.#sndMax = this.#sndNxt;
    this.#armRetransmit();
  }

  // The first time the FIN goes out the state moves on; a retransmitted FIN changes nothing.
  #finSent() {
    if (this.#finSeq >= 0) return;
    this.#finSeq = seqAdd(this.#sndNxt, -1);
    if (this.state === State.ESTABLISHED) this.state = State.FIN_WAIT_1;
    else if (this.state === State.CLOSE_WAIT) this.state = State.LAST_ACK;
  }

  // One data segment (and/or FIN) from the send queue, `offset` bytes past sndUna; a sequence
  // number below sndMax is a retransmission and is counted as one.
  #transmit(seq, offset, n, fin) {
    if (seqLt(seq, this.#sndMax)) { this.#tcp.stats.retransmits++; this.#tcp.stats.retransmittedBytes += n; }
    this.#segment({ seq, flags: ACK | (n ? PSH : 0) | (fin ? FIN : 0), dataLength: n, writeData: (b, at) => this.#copyOut(offset, n, b, at) });
  }

  // The first unacknowledged segment again (fast retransmit, partial ACK, RTO).
  #retransmitFirst() {
    this.#timed = null;   // Karn: no sample from a retransmitted segment
    if (this.state === State.SYN_SENT || this.state === State.SYN_RECEIVED) {
      this.#tcp.stats.retransmits++;
      return this.#sendSyn(this.state === State.SYN_RECEIVED);
    }
    this.#resend(this.#sndUna, this.#sndMax);
  }

  // Sends again the data from `seq` up to `end` (at most a segment of it, and the FIN when the
  // piece ends there); highRxt moves past it.
  #resend(seq, end) {
    const dataEnd = this.#finSeq >= 0 ? this.#finSeq : this.#sndMax;
    const n = Math.max(0, Math.min(this.#segmentData(), this.#sendBytes - seqSub(seq, this.#sndUna), seqSub(end, seq), seqSub(dataEnd, seq)));
    const fin = this.#finSeq >= 0 && seqAdd(seq, n) === this.#finSeq && seqGt(end, this.#finSeq);
    if (n === 0 && !fin) return false;
    this.#transmit(seq, seqSub(seq, this.#sndUna), n, fin);
    const after = seqAdd(seq, n + (fin ? 1 : 0));
    if (seqGt(after, this.#highRxt)) this.#highRxt = after;
    return true;
  }

  // The next hole (RFC 6675 NextSeg rule 1): the first range from max(sndUna, highRxt) that
  // the peer has not SACKed and that lies below a SACKed range, so is taken as lost.
  // Returns whether a segment went.
  #retransmitHole() {
    let from = seqGt(this.#highRxt, this.#sndUna) ? this.#highRxt : this.#sndUna;
    for (const [left, right] of this.#scoreboard) {
      if (seqLt(from, left)) {
        this.#timed = null;
        return this.#resend(from, left);
      }
      if (seqLt(from, right)) from = right;
    }
    return false;
  }

  // Merges the blocks of an ACK into the scoreboard; blocks outside (ack, sndMax] are stale or
  // forged and are ignored (RFC 2018 4 leaves the sender to judge them).
  #updateScoreboard(blocks, ack) {
    for (const [left, right] of blocks) {
      if (!seqLt(left, right) || !seqLt(ack, right) || seqGt(right, this.#sndMax) || seqLt(left, this.#sndUna)) continue;
      const b = this.#scoreboard;
      let i = 0;
      while (i < b.length && seqLt(b[i][1], left)) i++;      // ranges wholly before it
      let l = left, r = right, j = i;
      while (j < b.length && seqLe(b[j][0], r)) {            // ranges it touches or overlaps
        if (seqLt(b[j][0], l)) l = b[j][0];
        if (seqGt(b[j][1], r)) r = b[j][1];
        j++;
      }
      b.splice(i, j - i, [l, r]);
      if (b.length > SCOREBOARD_MAX) b.pop();
    }
  }

  // SACKed bytes in [from, to).
  #sackedBetween(from, to) {
    let n = 0;
    for (const [left, right] of this.#scoreboard) {
      if (!seqLt(left, to)) break;
      if (!seqLt(from, right)) continue;
      n += seqSub(seqLt(right, to) ? right : to, seqGt(left, from) ? left : from);
    }
    return n;
  }

  // What is still in the network (RFC 6675 SetPipe, with "lost" read as "below a SACKed
  // range"): the bytes sent and not SACKed; in recovery, less the holes not yet sent again.
  #pipe() {
    let pipe = seqSub(this.#sndNxt, this.#sndUna) - this.#sackedBetween(this.#sndUna, this.#sndNxt);
    if (this.#inRecovery && this.#scoreboard.length) {
      const top = this.#scoreboard[this.#scoreboard.length - 1][1];
      const from = seqGt(this.#highRxt, this.#sndUna) ? this.#highRxt : this.#sndUna;
      if (seqLt(from, top)) pipe -= seqSub(top, from) - this.#sackedBetween(from, top);
    }
    return Math.max(0, pipe);
  }

  // Loss recovery with SACK (RFC 6675 5, step C): holes are sent again while the congestion
  // window has room beside the pipe; a partial ACK with nothing SACKed above it still means
  // the segment at sndUna was lost (RFC 6582), which is sent again.
  #sackRecovery(partial) {
    let sent = false;
    while (this.#cwnd - this.#pipe() >= this.#segmentData() && this.#retransmitHole()) sent = true;
    if (partial && !sent && !seqGt(this.#highRxt, this.#sndUna)) this.#retransmitFirst();
  }

  // The receiver's SACK blocks (RFC 2018 4): the held out-of-order data as ranges, the one
  // holding the segment that arrived last first, then the others from the highest down.
  #sackBlocks(max) {
    const starts = [...this.#ooo.keys()].sort((x, y) => seqSub(x, y));
    const ranges = [];
    for (const s of starts) {
      const part = this.#ooo.get(s);
      const end = seqAdd(s, part.data.length + (part.fin ? 1 : 0));
      const last = ranges[ranges.length - 1];
      if (last && seqLe(s, last[1])) { if (seqGt(end, last[1])) last[1] = end; } else ranges.push([s, end]);
    }
    const first = ranges.findIndex(([l, r]) => seqLe(l, this.#lastOoo) && seqLt(this.#lastOoo, r));
    const out = first >= 0 ? [ranges[first]] : [];
    for (let i = ranges.length - 1; i >= 0 && out.length < max; i--) if (i !== first) out.push(ranges[i]);
    return out;
  }

  // Copies n queued bytes from `offset` (counted from sndUna) into out[at..], straight into
  // the segment being built.
  #copyOut(offset, n, out, at) {
    const end = at + n;
    let skip = offset;
    for (const c of this.#sendChunks) {
      if (skip >= c.length) { skip -= c.length; continue; }
      const take = Math.min(c.length - skip, end - at);
      out.set(skip === 0 && take === c.length ? c : new Uint8Array(c.buffer, c.byteOffset + skip, take), at);
      at += take; skip = 0;
      if (at === end) break;
    }
  }

  // Drops n acknowledged bytes from the front of the send queue.
  #drop(n) {
    this.#sendBytes -= n;
    while (n > 0) {
      const c = this.#sendChunks[0];
      if (c.length <= n) { n -= c.length; this.#sendChunks.shift(); }
      else { this.#sendChunks[0] = new Uint8Array(c.buffer, c.byteOffset + n, c.length - n); n = 0; }
    }
  }

  #tsOption() { return { val: this.#tcp.now() >>> 0, ecr: this.#tsRecent }; }

  #segment({ seq, flags, data, dataLength, writeData, mss, wscale, ts, sackOk, window }) {
    const wnd = window ?? Math.min(0xffff, this.#window() >>> this.#rcvWscale);
    if (flags & ACK) {
      this.#lastAckSent = this.#rcvNxt;
      this.#unackedSegments = 0;
      this.#ackNow = false;   // a pending delayed-ACK timer finds nothing owed when it fires
      this.#lastAdvertised = wnd << this.#rcvWscale;
    }
    const tsOption = ts === undefined ? (this.#tsOk ? this.#tsOption() : null) : ts;
    // SACK blocks ride on segments without data only, whose options take no payload room.
    const sack = this.#sackOk && (flags & ACK) && this.#ooo.size && !data && !dataLength
      ? this.#sackBlocks(tsOption ? SACK_BLOCKS_MAX - 1 : SACK_BLOCKS_MAX) : undefined;
    this.#tcp.send(this, { srcPort: this.localPort, dstPort: this.remotePort, seq, ack: flags & ACK ? this.#rcvNxt : 0,
      flags, window: wnd, mss, wscale, ts: tsOption, sackOk, sack, data, dataLength, writeData });
  }

  #sendAck() { this.#segment({ seq: this.#sndNxt, flags: ACK }); }

  // RFC 1122 4.2.3.2: at least every second full-sized segment, or after a short delay. Past
  // the quick ACKs, the ACK owed for the second segment waits until the frames that arrived
  // together have all been processed (a microtask, after the driver's batch and the delivery
  // to the reader): one ACK per batch, as Linux acknowledges a GRO batch, rather than one per
  // two segments, each ACK costing as much to send as a segment's processing.
  #scheduleAck() {
    if (++this.#unackedSegments >= 2) {
      if (this.#quickAcks > 0) { this.#quickAcks--; this.#ackNow = true; } else this.#ackAfterBatch();
      return;
    }
    if (!this.#ackTimer) this.#ackTimer = setTimeout(() => { this.#ackTimer = null; if (this.state !== State.CLOSED && this.#unackedSegments) this.#sendAck(); }, DELAYED_ACK_MS);
  }

  #ackAfterBatch() {
    if (this.#batchAckQueued) return;
    this.#batchAckQueued = true;
    queueMicrotask(() => {
      this.#batchAckQueued = false;
      if (this.state !== State.CLOSED && this.#unackedSegments) this.#sendAck();
    });
  }

  // ---- timers --------------------------------------------------------------------------

  #rttSample(seg) {
    let sample = -1;
    if (this.#tsOk && seg.ts && seg.ts.ecr) sample = (this.#tcp.now() >>> 0) - seg.ts.ecr;
    else if (this.#timed && seqGe(seg.ack, this.#timed.seq)) sample = this.#tcp.now() - this.#timed.at;
    if (this.#timed && seqGe(seg.ack, this.#timed.seq)) this.#timed = null;
    if (sample < 0 || sample > RTO_MAX) return;
    // RFC 6298 2.2 and 2.3 (alpha 1/8, beta 1/4, K 4).
    if (this.#srtt === 0) { this.#srtt = sample; this.#rttvar = sample / 2; }
    else { this.#rttvar = 0.75 * this.#rttvar + 0.25 * Math.abs(this.#srtt - sample); this.#srtt = 0.875 * this.#srtt + 0.125 * sample; }
    this.#rto = Math.min(RTO_MAX, Math.max(this.#tcp.rtoMin, this.#srtt + Math.max(1, 4 * this.#rttvar)));
  }

  // A restart (every new acknowledgement) only moves the deadline, and an acknowledgement of
  // everything only takes it away (#disarmRetransmit): the timer, once set, finds out when it
  // fires whether a deadline has passed, so that neither a bulk transfer (an ACK each) nor a
  // conversation (a request and its response each) clears and sets a timer every time. A
  // deadline earlier than the timer's (the RTO shrank) sets the timer again.
  #armRetransmit(restart = false) {
    if (this.#rtxDeadline !== 0 && !restart) return;
    const now = this.#tcp.now();
    this.#rtxDeadline = now + this.#rto;
    if (this.#rtxTimer && this.#rtxFiresAt > this.#rtxDeadline) { clearTimeout(this.#rtxTimer); this.#rtxTimer = null; }
    if (!this.#rtxTimer) this.#setRetransmitTimer(now, this.#rto);
  }
  #rtxDeadline = 0;   // 0: nothing to retransmit
  #rtxFiresAt = 0;

  #setRetransmitTimer(now, ms) {
    this.#rtxFiresAt = now + ms;
    this.#rtxTimer = setTimeout(() => this.#onRetransmitTimer(), ms);
  }

  #disarmRetransmit() { this.#rtxDeadline = 0; }

  #onRetransmitTimer() {
    this.#rtxTimer = null;
    if (this.#rtxDeadline === 0) return;
    const now = this.#tcp.now(), early = this.#rtxDeadline - now;
    if (early > 0) { this.#setRetransmitTimer(now, early); return; }
    this.#rtxDeadline = 0;
    this.#onRetransmitTimeout();
  }

  #onRetransmitTimeout() {
    this.#rtxTimer = null;
    if (this.state === State.CLOSED || this.#sndUna === this.#sndMax) return;
    const limit = this.state === State.SYN_SENT || this.state === State.SYN_RECEIVED ? SYN_RETRIES : DATA_RETRIES;
    if (++this.#retries > limit) {
      if (this.state === State.SYN_RECEIVED) return this.#close(null);
      return this.destroy(netError('ETIMEDOUT', this.state === State.SYN_SENT ? 'connect' : 'write', `no acknowledgement after ${limit} retransmissions`, { address: formatIPv4(this.remoteAddress), port: this.remotePort }));
    }
    this.#tcp.stats.timeouts++;
    // RFC 5681 3.1 (equation 4) and RFC 6298 5.5-5.7.
    this.#ssthresh = Math.max(Math.floor(this.#flight() / 2), 2 * this.#mss);
    this.#cwnd = this.#mss;
    this.#inRecovery = false;
    this.#recover = this.#sndMax;
    this.#dupAcks = 0;
    this.#rto = Math.min(RTO_MAX, this.#rto * 2);
    if (this.state === State.SYN_SENT || this.state === State.SYN_RECEIVED) {
      this.#retransmitFirst();
    } else {
      // Go back to the first unacknowledged byte; what follows is sent again as cwnd grows,
      // past what the peer has SACKed. A receiver may drop data it SACKed (RFC 2018 8), so a
      // second timeout in a row forgets the scoreboard and sends everything again.
      if (this.#retries > 1) this.#scoreboard = [];
      this.#highRxt = this.#sndUna;
      this.#sndNxt = this.#sndUna;
      this.#timed = null;
      this.#output();
    }
    this.#armRetransmit();
  }

  // A zero window: probe with a segment the peer must acknowledge, backing off (RFC 9293 3.8.6.1).
  #armPersist() {
    if (this.#persistTimer) return;
    let delay = this.#rto;
    const probe = () => {
      this.#persistTimer = null;
      if (this.state === State.CLOSED || this.#sndWnd > 0) return this.#output();
      this.#tcp.stats.windowProbes++;
      this.#segment({ seq: seqAdd(this.#sndUna, -1), flags: ACK });
      delay = Math.min(RTO_MAX, delay * 2);
      this.#persistTimer = setTimeout(probe, delay);
    };
    this.#persistTimer = setTimeout(probe, delay);
  }

  #armKeepAlive() {
    this.#stopTimer('keep');
    if (!this.#keepAliveMs || this.state === State.CLOSED) return;
    this.#keepTimer = setTimeout(() => this.#keepAliveProbe(), this.#keepProbes ? KEEPALIVE_INTERVAL : this.#keepAliveMs);
  }

  #keepAliveProbe() {
    this.#keepTimer = null;
    if (this.state === State.CLOSED) return;
    if (++this.#keepProbes > KEEPALIVE_PROBES) return this.destroy(netError('ETIMEDOUT', 'read', 'keep-alive probes unanswered', { address: formatIPv4(this.remoteAddress), port: this.remotePort }));
    this.#segment({ seq: seqAdd(this.#sndUna, -1), flags: ACK });
    this.#keepTimer = setTimeout(() => this.#keepAliveProbe(), KEEPALIVE_INTERVAL);
  }

  #enterTimeWait() {
    this.state = State.TIME_WAIT;
    this.#stopTimers();
    if (this.#finTimer) { clearTimeout(this.#finTimer); this.#finTimer = null; }
    this.#ackNow = true;
    this.#twTimer = setTimeout(() => this.#close(null), 2 * this.#tcp.msl);
    this.#flushReads();
    queueMicrotask(() => this.emit('close', false));
    this.#closedEmitted = true;
  }
  #closedEmitted = false;

  #stopTimer(which) {
    if (which === 'rtx') { this.#rtxDeadline = 0; if (this.#rtxTimer) { clearTimeout(this.#rtxTimer); this.#rtxTimer = null; } }
    else if (which === 'ack' && this.#ackTimer) { clearTimeout(this.#ackTimer); this.#ackTimer = null; }
    else if (which === 'persist' && this.#persistTimer) { clearTimeout(this.#persistTimer); this.#persistTimer = null; }
    else if (which === 'keep' && this.#keepTimer) { clearTimeout(this.#keepTimer); this.#keepTimer = null; }
  }

  #stopTimers() {
    for (const t of ['rtx', 'ack', 'persist', 'keep']) this.#stopTimer(t);
  }

  #close(err) {
    if (this.state === State.CLOSED) return;
    const wasTimeWait = this.state === State.TIME_WAIT;
    this.state = State.CLOSED;
    this.#stopTimers();
    if (this.#twTimer) { clearTimeout(this.#twTimer); this.#twTimer = null; }
    if (this.#finTimer) { clearTimeout(this.#finTimer); this.#finTimer = null; }
    this.#tcp.remove(this);
    this.#listener?.aborted(this);
    this.#listener = null;
    this.#sendChunks = []; this.#sendBytes = 0; this.#ooo.clear(); this.#scoreboard = [];
    if (this.#pendingReadBytes === 0) { this.#readBuf = null; this.#readFill = 0; }
    if (wasTimeWait || this.#closedEmitted) return;
    this.#error = err;
    this.#closedEmitted = true;
    queueMicrotask(() => {
      if (err) this.emit('error', err);
      this.emit('close', !!err);
    });
  }

  // Fragmentation needed (RFC 1191 6.4): segments from now on fit the smaller path, and what
  // is in flight is sent again in segments that do; not a sign of congestion, so the window stays.
  #pathMtuShrank(mtu, sentLength) {
    const pmtu = this.#tcp.learnPathMtu(this.remoteAddress, mtu, sentLength);
    const mss = (pmtu || this.#tcp.routeMtu(this.remoteAddress)) - IP_TCP_HEADERS;
    if (mss >= this.#mss) return;
    this.#mss = mss;
    this.#tcp.stats.pmtuShrinks++;
    if (this.state === State.SYN_SENT || this.state === State.SYN_RECEIVED || this.#sndUna === this.#sndMax) return;
    this.#sndNxt = this.#sndUna;
    this.#timed = null;
    this.#output();
  }

  /** An ICMP error about this connection (RFC 1122 4.2.3.9): hard errors end a connection attempt. */
  icmpError({ type, code, mtu, seq, sentLength }) {
    if (type !== TYPE_UNREACHABLE) return;
    // RFC 5927 5.1: only a message quoting a sequence number we have sent and not had
    // acknowledged can be about this connection; anything else is forged or stale.
    if (!(seqLe(this.#sndUna, seq) && seqLt(seq, this.#sndMax))) return;
    if (code === CODE_FRAG_NEEDED) return this.#pathMtuShrank(mtu, sentLength);
    if (this.state === State.SYN_SENT && (code === CODE_PORT_UNREACHABLE || code === CODE_PROTOCOL_UNREACHABLE)) {
      this.#close(netError('ECONNREFUSED', 'connect', 'port unreachable', { address: formatIPv4(this.remoteAddress), port: this.remotePort }));
    }
  }
}

export class TcpListener extends Emitter {
  #tcp;
  address; port; backlog;
  #halfOpen = new Set();
  #queue = [];
  closed = false;
  stats = { accepted: 0, synDropped: 0, backlogFull: 0, cookiesSent: 0, cookiesAccepted: 0 };

  constructor(tcp, address, port, backlog) {
    super();
    this.#tcp = tcp; this.address = address; this.port = port; this.backlog = backlog;
  }

  /**
   * A SYN for this port: a new connection in SYN_RECEIVED; when the half-open connections
   * are at their limit, a SYN cookie instead (no state kept); nothing when the backlog is full.
   */
  syn(h, seg) {
    if (this.#queue.length >= this.backlog) { this.stats.backlogFull++; this.#tcp.stats.synDropped++; return; }
    if (this.#halfOpen.size >= Math.min(HALF_OPEN_MAX, this.backlog)) {
      this.stats.cookiesSent++;
      this.#cookiesUntil = this.#tcp.now() + COOKIE_WINDOW_MS;
      return this.#tcp.sendCookie(h, seg);
    }
    const c = new TcpConnection(this.#tcp);
    this.#halfOpen.add(c);
    this.#tcp.add(c, h.dst, this.port, h.src, seg.srcPort);
    c.accept(this, h.dst, this.port, h.src, seg.srcPort, seg);
  }

  /**
   * An ACK for no connection: a returning SYN cookie makes the connection, if this listener
   * sent cookies lately and has room. Returns false when the ACK is not one.
   */
  cookieAck(h, seg) {
    if (this.#tcp.now() > this.#cookiesUntil) return false;
    const mss = this.#tcp.checkCookie(h, seg);
    if (!mss) return false;
    // A full accept queue drops it, as a SYN then (the peer sends again).
    if (this.#queue.length >= this.backlog) { this.stats.backlogFull++; this.#tcp.stats.synDropped++; return true; }
    this.stats.cookiesAccepted++;
    this.#tcp.stats.synCookiesAccepted++;
    const c = new TcpConnection(this.#tcp);
    this.#tcp.add(c, h.dst, this.port, h.src, seg.srcPort);
    c.acceptCookie(h.dst, this.port, h.src, seg.srcPort, seg, mss);
    this.established(c);
    c.input(seg);   // the data and FIN the ACK may carry
    return true;
  }
  #cookiesUntil = -Infinity;

  established(c) {
    this.#halfOpen.delete(c);
    this.stats.accepted++;
    if (this.#onConnection) this.#onConnection(c); else this.#queue.push(c);
  }

  /** Who takes new connections; connections that arrived before are handed over at once. */
  onConnection(fn) {
    this.#onConnection = fn;
    for (const c of this.#queue.splice(0)) fn(c);
  }
  #onConnection = null;

  aborted(c) { this.#halfOpen.delete(c); }

  close() {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.#halfOpen) c.destroy();
    for (const c of this.#queue.splice(0)) c.destroy();
    this.#tcp.unlisten(this);
  }
}

export class Tcp {
  #stack;
  // Connections by their ports (local * 65536 + remote, a small integer), each an array of
  // the connections on that pair (nearly always one), told apart by their addresses: a
  // lookup per segment builds no string key.
  #conns = new Map();
  #connCount = 0;
  #listeners = new Map();    // port -> TcpListener
  #nextEphemeral = EPHEMERAL_FIRST + Math.floor(Math.random() * (EPHEMERAL_LAST - EPHEMERAL_FIRST));
  // The key of initial sequence numbers and SYN cookies.
  #key = globalThis.crypto?.getRandomValues ? globalThis.crypto.getRandomValues(new Uint8Array(16)) : Uint8Array.from({ length: 16 }, () => Math.random() * 256);
  msl = MSL_MS;
  sack = true;               // offer and accept selective acknowledgements (RFC 2018)
  rtoMin = RTO_MIN;          // the retransmission timer's floor, as Linux's per-route rto_min
  stats = { segmentsIn: 0, segmentsOut: 0, badSegments: 0, resetsSent: 0, retransmits: 0, retransmittedBytes: 0, fastRetransmits: 0, timeouts: 0, windowProbes: 0, synDropped: 0, activeOpens: 0, passiveOpens: 0, pmtuShrinks: 0, synCookiesSent: 0, synCookiesAccepted: 0 };

  constructor(stack) { this.#stack = stack; }

  now() { return Math.floor(clockNow()); }

  /**
   * Initial sequence numbers (RFC 6528): a clock plus a keyed hash of the connection, so that
   * they cannot be guessed from outside and new incarnations start past old ones.
   */
  initialSequence(key) {
    const h = Number(siphash24(this.#key, new TextEncoder().encode(key)) & 0xffffffffn);
    return (h + Math.floor(performance.now() * 250)) >>> 0;   // 4 us clock, as RFC 9293 3.4.1
  }

  // The 24 hash bits of a cookie for (local, remote, the peer's ISN, clock tick).
  #cookieHash(h, seg, peerIsn, tick) {
    const b = new Uint8Array(17);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, h.dst); dv.setUint32(4, h.src);
    dv.setUint16(8, seg.dstPort); dv.setUint16(10, seg.srcPort);
    dv.setUint32(12, peerIsn); b[16] = tick;
    return Number(siphash24(this.#key, b) & 0xffffffn);
  }

  /** A SYN-ACK whose sequence number is a cookie (RFC 4987 3.6), nothing remembered. */
  sendCookie(h, seg) {
    this.stats.synCookiesSent++;
    const tick = Math.floor(this.now() / COOKIE_TICK_MS) & 31;
    const mss = Math.min(seg.mss || DEFAULT_MSS, this.routeMtu(h.src) - IP_TCP_HEADERS);
    let index = 0;
    while (index + 1 < COOKIE_MSS.length && COOKIE_MSS[index + 1] <= mss) index++;
    const cookie = ((tick << 27) | (index << 24) | this.#cookieHash(h, seg, seg.seq, tick)) >>> 0;
    const s = { srcPort: seg.dstPort, dstPort: seg.srcPort, seq: cookie, ack: seqAdd(seg.seq, 1), flags: SYN | ACK,
      window: Math.min(0xffff, RECEIVE_BUFFER), mss: COOKIE_MSS[index] };
    this.#stack.sendIp({ src: h.dst, dst: h.src, protocol: PROTO_TCP, payload: buildSegment(s, h.dst, h.src) });
  }

  /** The MSS a returning cookie (the ACK's number less one) kept, or 0 when it is not good. */
  checkCookie(h, seg) {
    const cookie = seqAdd(seg.ack, -1);
    const tick = cookie >>> 27, now = Math.floor(this.now() / COOKIE_TICK_MS) & 31;
    if (((now - tick) & 31) > 1) return 0;
    if ((cookie & 0xffffff) !== this.#cookieHash(h, seg, seqAdd(seg.seq, -1), tick)) return 0;
    return COOKIE_MSS[(cookie >>> 24) & 7];
  }

  routeMtu(dst) { return this.#stack.pathMtu(dst); }

  /**
   * Opens a connection to address:port.
   * @returns {TcpConnection} in SYN_SENT; 'connect' or 'error' follows
   */
  connect(address, port, { localAddress = IPV4_ANY, localPort = 0 } = {}) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw netError('EINVAL', 'connect', `port ${port} is not 1-65535`);
    const r = this.#stack.route(address, localAddress);
    if (!r) throw netError('ENETUNREACH', 'connect', 'no route to the network', { address: formatIPv4(address), port });
    const src = localAddress !== IPV4_ANY ? localAddress : r.src;
    const lport = localPort || this.#ephemeral(src, address, port);
    const c = new TcpConnection(this);
    this.add(c, src, lport, address, port);
    this.stats.activeOpens++;
    c.open(src, lport, address, port);
    return c;
  }

  /** Listens on port (0: an ephemeral one). @throws EADDRINUSE */
  listen(port = 0, address = IPV4_ANY, { backlog = BACKLOG_DEFAULT } = {}) {
    if (port === 0) port = this.#ephemeral(address, 0, 0);
    if (this.#listeners.has(port)) throw netError('EADDRINUSE', 'listen', 'the port is in use', { address: formatIPv4(address), port });
    const l = new TcpListener(this, address, port, Math.max(1, Math.min(backlog, 65535)));
    this.#listeners.set(port, l);
    return l;
  }

  unlisten(l) { if (this.#listeners.get(l.port) === l) this.#listeners.delete(l.port); }

  #ephemeral(src, dst, dport) {
    for (let i = 0; i <= EPHEMERAL_LAST - EPHEMERAL_FIRST; i++) {
      const p = this.#nextEphemeral;
      this.#nextEphemeral = p === EPHEMERAL_LAST ? EPHEMERAL_FIRST : p + 1;
      if (!this.#listeners.has(p) && !this.#find(src, p, dst, dport)) return p;
    }
    throw netError('EADDRNOTAVAIL', 'connect', 'no ephemeral TCP port is free');
  }

  /** The connection on (local address, port, remote address, port), or undefined. */
  #find(la, lp, ra, rp) {
    const list = this.#conns.get(lp * 65536 + rp);
    if (list === undefined) return undefined;
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      if (c.remoteAddress === ra && c.localAddress === la) return c;
    }
    return undefined;
  }

  // The connection's address fields are set by its open or accept, right after add().
  add(c, la, lp, ra, rp) {
    const old = this.#find(la, lp, ra, rp);
    if (old) this.remove(old);
    const ports = lp * 65536 + rp;
    const list = this.#conns.get(ports);
    if (list) list.push(c); else this.#conns.set(ports, [c]);
    this.#connCount++;
  }

  remove(c) {
    const ports = c.localPort * 65536 + c.remotePort;
    const list = this.#conns.get(ports);
    const at = list ? list.indexOf(c) : -1;
    if (at < 0) return;
    if (list.length === 1) this.#conns.delete(ports); else list.splice(at, 1);
    this.#connCount--;
  }

  get sockets() {
    return [...[...this.#listeners.values()].map((l) => ({ protocol: 'tcp', state: 'LISTEN', local: `${formatIPv4(l.address)}:${l.port}`, remote: null })),
      ...[...this.#conns.values()].flat().map((c) => ({ protocol: 'tcp', ...c.info }))];
  }
  get connectionCount() { return this.#connCount; }

  // The segment is built with room for the headers below it and, when the interface's
  // device computes checksums, only the pseudo-header's sum in its checksum field.
  send(c, s) {
    this.stats.segmentsOut++;
    // DF: a router that cannot forward a segment whole says so, and the MSS shrinks (RFC 1191).
    // Built straight into the device's transmit memory when it lends it. The route is looked
    // up once per connection and again only when the stack's routes or interfaces changed
    // (null: sendIp looks again and reports the failure).
    if (c.routeVersion !== this.#stack.routeVersion) {
      c.route = this.#stack.route(c.remoteAddress, c.localAddress);
      c.routeVersion = this.#stack.routeVersion;
    }
    const route = c.route;
    const into = this.#stack.packetBuffer(route, HEADROOM + segmentLength(s));
    this.#stack.sendIp({ src: c.localAddress, dst: c.remoteAddress, protocol: PROTO_TCP, df: true, headroom: true, partialChecksum: CHECKSUM_OFFSET, route,
      payload: buildSegment(s, c.localAddress, c.remoteAddress, { headroom: HEADROOM, partial: true, into }) });
  }

  input(h, b, checksumValid = false) {
    const seg = parseSegment(h.src, h.dst, b, checksumValid);
    if (typeof seg === 'string') { this.stats.badSegments++; return; }
    this.stats.segmentsIn++;
    if (this.#stack.isBroadcast(h.dst)) return;   // TCP is unicast (RFC 1122 4.2.3.10)
    const c = this.#find(h.dst, seg.dstPort, h.src, seg.srcPort);
    if (c) {
      // A new SYN for a connection in TIME_WAIT may start a new incarnation (RFC 9293 3.10.7.4 note).
      if (c.state === State.TIME_WAIT && (seg.flags & SYN) && !(seg.flags & ACK) && this.#listeners.has(seg.dstPort)) {
        c.destroy();
      } else {
        return c.input(seg);
      }
    }
    const l = this.#listeners.get(seg.dstPort);
    if (l && (l.address === IPV4_ANY || l.address === h.dst)) {
      if (seg.flags & RST) return;
      if ((seg.flags & (ACK | SYN | FIN)) === ACK && l.cookieAck(h, seg)) return;
      if (seg.flags & ACK) return this.sendReset(h, seg);
      if (seg.flags & SYN) { this.stats.passiveOpens++; return l.syn(h, seg); }
      return;
    }
    this.sendReset(h, seg);
  }

  /** RST for a segment that has no connection (RFC 9293 3.10.7.1). */
  sendReset(h, seg) {
    if (seg.flags & RST) return;
    this.stats.resetsSent++;
    const len = seg.data.length + (seg.flags & SYN ? 1 : 0) + (seg.flags & FIN ? 1 : 0);
    const s = seg.flags & ACK
      ? { srcPort: seg.dstPort, dstPort: seg.srcPort, seq: seg.ack, ack: 0, flags: RST, window: 0 }
      : { srcPort: seg.dstPort, dstPort: seg.srcPort, seq: 0, ack: seqAdd(seg.seq, len), flags: RST | ACK, window: 0 };
    this.#stack.sendIp({ src: h.dst, dst: h.src, protocol: PROTO_TCP, payload: buildSegment(s, h.dst, h.src) });
  }

  icmpError(ih, quoted, info) {
    if (quoted.length < 8) return;   // RFC 792: the quote holds at least 8 bytes of the header
    const lport = (quoted[0] << 8) | quoted[1], rport = (quoted[2] << 8) | quoted[3];
    const seq = ((quoted[4] << 24) | (quoted[5] << 16) | (quoted[6] << 8) | quoted[7]) >>> 0;
    this.#find(ih.src, lport, ih.dst, rport)?.icmpError({ ...info, seq, sentLength: ih.totalLength });
  }

  /** For a connection told that its path's MTU is smaller: the path MTU now believed, or 0. */
  learnPathMtu(dst, mtu, sentLength) { return this.#stack.learnPathMtu(dst, mtu, sentLength); }
}
