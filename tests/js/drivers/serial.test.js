import './hw-present.js';
import { test, assertEqual } from '../harness.js';
import { SerialDriver } from '../../../js/drivers/serial.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('serial echo through the UART in loopback, interrupt-driven both ways', async () => {
  const uart = new SerialDriver(rt.hw.ports(0x3f8, 8), rt.hw.irq(4), { loopback: true });
  let got = '';
  uart.onData((bytes) => { got += String.fromCharCode(...bytes); });
  const text = 'hello, serial world: more than one 16-byte FIFO of text';
  uart.write(text);
  for (let i = 0; i < 100 && got.length < text.length; i++) await sleep(10);
  uart.close();
  assertEqual(got, text);
});
