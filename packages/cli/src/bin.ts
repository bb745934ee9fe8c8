/** The `timtags` bin: runs the command line with the package's version. */
import { createRequire } from "node:module"
import * as Cli from "./Cli.js"

const { version } = createRequire(import.meta.url)("../package.json") as { readonly version: string }

Cli.main({ version })
