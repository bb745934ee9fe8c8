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
