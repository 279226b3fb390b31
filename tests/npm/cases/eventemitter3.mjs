import EventEmitter from 'eventemitter3';
const e = new EventEmitter();
e.once('a', (x, y) => console.log('a', x, y));
e.emit('a', 1, 2);
console.log(e.emit('a'), e.listenerCount('a'), e.eventNames());
