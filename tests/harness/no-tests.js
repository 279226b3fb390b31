// Imports the harness and registers nothing: it prints no summary, and exits 0.
import '../js/harness.js';
