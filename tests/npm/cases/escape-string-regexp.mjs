import escape from 'escape-string-regexp';
console.log(escape('How much $ for a 🦄? (a|b) [x] {1}'));
