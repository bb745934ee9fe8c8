/**
 * `@timtags/cli`: the `timtags` command line for the Tencent Cloud Chat push API (tags, attributes, pushes),
 * on `effect/cli`.
 *
 * @since 0.3.0
 */

// An empty export keeps the comment above as the module's documentation for docgen (which takes
// the doc comment before a file's first statement, and every re-export below has its own).
export {}

/**
 * The `timtags` command tree, its exit codes, and `main` (what the bin runs).
 *
 * @since 0.3.0
 * @category modules
 */
export * as Cli from "./Cli.js"
