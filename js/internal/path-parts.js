// What node:path's POSIX and Windows flavours share: finding the last part of a path and
// its extension.

// The last part of path[from..] (separators: isSep(c)) split as Node does: { startPart, startDot, end } where a
// leading dot (".profile") or a name of dots only ("..") has no extension.
export function lastPart(path, from, isSep) {
  let startDot = -1;
  let startPart = from;
  let end = -1;
  let matchedSlash = true;
  let preDotState = 0; // 0: nothing after the dot yet, 1: a name before it, -1: other
  for (let i = path.length - 1; i >= from; --i) {
    const c = path[i];
    if (isSep(c)) {
      if (!matchedSlash) { startPart = i + 1; break; }
      continue;
    }
    if (end === -1) { matchedSlash = false; end = i + 1; }
    if (c === '.') {
      if (startDot === -1) startDot = i;
      else if (preDotState !== 1) preDotState = 1;
    } else if (startDot !== -1) {
      preDotState = -1;
    }
  }
  const noExt = startDot === -1 || end === -1 || preDotState === 0 ||
    (preDotState === 1 && startDot === end - 1 && startDot === startPart + 1);
  return { startPart, startDot: noExt ? -1 : startDot, end };
}

