// Imports the harness and registers nothing: the harness must end it with status 1.
import '../js/harness.js';
