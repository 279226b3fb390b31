import { produce, freeze } from 'immer';
const base = freeze({ todos: [{ t: 'a', done: false }] }, true);
const next = produce(base, (draft) => { draft.todos[0].done = true; draft.todos.push({ t: 'b', done: false }); });
console.log(JSON.stringify(next), base.todos.length, Object.isFrozen(next), next.todos[0] !== base.todos[0]);
