import QuickLRU from 'quick-lru';
const lru = new QuickLRU({ maxSize: 2 });
lru.set('a', 1).set('b', 2).set('c', 3);
console.log([...lru.keys()], lru.has('a'), lru.get('c'), lru.size);
