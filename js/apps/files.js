// The file service app: holds the disk its parent granted it (a virtio-blk function's
// resources), mounts it at /disk, and exports the file service (js/services/vfs/service.js):
// forApp(app, grant) makes the interface to grant one app as rt.grants.fs.
import { appVfs } from '../services/vfs/namespace.js';
import { fileService } from '../services/vfs/service.js';

const vfs = await appVfs();
const service = fileService(vfs);

rt.export({
  /** The interface for one app: what it may reach ({ read: [...], write: [...] }). */
  forApp: (app, grant) => service.forApp(app, grant),
  /** Closes an app's open files (after its grant was revoked). */
  revoke: (app) => service.revoke(app),
  /** How many files an app has open. */
  openFiles: (app) => service.openFiles(app),
  /** The mount table: [{ path, fs, readOnly }]. */
  mounts: () => vfs.mounts(),
  /** Writes everything back. */
  sync: () => vfs.sync(),
  /** Writes everything back and unmounts every disk, marked clean: before the service is ended. */
  async shutdown() {
    for (const m of vfs.mounts().reverse()) if (m.path !== '/') await vfs.unmount(m.path);
  },
});
