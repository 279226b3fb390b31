import chalk, { Chalk } from 'chalk';
const c = new Chalk({ level: 1 });
console.log(JSON.stringify(c.red.bold('hi')), JSON.stringify(chalk.green('plain when no colour support')), chalk.level);
