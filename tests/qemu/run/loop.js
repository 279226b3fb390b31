// Runs until it is interrupted: says so once, then keeps a timer going forever.
console.log('looping');
setInterval(() => {}, 50);
