/**
 * The benchmark's baseline: a worker that does what `examples/edge-worker.ts` does with no library at
 * all — one bare `fetch` of `get_tag` with a UserSig precomputed outside (binding `USERSIG`), the
 * answer parsed and sent back as JSON. The difference in latency is what `PushTags` adds per request.
 */
interface Env {
  readonly BASE_URL: string
  readonly SDKAPPID: string
  readonly USERSIG: string
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const accounts = new URL(request.url).searchParams.getAll("account")
    const random = crypto.getRandomValues(new Uint32Array(1))[0]!
    const query = new URLSearchParams({
      sdkappid: env.SDKAPPID,
      identifier: "administrator",
      usersig: env.USERSIG,
      random: String(random),
      contenttype: "json"
    })
    const upstream = await fetch(`${env.BASE_URL}/v4/timpush/get_tag?${query}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ To_Account: accounts })
    })
    const answer = (await upstream.json()) as {
      UserTags?: ReadonlyArray<{ To_Account: string; Tags?: ReadonlyArray<string> }>
    }
    const tags: Record<string, ReadonlyArray<string>> = {}
    for (const entry of answer.UserTags ?? []) tags[entry.To_Account] = entry.Tags ?? []
    return Response.json({ tags, errors: {} })
  }
}
