// `common` for Node's ES module tests (`import ... from '../common/index.mjs'`): the same
// helper as index.js, with each of its members as a named export.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const common = require('./index.js');

export const {
  mustCall, mustCallAtLeast, mustNotCall, mustSucceed, expectsError, expectWarning,
  invalidArgTypeHelper, skip, printSkipMessage, skipIf32Bits, skipIfInspectorDisabled,
  skipIfSQLiteMissing, skipIfDumbTerminal, getArrayBufferViews, getBufferSources,
  mustNotMutateObjectDeep, platformTimeout, allowGlobals, enoughTestMem, hasIntl, hasCrypto,
  hasOpenSSL3, hasSQLite, hasIPv6, hasMultiLocalhost, isMainThread, isWindows, isLinux, isMacOS,
  isOSX, isAIX, isSunOS, isIBMi, isFreeBSD, isOpenBSD, isDumbTerminal, isDebug, isPi, isASan, PORT,
  localhostIPv4, localIPv6Hosts,
} = common;
export default common;
