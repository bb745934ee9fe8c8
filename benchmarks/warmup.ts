/**
 * Warms an emulator process up before a scenario measures the rate limit at it: a freshly started emulator
 * handles its first requests several times slower than later ones (its JIT is cold), and since it stamps
 * arrivals on its own event loop, that lag would look like arrival bunching caused by the client. A real
 * gateway is always warm. The warm-up calls go around the client (raw HTTP, with the limit lifted meanwhile),
 * so the client itself is measured cold, as an application's first large batch would be.
 */
import { UserSigVerifier } from "@timtags/emulator"
import { chunksOf } from "./accounts.js"
import { app, type EmulatorProcess } from "./emulator.js"
import { getTagUrl } from "./raw.js"
import { mapConcurrent } from "./stats.js"

/** `calls` raw 100-account `get_tag` calls over `accounts`, 16 at a time; then the limit is restored and the log emptied. */
export const warmUp = async (
  emulator: EmulatorProcess,
  accounts: ReadonlyArray<string>,
  calls = 300
): Promise<void> => {
  const settings = await emulator.rateLimit()
  await emulator.setRateLimit(0)
  const userSig = UserSigVerifier.signUserSig({
    sdkAppId: app.sdkAppId,
    secretKey: app.secretKey,
    identifier: app.admin
  })
  const bodies = chunksOf(accounts.slice(0, 100 * calls), 100)
  await mapConcurrent(Array.from({ length: calls }, (_, i) => bodies[i % bodies.length]!), 16, async (chunk) => {
    const res = await fetch(getTagUrl(emulator.baseUrl, userSig), {
      method: "POST",
      body: JSON.stringify({ To_Account: chunk }),
      headers: { "content-type": "application/json" }
    })
    await res.text()
  })
  await emulator.restoreRateLimit(settings)
  await emulator.resetCalls()
}
