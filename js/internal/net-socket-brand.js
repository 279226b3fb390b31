// The mark of a socket that node:net's Socket counts as its own for `instanceof`: in Node,
// tls.TLSSocket extends net.Socket; here a TLSSocket is a Duplex over one, with a net.Socket's
// methods and properties, and carries this mark on its prototype instead.
export const kNetSocket = Symbol('netSocket');

// A socket's write of bytes its caller made for it and never touches again (node:http's
// messages): sent as they are, where write() copies what a program passes, which it may
// reuse once write() has returned.
export const kWriteOwned = Symbol('writeOwned');
