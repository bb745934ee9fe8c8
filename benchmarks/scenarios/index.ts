/**
 * Every benchmark scenario, in the order `run.ts` runs them (`pnpm bench NAME ...` picks some by name).
 * Add one by writing `scenarios/<name>.ts` exporting a `Scenario` and listing it here.
 */
import type { Scenario } from "../Scenario.js"
import { cappedThroughput } from "./capped-throughput.js"
import { coalescing } from "./coalescing.js"
import { memory } from "./memory.js"
import { multiprocess } from "./multiprocess.js"
import { naive } from "./naive.js"
import { overhead } from "./overhead.js"
import { sharing } from "./sharing.js"
import { strictServer } from "./strict-server.js"
import { sustainedLookups } from "./sustained-lookups.js"
import { tail } from "./tail.js"

export const scenarios: ReadonlyArray<Scenario> = [
  coalescing,
  sharing,
  sustainedLookups,
  cappedThroughput,
  strictServer,
  tail,
  overhead,
  naive,
  memory,
  multiprocess
]
