// The mark of a socket that node:net's Socket counts as its own for `instanceof`: in Node,
// tls.TLSSocket extends net.Socket; here a TLSSocket is a Duplex over one, with a net.Socket's
// methods and properties, and carries this mark on its prototype instead.
export const kNetSocket = Symbol('netSocket');
