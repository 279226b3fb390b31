const dayjs = require('dayjs');
const utc = require('dayjs/plugin/utc');
dayjs.extend(utc);
const d = dayjs.utc('2024-02-28T10:20:30Z');
console.log(d.add(1, 'day').format('YYYY-MM-DD HH:mm:ss'), d.daysInMonth(), d.startOf('month').toISOString(), dayjs.utc('2020-01-01').diff(dayjs.utc('2019-01-01'), 'day'));
