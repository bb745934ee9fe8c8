#!/usr/bin/env node
// Command-line entry for the emulator; the implementation is the compiled `dist/bin.js`.
import "../dist/bin.js"
