// Options of events.on() that only the runtime's own modules pass.

// events.on(emitter, name, { [kFirstEventParam]: true }) yields each event's first argument
// rather than the array of all of them (readline's line iterator yields the lines).
export const kFirstEventParam = Symbol('kFirstEventParam');
