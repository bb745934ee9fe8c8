/** The flags of the attribute writes: `--attr NAME=VALUE` and `--name NAME`, each repeatable. */
import { Flag } from "effect/cli"

/** `--attr NAME=VALUE`, one or more times: values by attribute name. */
export const values = Flag.KeyValuePair("attr").pipe(
  Flag.withDescription("An attribute's value, by the attribute's name; repeat for several (--attr city=Lisbon)"),
  Flag.withMetavar("NAME=VALUE")
)

/** `--name NAME`, one or more times: attribute names. */
export const names = Flag.String("name").pipe(
  Flag.withDescription("An attribute's name; repeat for several (--name city --name tier)"),
  Flag.withMetavar("NAME"),
  Flag.atLeast(1)
)
