// A file that cannot run here says why and exits 77.
console.log('skipped: nothing to test on');
rt.exit(77);
