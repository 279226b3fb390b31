import mitt from 'mitt';
const bus = mitt();
bus.on('*', (type, e) => console.log('any', type, e));
bus.on('foo', (e) => console.log('foo', e));
bus.emit('foo', { a: 1 });
bus.off('foo');
bus.emit('foo', 2);
