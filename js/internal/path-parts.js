// What node:path's POSIX and Windows flavours share: resolving '.' and '..', and finding the
// last part of a path and its extension.

// The last part of path[from..] (separators: isSep(c)) split as Node does: { startPart, startDot, end } where a
// leading dot (".profile") or a name of dots only ("..") has no extension. partFrom is where
// the part starts when no separator precedes it (Node's POSIX parse counts from 0 past a
// root "/", which makes "/.." a name "." with the extension ".").
export function lastPart(path, from, isSep, partFrom = from) {
  let startDot = -1;
  let startPart = partFrom;
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


/**
 * basename as Node computes it: the last part of path[start..], without `suffix` when the
 * part ends with it (and is not only it).
 */
export function basenameOf(path, suffix, start, isSep) {
  let end = -1;
  let matchedSlash = true;
  if (suffix !== undefined && suffix.length > 0 && suffix.length <= path.length) {
    if (suffix === path) return '';
    let extIdx = suffix.length - 1;
    let firstNonSlashEnd = -1;
    for (let i = path.length - 1; i >= start; --i) {
      const c = path[i];
      if (isSep(c)) {
        if (!matchedSlash) { start = i + 1; break; }
      } else {
        if (firstNonSlashEnd === -1) { matchedSlash = false; firstNonSlashEnd = i + 1; }
        if (extIdx >= 0) {
          if (c === suffix[extIdx]) {
            if (--extIdx === -1) end = i; // the suffix matched: the name ends before it
          } else {
            extIdx = -1;
            end = firstNonSlashEnd;
          }
        }
      }
    }
    if (start === end) end = firstNonSlashEnd;
    else if (end === -1) end = path.length;
    return path.slice(start, end);
  }
  for (let i = path.length - 1; i >= start; --i) {
    if (isSep(path[i])) {
      if (!matchedSlash) { start = i + 1; break; }
    } else if (end === -1) {
      matchedSlash = false;
      end = i + 1;
    }
  }
  return end === -1 ? '' : path.slice(start, end);
}

// Resolves '.' and '..' in `path` split at `separators`, joined again with `joiner`; a '..'
// above the start is kept only when allowAboveRoot (a relative path).
export function normalizeSegments(path, allowAboveRoot, separators, joiner) {
  const out = [];
  for (const seg of path.split(separators)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (allowAboveRoot) out.push('..');
    } else {
      out.push(seg);
    }
  }
  return out.join(joiner);
}
