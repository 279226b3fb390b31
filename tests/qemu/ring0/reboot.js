// init reboots the machine (ring0/reboot-from-javascript).
console.log('rebooting from JavaScript');
rt.reboot();
