/** The flags of the tag writes: `--tag` (repeatable) and `--replace`. */
import { Flag } from "effect/cli"
import * as MakeFlag from "./makeFlag.js"

/** `--tag TAG`, one or more times. */
export const tags = Flag.String("tag").pipe(
  Flag.withAlias("t"),
  Flag.withDescription("A tag; repeat for several (--tag vip --tag beta)"),
  Flag.withMetavar("TAG"),
  Flag.atLeast(1)
)

/** `--replace`: the tags given become the account's only tags. */
export const replace = MakeFlag.toggle(
  "replace",
  "Replace all of each account's tags with the ones given, instead of adding them"
)
