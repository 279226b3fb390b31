// The network service's functions, by name: what service.js exports (it refuses to build an
// interface that differs) and what client.js forwards for an app that starts its own
// service. A module of its own, so that apps using the network load nothing of the service.
export const SERVICE_FUNCTIONS = Object.freeze(['connect', 'listen', 'udpBind', 'ping', 'lookup', 'interfaces', 'routes', 'sockets', 'counters']);
