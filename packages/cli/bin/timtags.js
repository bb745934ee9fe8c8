#!/usr/bin/env node
// Command-line entry for timtags; the implementation is the compiled `dist/bin.js`.
import "../dist/bin.js"
