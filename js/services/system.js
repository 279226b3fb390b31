// Brings up the machine's consoles from the init app (which holds every resource): the
// resource manager, PCI enumeration, and a REPL on the VGA screen with the PS/2 keyboard
// and one on COM1, side by side. The drivers run in the calling app; running each in
// its own app with only its resources is rt.spawn's `resources` option (see grant()).

import { ResourceManager } from './resources.js';
import { startVgaConsole, startSerialConsole } from './console.js';
import { PciBus } from '../drivers/pci.js';
import { VgaText } from '../drivers/vga-text.js';
import { FramebufferConsole } from '../drivers/framebuffer-console.js';
import { Ps2Keyboard } from '../drivers/ps2-keyboard.js';
import { SerialDriver } from '../drivers/serial.js';

// ISA devices of every PC: fixed ports, memory and IRQs (IBM PC/AT Technical Reference).
export const ISA = Object.freeze({
  pci: { ports: [[0xcf8, 8]] },
  vga: { memory: [[0xb8000, 4000]], ports: [[0x3d4, 2]] },
  keyboard: { ports: [[0x60, 1], [0x64, 1]], irqs: [1] },
  com1: { ports: [[0x3f8, 8]], irqs: [4] },
  rtc: { ports: [[0x70, 2]] },
});

/**
 * Starts what `options` asks for; each part that fails is reported in `errors` and the
 * others still start.
 * @param {{ vga?: boolean, serial?: boolean, hw?: object }} options
 * @returns {{ resources: ResourceManager, devices: object[], consoles: object[], screen: object | null,
 *   errors: string[] }} screen: what the keyboard console draws on (VGA text or the framebuffer)
 */
export function startSystem({ vga = true, serial = true, hw = rt.hw } = {}) {
  const resources = new ResourceManager(hw);
  const out = { resources, devices: [], consoles: [], screen: null, errors: [] };
  const attempt = (what, fn) => {
    try { fn(); } catch (e) { out.errors.push(`${what}: ${e.message}`); }
  };
  attempt('pci', () => {
    const [[base, len]] = ISA.pci.ports;
    out.devices = new PciBus(resources.ports('pci', base, len)).enumerate();
  });
  if (vga) {
    attempt('vga console', () => {
      // A machine booted in a graphics mode (UEFI: no VGA text mode) has a linear
      // framebuffer; the console is drawn there instead.
      const fb = hw.framebuffer?.() ?? null;
      const screen = fb ? new FramebufferConsole(fb, resources.memory('framebuffer', fb.base, fb.size))
        : new VgaText(resources.memory('vga', 0xb8000, 4000), resources.ports('vga', 0x3d4, 2));
      screen.clear();
      const keyboard = new Ps2Keyboard(resources.ports('keyboard', 0x60, 1), resources.ports('keyboard', 0x64, 1),
        resources.irq('keyboard', 1));
      out.consoles.push(startVgaConsole({ vga: screen, keyboard }));
      out.screen = screen;
    });
  }
  if (serial) {
    attempt('serial console', () => {
      const uart = new SerialDriver(resources.ports('com1', 0x3f8, 8), resources.irq('com1', 4));
      out.consoles.push(startSerialConsole({ serial: uart }));
    });
  }
  return out;
}
