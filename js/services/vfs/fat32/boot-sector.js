// The FAT32 boot sector (BPB) and FSInfo sector: parsed and checked before anything else
// is trusted (Microsoft FAT specification 1.03, sections 3 and 5). A field that would make
// the volume unreadable or reach past the device is refused with EINVAL and the field named.

import { FsFault } from '../errors.js';

const SIGNATURE = 0xaa55; // bytes 510-511 of the boot sector (section 3.1)
const FSINFO_LEAD = 0x41615252; // FSI_LeadSig (section 5)
const FSINFO_STRUC = 0x61417272; // FSI_StrucSig
const FSINFO_TRAIL = 0xaa550000; // FSI_TrailSig
export const FSINFO_FREE = 488; // FSI_Free_Count
export const FSINFO_NEXT = 492; // FSI_Nxt_Free
const MAX_CLUSTER_BYTES = 65536; // Linux and Windows read up to 64 KiB clusters
const MAX_FAT32_CLUSTERS = 0x0ffffff5; // cluster numbers from 0x0FFFFFF7 up are reserved (section 4)

function bad(what) { return new FsFault('EINVAL', `not a FAT32 volume: ${what}`); }

/**
 * Reads the geometry from boot sector `b` for a device of `deviceBytes` bytes with blocks
 * of `blockSize`. Throws FsFault(EINVAL) naming the bad field.
 */
export function parseBootSector(b, deviceBytes, blockSize) {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 512) throw bad('boot sector shorter than 512 bytes');
  if (v.getUint16(510, true) !== SIGNATURE) throw bad('no 0x55AA signature');
  const bytesPerSector = v.getUint16(11, true);
  if (![512, 1024, 2048, 4096].includes(bytesPerSector)) throw bad(`BPB_BytsPerSec ${bytesPerSector}`);
  if (bytesPerSector % blockSize !== 0) throw bad(`sector size ${bytesPerSector} below the device's block size ${blockSize}`);
  const sectorsPerCluster = b[13];
  if (!sectorsPerCluster || (sectorsPerCluster & (sectorsPerCluster - 1))) throw bad(`BPB_SecPerClus ${sectorsPerCluster}`);
  const clusterBytes = sectorsPerCluster * bytesPerSector;
  if (clusterBytes > MAX_CLUSTER_BYTES) throw bad(`clusters of ${clusterBytes} bytes`);
  const reserved = v.getUint16(14, true);
  if (reserved < 1) throw bad('BPB_RsvdSecCnt 0');
  const fats = b[16];
  if (fats < 1 || fats > 4) throw bad(`BPB_NumFATs ${fats}`);
  if (v.getUint16(17, true) !== 0) throw bad('BPB_RootEntCnt is not 0 (FAT12 or FAT16)');
  if (v.getUint16(22, true) !== 0) throw bad('BPB_FATSz16 is not 0 (FAT12 or FAT16)');
  const totalSectors = v.getUint16(19, true) || v.getUint32(32, true);
  const fatSectors = v.getUint32(36, true);
  if (!fatSectors) throw bad('BPB_FATSz32 0');
  const extFlags = v.getUint16(40, true);
  if (v.getUint16(42, true) !== 0) throw bad(`BPB_FSVer ${v.getUint16(42, true)}`);
  const rootCluster = v.getUint32(44, true);
  const fsInfoSector = v.getUint16(48, true);
  const dataStart = reserved + fats * fatSectors;
  if (totalSectors * bytesPerSector > deviceBytes) {
    throw bad(`${totalSectors} sectors of ${bytesPerSector} bytes do not fit the ${deviceBytes}-byte device`);
  }
  if (dataStart >= totalSectors) throw bad('no room for data after the FATs');
  const clusterCount = Math.floor((totalSectors - dataStart) / sectorsPerCluster);
  if (clusterCount < 1 || clusterCount >= MAX_FAT32_CLUSTERS) throw bad(`${clusterCount} clusters`);
  if (fatSectors * bytesPerSector / 4 < clusterCount + 2) throw bad(`a FAT of ${fatSectors} sectors cannot map ${clusterCount} clusters`);
  if (rootCluster < 2 || rootCluster > clusterCount + 1) throw bad(`BPB_RootClus ${rootCluster}`);
  const mirrored = (extFlags & 0x80) === 0; // bit 7 clear: every FAT is kept the same (section 3.3)
  const activeFat = mirrored ? 0 : extFlags & 0x0f;
  if (activeFat >= fats) throw bad(`active FAT ${activeFat} of ${fats}`);
  return {
    bytesPerSector, sectorsPerCluster, clusterBytes, reserved, fats, fatSectors, totalSectors,
    rootCluster, dataStart, clusterCount, mirrored, activeFat,
    fsInfoSector: fsInfoSector > 0 && fsInfoSector < reserved ? fsInfoSector : 0,
    dirtyFlagOffset: 0x41, // BS_Reserved1: Linux and Windows keep "volume dirty" in bit 0
  };
}

/** Whether sector `s` is a valid FSInfo sector. */
export function isFsInfo(s) {
  const v = new DataView(s.buffer, s.byteOffset, s.byteLength);
  return s.length >= 512 && v.getUint32(0, true) === FSINFO_LEAD && v.getUint32(484, true) === FSINFO_STRUC &&
    v.getUint32(508, true) === FSINFO_TRAIL;
}
