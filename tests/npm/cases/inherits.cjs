const inherits = require('inherits');
const { EventEmitter } = require('events');
function Thing() { EventEmitter.call(this); }
inherits(Thing, EventEmitter);
const t = new Thing();
t.on('x', (v) => console.log('got', v));
t.emit('x', 7);
console.log(t instanceof EventEmitter, Thing.super_ === EventEmitter);
