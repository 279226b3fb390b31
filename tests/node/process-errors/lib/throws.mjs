console.log('imported module runs');
throw new Error('thrown by an imported module');
