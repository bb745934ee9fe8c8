/**
 * Running the built bin on a terminal: stdin, stdout and stderr on one pseudo-terminal from util-linux `script`,
 * with what is typed fed to it. Tests that need it are skipped where `script` is missing.
 */
import { execFileSync, spawn } from "node:child_process"
import { bin, environment } from "./cli.js"

/** Whether `script` (util-linux) is on the PATH. */
export const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
})()
if (!hasScript) console.warn("Terminal tests skipped: `script` (util-linux) is not on the PATH")

/** Runs `timtags args…` on a pseudo-terminal, typing `typed`; resolves with what the terminal showed. */
export const onTerminal = (
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>>,
  typed = ""
): Promise<{ readonly code: number | null; readonly screen: string }> =>
  new Promise((resolve, reject) => {
    const command = [process.execPath, bin, ...args].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(" ")
    const child = spawn("script", ["-qec", command, "/dev/null"], { env: environment(env), stdio: "pipe" })
    let screen = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (screen += chunk))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, screen }))
    child.stdin.end(typed)
  })
