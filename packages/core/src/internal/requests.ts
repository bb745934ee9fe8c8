/**
 * The requests behind `PushTags`, one per account and operation. Each goes through `Effect.request`
 * (or `Effect.requestUnsafe` for the many-account forms) into the resolver of its command, which
 * batches requests from any fiber into REST calls.
 */
import * as Request from "effect/Request"
import type { TimLookupError } from "../TimError.js"

/** One account's tags (`get_tag`). */
export class GetTags extends Request.Class<{ readonly account: string }, ReadonlyArray<string>, TimLookupError> {}

/** Add tags to one account, or with the replace resolver overwrite them (`add_tag`, at most 100 tags). */
export class AddTags
  extends Request.Class<{ readonly account: string; readonly tags: ReadonlyArray<string> }, void, TimLookupError>
{}

/** Remove some tags of one account (`remove_tag`). */
export class RemoveTags
  extends Request.Class<{ readonly account: string; readonly tags: ReadonlyArray<string> }, void, TimLookupError>
{}

/** Remove every tag of one account (`clear_all_tags`). */
export class ClearAllTags extends Request.Class<{ readonly account: string }, void, TimLookupError> {}

/** Any of them. */
export type Any = GetTags | AddTags | RemoveTags | ClearAllTags
