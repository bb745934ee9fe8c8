/**
 * Starting, pausing and stopping a private `redis-server` on loopback, for the tests and the multi-process benchmark.
 * Nothing is persisted (`--save ''`, `--appendonly no`).
 */
import { type ChildProcess, spawn } from "node:child_process"
import { accessSync, constants } from "node:fs"
import * as Net from "node:net"
import * as Os from "node:os"
import * as Path from "node:path"

/** The `redis-server` binary on PATH (or in the usual Debian places), or `undefined`. */
export const findRedisServer = (): string | undefined => {
  const dirs = [...(process.env.PATH ?? "").split(Path.delimiter), "/usr/bin", "/usr/sbin", "/usr/local/bin"]
  for (const dir of dirs) {
    if (dir === "") continue
    const candidate = Path.join(dir, "redis-server")
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

/** A free TCP port on loopback (free when asked; another process could take it before it is used). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = Net.createServer()
    server.unref()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

/** A running server. */
export interface RedisServer {
  readonly port: number
  readonly url: string
  /** Its process id (to kill it with SIGKILL, or change its priority). */
  readonly pid: number
  /** Stops it (SIGTERM, then SIGKILL after 5 s) and resolves once the process has exited. */
  readonly stop: () => Promise<void>
  /** Freezes it (SIGSTOP): connections stay open, nothing is answered. */
  readonly pause: () => void
  /** Lets a paused server run again (SIGCONT): it answers what was sent meanwhile. */
  readonly resume: () => void
}

const startOnce = (binary: string, port: number): Promise<RedisServer> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      binary,
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", Os.tmpdir()],
      { stdio: ["ignore", "pipe", "pipe"] }
    )
    let output = ""
    let ready = false
    const exited = new Promise<void>((done) => child.once("exit", () => done()))
    const running = () => child.exitCode === null && child.signalCode === null
    const pause = () => {
      if (running()) child.kill("SIGSTOP")
    }
    const resume = () => {
      if (running()) child.kill("SIGCONT")
    }
    const stop = async () => {
      if (!running()) return
      resume()
      child.kill("SIGTERM")
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000)
      await exited
      clearTimeout(timer)
    }
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`redis-server did not start on port ${port} within 10 s:\n${output.slice(-2000)}`))
    }, 10_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (!ready && output.includes("Ready to accept connections")) {
        ready = true
        clearTimeout(timer)
        resolve({ port, url: `redis://127.0.0.1:${port}`, pid: child.pid!, stop, pause, resume })
      }
    }
    child.stdout?.on("data", onData)
    child.stderr?.on("data", onData)
    child.once("error", (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.once("exit", (code, signal) => {
      if (!ready) {
        clearTimeout(timer)
        reject(new Error(`redis-server exited (${code ?? signal}) before it was ready:\n${output.slice(-2000)}`))
      }
    })
  })

/** Starts `redis-server` on `port` (default: a free one), resolving once it accepts connections. */
export const startRedisServer = async (options: { readonly binary?: string; readonly port?: number } = {}) => {
  const binary = options.binary ?? findRedisServer()
  if (binary === undefined) throw new Error("redis-server not found on PATH (run .ci/setup-redis.sh)")
  if (options.port !== undefined) return startOnce(binary, options.port)
  let lastError: unknown
  // A free port can be taken between asking and binding: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(binary, await freePort())
    } catch (error) {
      lastError = error
    }
  }
  throw lastError
}
