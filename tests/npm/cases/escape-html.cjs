console.log(require('escape-html')('<script>alert("x") & \'y\'</script>'));
