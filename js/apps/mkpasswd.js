// Makes a user record for a users file (docs/sessions.md), reading the password from the
// first line of standard input, so that it never appears on a command line:
//   printf '%s\n' "$password" | ./rtjs rtjs:apps/mkpasswd.js alice admin [N]
// prints {"name":"alice","uid":0,"role":"admin","password":"scrypt$16384$8$1$..."}.
// N is scrypt's cost (a power of two, default 16384); uid 0 for admin, 1000 for a user
// (edit it when adding several).
import { readInput } from '../internal/input.js';
import { UserDb, SCRYPT_DEFAULTS } from '../services/sessions/users.js';

const [name, role = 'user', cost] = rt.argv;
if (!name) {
  console.error('usage: mkpasswd.js NAME [admin|user] [N]   (the password on standard input)');
  rt.exit(2);
}
const params = { ...SCRYPT_DEFAULTS, ...(cost ? { N: Number(cost) } : {}) };
let text = '';
const decoder = new TextDecoder();
readInput((bytes) => { text += decoder.decode(bytes, { stream: true }); }, async () => {
  const password = text.split(/\r?\n/)[0];
  try {
    const db = new UserDb({ params });
    const user = await db.add(name, role, password);
    const [record] = JSON.parse(db.toJson()).users;
    console.log(JSON.stringify({ ...record, uid: user.role === 'admin' ? 0 : 1000 }));
  } catch (err) {
    console.error(`mkpasswd: ${err.message}`);
    rt.exit(1);
  }
});
