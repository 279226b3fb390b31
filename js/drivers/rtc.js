// CMOS real-time clock driver (MC146818A; OSDev "CMOS"). Needs: ports 0x70-0x71.

const REG_SECONDS = 0x00;
const REG_MINUTES = 0x02;
const REG_HOURS = 0x04;
const REG_DAY = 0x07;
const REG_MONTH = 0x08;
const REG_YEAR = 0x09;
const REG_A = 0x0a;
const REG_B = 0x0b;
const REG_CENTURY = 0x32; // IBM PC/AT convention (ACPI FADT "CENTURY")
const A_UIP = 0x80;       // update in progress: registers may be mid-change
const B_24H = 0x02;
const B_BINARY = 0x04;
const B_SET = 0x80;        // holds the clock while the time registers are written
const HOURS_PM = 0x80;
const NMI_DISABLE = 0x80; // bit 7 of the index keeps NMI masked, as BIOSes do
const MAX_TRIES = 10;

const bcd = (v) => (v >> 4) * 10 + (v & 0x0f);
const toBcd = (v) => ((v / 10) << 4) | (v % 10);

export class RtcDriver {
  #ports;
  /** @param {PortRange} ports the capability for 0x70-0x71 (length 2). */
  constructor(ports) {
    if (ports.length !== 2) throw new RangeError(`rtc: needs ports 0x70-0x71, got a range of ${ports.length}`);
    this.#ports = ports;
  }

  #read(reg) {
    this.#ports.write8(0, NMI_DISABLE | reg);
    return this.#ports.read8(1);
  }

  #snapshot() {
    while (this.#read(REG_A) & A_UIP) { /* at most 244 us on real hardware */ }
    return [REG_SECONDS, REG_MINUTES, REG_HOURS, REG_DAY, REG_MONTH, REG_YEAR, REG_CENTURY].map((r) => this.#read(r));
  }

  /**
   * The RTC's time as a Date (the RTC is read as UTC).
   * Reads until two consecutive snapshots agree, so an update between reads is never seen torn.
   * @throws {Error} if the clock never holds still.
   */
  now() {
    let a = this.#snapshot();
    for (let i = 0; i < MAX_TRIES; i++) {
      const b = this.#snapshot();
      if (a.every((v, k) => v === b[k])) return this.#decode(b);
      a = b;
    }
    throw new Error('rtc: the clock kept changing while being read');
  }

  #write(reg, value) {
    this.#ports.write8(0, NMI_DISABLE | reg);
    this.#ports.write8(1, value);
  }

  /**
   * Sets the RTC to `date` (UTC, whole seconds), in the clock's own BCD/binary and 12/24-hour
   * format, with updates held (register B SET) so the clock never shows a half-written time.
   */
  set(date) {
    const regB = this.#read(REG_B);
    const enc = regB & B_BINARY ? (v) => v : toBcd;
    const h = date.getUTCHours();
    const hours = regB & B_24H ? enc(h) : enc(h % 12 || 12) | (h >= 12 ? HOURS_PM : 0);
    this.#write(REG_B, regB | B_SET);
    this.#write(REG_SECONDS, enc(date.getUTCSeconds()));
    this.#write(REG_MINUTES, enc(date.getUTCMinutes()));
    this.#write(REG_HOURS, hours);
    this.#write(REG_DAY, enc(date.getUTCDate()));
    this.#write(REG_MONTH, enc(date.getUTCMonth() + 1));
    this.#write(REG_YEAR, enc(date.getUTCFullYear() % 100));
    this.#write(REG_CENTURY, enc(Math.floor(date.getUTCFullYear() / 100)));
    this.#write(REG_B, regB & ~B_SET);
  }

  #decode([sec, min, hourRaw, day, month, year, century]) {
    const regB = this.#read(REG_B);
    const dec = regB & B_BINARY ? (v) => v : bcd;
    let hour = dec(hourRaw & ~HOURS_PM);
    if (!(regB & B_24H)) hour = (hour % 12) + (hourRaw & HOURS_PM ? 12 : 0);
    const fullYear = (century ? dec(century) : 20) * 100 + dec(year);
    return new Date(Date.UTC(fullYear, dec(month) - 1, dec(day), hour, dec(min), dec(sec)));
  }
}
