// node:util's parseArgs: command-line arguments into option values and positionals, with
// the tokens it read them as. The grammar is the Open Group's Utility Syntax Guidelines
// (XBD 12.2) as Node applies it: `-abc` is a group of short options unless its first
// option takes a string, `-fVALUE` and `--name=value` carry their value inline, a string
// option takes the next argument whatever it looks like, and everything after `--` is a
// positional. Errors are Node's: ERR_PARSE_ARGS_* as TypeErrors with Node's wording.
import { codedError } from './modules/errors.js';
import { invalidArgType, invalidArgValue } from './node-errors.js';

const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

function optionGet(options, name, key) {
  return hasOwn(options, name) ? options[name][key] : undefined;
}

/** The long name whose `short` is `letter`, or the letter itself when none claims it. */
function longFor(letter, options) {
  for (const name of Object.keys(options)) if (options[name].short === letter) return name;
  return letter;
}

function takesString(options, name) { return optionGet(options, name, 'type') === 'string'; }

const isLoneShort = (arg) => arg.length === 2 && arg[0] === '-' && arg[1] !== '-';
const isLoneLong = (arg) => arg.length > 2 && arg.startsWith('--') && !arg.includes('=', 3);
const isLongWithValue = (arg) => arg.length > 2 && arg.startsWith('--') && arg.includes('=', 3);
const isShortGroup = (arg, options) => arg.length > 2 && arg[0] === '-' && arg[1] !== '-' &&
  !takesString(options, longFor(arg[1], options));
const isShortWithValue = (arg, options) => arg.length > 2 && arg[0] === '-' && arg[1] !== '-' &&
  takesString(options, longFor(arg[1], options));
// A value read from the next argument that looks like an option: in strict mode, more likely
// a forgotten value than a value starting with a dash.
const looksLikeOption = (value) => typeof value === 'string' && value.length > 1 && value[0] === '-';

function optionToken(name, rawName, index, value, inlineValue) {
  return { kind: 'option', name, rawName, index, value, inlineValue };
}

/** The arguments as Node's tokens: option, positional and option-terminator. */
function tokenize(args, options) {
  const tokens = [];
  const rest = args.slice();
  let index = -1;
  let inGroup = 0;   // pieces of an expanded short group left: they share the group's index
  while (rest.length > 0) {
    const arg = rest.shift();
    if (inGroup > 0) inGroup--; else index++;
    if (arg === '--') {
      tokens.push({ kind: 'option-terminator', index });
      for (const value of rest) tokens.push({ kind: 'positional', index: ++index, value });
      break;
    }
    // `-f` or `--name` alone: a string option takes the next argument as its value (a string
    // option is last in its short group, so that is the next argument too).
    if (isLoneShort(arg) || isLoneLong(arg)) {
      const name = isLoneShort(arg) ? longFor(arg[1], options) : arg.slice(2);
      const at = index;
      if (takesString(options, name) && rest.length > 0) {
        index++;
        tokens.push(optionToken(name, arg, at, rest.shift(), false));
      } else tokens.push(optionToken(name, arg, at, undefined, undefined));
      continue;
    }
    if (isShortGroup(arg, options)) {
      const pieces = [];
      for (let i = 1; i < arg.length; i++) {
        const letter = arg[i];
        if (!takesString(options, longFor(letter, options)) || i === arg.length - 1) pieces.push(`-${letter}`);
        else { pieces.push(`-${arg.slice(i)}`); break; }
      }
      rest.unshift(...pieces);
      inGroup = pieces.length;
      continue;
    }
    if (isShortWithValue(arg, options)) {
      tokens.push(optionToken(longFor(arg[1], options), `-${arg[1]}`, index, arg.slice(2), true));
      continue;
    }
    if (isLongWithValue(arg)) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq);
      tokens.push(optionToken(name, `--${name}`, index, arg.slice(eq + 1), true));
      continue;
    }
    tokens.push({ kind: 'positional', index, value: arg });
  }
  return tokens;
}

function parseArgsError(code, message) { return codedError(TypeError, code, message); }

function unknownOption(rawName, allowPositionals) {
  const hint = allowPositionals
    ? `. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- ${JSON.stringify(rawName)}`
    : '';
  return parseArgsError('ERR_PARSE_ARGS_UNKNOWN_OPTION', `Unknown option '${rawName}'${hint}`);
}

/** The option a `--no-name` token negates, when negation is allowed and it is not a string option. */
function negated(token, options, allowNegative) {
  if (!allowNegative || !token.rawName.startsWith('--no-') || token.value !== undefined) return null;
  const base = token.name.slice(3);
  return takesString(options, base) ? null : base;
}

function checkOption(token, options, allowPositionals, allowNegative) {
  const base = negated(token, options, allowNegative);
  const name = base ?? token.name;
  if (!hasOwn(options, name) || (base !== null && optionGet(options, base, 'type') !== 'boolean')) {
    throw unknownOption(token.rawName, allowPositionals);
  }
  const short = options[name].short;
  const both = short ? `-${short}, --${name}` : `--${name}`;
  if (options[name].type === 'string' && typeof token.value !== 'string') {
    throw parseArgsError('ERR_PARSE_ARGS_INVALID_OPTION_VALUE', `Option '${both} <value>' argument missing`);
  }
  if (options[name].type === 'boolean' && token.value !== undefined) {
    throw parseArgsError('ERR_PARSE_ARGS_INVALID_OPTION_VALUE', `Option '${both}' does not take an argument`);
  }
  if (!token.inlineValue && looksLikeOption(token.value)) {
    const example = token.rawName.startsWith('--') ? `'--${name}=-XYZ'` : `'--${name}=-XYZ' or '${token.rawName}-XYZ'`;
    throw parseArgsError('ERR_PARSE_ARGS_INVALID_OPTION_VALUE',
      `Option '${token.rawName}' argument is ambiguous.\nDid you forget to specify the option argument for '${token.rawName}'?\nTo specify an option argument starting with a dash use ${example}.`);
  }
}

function store(values, options, name, value) {
  if (name === '__proto__') return;   // values has no prototype; this name would give it one
  if (optionGet(options, name, 'multiple')) (values[name] ??= []).push(value);
  else values[name] = value;
}

function checkType(value, type, name) {
  if (typeof value !== type) throw invalidArgType(name, type, value);
}

function validateOptions(options) {
  for (const [name, config] of Object.entries(options)) {
    const where = `options.${name}`;
    if (config === null || typeof config !== 'object') throw invalidArgType(where, 'object', config);
    const { type, short, multiple, default: fallback } = config;
    if (type !== 'string' && type !== 'boolean') throw invalidArgType(`${where}.type`, ["'string'", "'boolean'"], type);
    if (hasOwn(config, 'short')) {
      checkType(short, 'string', `${where}.short`);
      if (short.length !== 1) throw invalidArgValue(`${where}.short`, short, 'must be a single character');
    }
    if (hasOwn(config, 'multiple')) checkType(multiple, 'boolean', `${where}.multiple`);
    if (fallback === undefined) continue;
    if (multiple) {
      if (!Array.isArray(fallback)) throw invalidArgType(`${where}.default`, 'Array', fallback);
      fallback.forEach((v, i) => checkType(v, type, `${where}.default[${i}]`));
    } else checkType(fallback, type, `${where}.default`);
  }
}

// Node reads process.argv past the program and its script, or past the program alone when
// the code came from -e/-p.
const EVAL_FLAGS = new Set(['-e', '--eval', '-p', '--print', '-pe']);
function defaultArgs() {
  const { argv, execArgv } = globalThis.process;
  const evaluated = execArgv.some((a) => EVAL_FLAGS.has(a) || a.startsWith('--eval=') || a.startsWith('--print='));
  return argv.slice(evaluated ? 1 : 2);
}

/** node:util parseArgs(config). */
export function parseArgs(config = { __proto__: null }) {
  if (config === null || typeof config !== 'object') throw invalidArgType('config', 'object', config);
  const args = config.args ?? defaultArgs();
  const strict = config.strict ?? true;
  const allowPositionals = config.allowPositionals ?? !strict;
  const wantTokens = config.tokens ?? false;
  const allowNegative = config.allowNegative ?? false;
  const options = config.options ?? { __proto__: null };
  if (!Array.isArray(args)) throw invalidArgType('args', 'Array', args);
  args.forEach((a, i) => checkType(a, 'string', `args[${i}]`));
  checkType(strict, 'boolean', 'strict');
  checkType(allowPositionals, 'boolean', 'allowPositionals');
  checkType(wantTokens, 'boolean', 'tokens');
  checkType(allowNegative, 'boolean', 'allowNegative');
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw invalidArgType('options', 'object', options);
  validateOptions(options);

  const values = { __proto__: null };
  const positionals = [];
  const tokens = tokenize(args, options);
  for (const token of tokens) {
    if (token.kind === 'option') {
      if (strict) checkOption(token, options, allowPositionals, allowNegative);
      const base = negated(token, options, allowNegative);
      if (base !== null) store(values, options, base, false);
      else store(values, options, token.name, token.value ?? true);
    } else if (token.kind === 'positional') {
      if (!allowPositionals) {
        throw parseArgsError('ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL',
          `Unexpected argument '${token.value}'. This command does not take positional arguments`);
      }
      positionals.push(token.value);
    }
  }
  for (const [name, config] of Object.entries(options)) {
    if (name !== '__proto__' && config.default !== undefined && values[name] === undefined) values[name] = config.default;
  }
  const result = { values, positionals };
  if (wantTokens) result.tokens = tokens;
  return result;
}
