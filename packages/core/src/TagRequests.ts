/**
 * The requests `PushTags` sends to its batched resolvers, one class per command. Each resolves to
 * one account's outcome; resolvers fan call results out by `To_Account`.
 *
 * @since 0.1.0
 */
import * as Request from "effect/Request"
import type { TimLookupError } from "./TimError.js"

/**
 * Look up one account's tags (`get_tag`).
 *
 * @since 0.1.0
 * @category requests
 */
export class GetTags extends Request.TaggedClass("GetTags")<ReadonlyArray<string>, TimLookupError, {
  readonly account: string
}> {}

/**
 * Add tags to one account, or replace all its tags (`add_tag`; at most 10 tags when adding).
 *
 * @since 0.1.0
 * @category requests
 */
export class AddTags extends Request.TaggedClass("AddTags")<void, TimLookupError, {
  readonly account: string
  readonly tags: ReadonlyArray<string>
  readonly replace: boolean
}> {}

/**
 * Remove some tags of one account (`remove_tag`).
 *
 * @since 0.1.0
 * @category requests
 */
export class RemoveTags extends Request.TaggedClass("RemoveTags")<void, TimLookupError, {
  readonly account: string
  readonly tags: ReadonlyArray<string>
}> {}

/**
 * Remove every tag of one account (`clear_all_tags`).
 *
 * @since 0.1.0
 * @category requests
 */
export class ClearAllTags extends Request.TaggedClass("ClearAllTags")<void, TimLookupError, {
  readonly account: string
}> {}

/**
 * Any request of the tag family.
 *
 * @since 0.1.0
 * @category requests
 */
export type TagRequest = GetTags | AddTags | RemoveTags | ClearAllTags
