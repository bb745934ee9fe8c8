/** Naming the scripts and functions of V8 profiles (CPU and allocation) for the profiling tools. */

/** A profile's call frame. */
export interface CallFrame {
  readonly functionName: string
  readonly url: string
  readonly lineNumber: number
}

/** The package (or Node itself) a script URL belongs to. */
export const packageOf = (url: string): string => {
  const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url) ??
    /packages\/([^/]+)\/dist/.exec(url)
  return match?.[1] ?? (url === "" ? "(native / V8)" : url.startsWith("node:") ? "node" : url.replace(/^.*\//, ""))
}

/** `function package file:line`. */
export const frameName = (frame: CallFrame): string =>
  `${frame.functionName || "(anonymous)"} ${packageOf(frame.url)} ${frame.url.replace(/^.*\/(dist|src)\//, "")}:${
    frame.lineNumber + 1
  }`

/** `--root DIR` (the checkout whose packages a tool's child uses) taken out of a tool's arguments. */
export const rootOption = (
  args: ReadonlyArray<string>
): { readonly root: string | undefined; readonly rest: ReadonlyArray<string> } => {
  const at = args.indexOf("--root")
  return at < 0
    ? { root: undefined, rest: args }
    : { root: args[at + 1], rest: args.filter((_, i) => i !== at && i !== at + 1) }
}

/** Tags of the accounts the tools seed: every third account has two. */
export const seededTags = (i: number): ReadonlyArray<string> => (i % 3 === 0 ? ["vip", "beta"] : [])
