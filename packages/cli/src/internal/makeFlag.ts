/** Flag builders the commands share: a text flag with its metavar and description, required or optional. */
import { Flag } from "effect/cli"

/** `--name METAVAR`, required. */
export const text = (name: string, metavar: string, description: string) =>
  Flag.String(name).pipe(Flag.withDescription(description), Flag.withMetavar(metavar))

/** `--name METAVAR`, optional (`Option`). */
export const optionalText = (name: string, metavar: string, description: string) =>
  text(name, metavar, description).pipe(Flag.optional)

/** `--name`, off unless given. */
export const toggle = (name: string, description: string) =>
  Flag.Boolean(name).pipe(Flag.withDescription(description), Flag.withDefault(false))
