// The network service app: drives the first virtio-net function it was granted, brings the
// interface up (DHCP, or --static ADDRESS/PREFIX[,GATEWAY[,DNS]]; --loopback: no device, only lo),
// and exports the stack's
// interface (js/services/net/service.js) to its parent, which grants it to other apps.
import { PciBus } from '../drivers/pci.js';
import { VirtioPciTransport, virtioDeviceId } from '../drivers/virtio/index.js';
import { VirtioNet } from '../drivers/virtio-net.js';
import { NetStack } from '../services/net/stack.js';
import { DhcpClient } from '../services/net/dhcp.js';
import { Resolver } from '../services/net/dns.js';
import { parseIPv4 } from '../services/net/addr.js';
import { netService } from '../services/net/service.js';

const VIRTIO_ID_NET = 1;
const PCI_CONFIG = [0xcf8, 8];   // configuration mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2)

const stack = new NetStack();
const resolver = new Resolver(stack);

// --loopback: no device, only lo (127.0.0.1/8), for apps that talk to each other.
if (!rt.argv.includes('--loopback')) {
  const pci = new PciBus(rt.hw.ports(...PCI_CONFIG));
  const fn = pci.enumerate().find((d) => virtioDeviceId(d) === VIRTIO_ID_NET);
  if (!fn) throw new Error('net: no virtio-net device on this machine');
  const where = [fn.bus, fn.device].map((n) => n.toString(16).padStart(2, '0')).join(':') + `.${fn.function}`;
  const nic = new VirtioNet(new VirtioPciTransport(pci, fn, `virtio-net ${where}`));
  nic.onError((e) => console.error(`net: ${e.message}`));
  const eth0 = stack.addEthernet('eth0', nic);
  const flag = rt.argv.indexOf('--static');
  if (flag >= 0) {
    const [cidr, gateway, dns] = String(rt.argv[flag + 1]).split(',');
    const [address, prefix] = cidr.split('/');
    stack.configure('eth0', { address, prefix: Number(prefix ?? 24), gateway });
    if (dns) resolver.servers = [parseIPv4(dns)];
  } else {
    const lease = await new DhcpClient(stack, eth0).start();
    resolver.servers = lease.dns.map(parseIPv4);
  }
}
rt.export(netService(stack, { resolver }));
