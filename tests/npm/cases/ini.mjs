import ini from 'ini';
const cfg = ini.parse('; comment\nscope = global\n[database]\nuser = dbuser\nport = 5432\n[paths.default]\ndatadir = /var/lib\n');
console.log(JSON.stringify(cfg));
console.log(ini.stringify({ section: { key: 'value', n: 1 } }));
