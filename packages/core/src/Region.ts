/**
 * The data centres of Tencent Cloud Chat and their REST API domains. An SDKAppID lives in exactly
 * one of them; calling another region's domain fails with 60026/70016/70020.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"

/**
 * A Chat data centre.
 *
 * @since 0.1.0
 * @category models
 */
export type Region =
  | "China"
  | "Singapore"
  | "Seoul"
  | "Tokyo"
  | "Frankfurt"
  | "SiliconValley"
  | "Jakarta"
  | "Riyadh"

/**
 * Every region, in the order Tencent's documentation lists them.
 *
 * @since 0.1.0
 * @category constants
 */
export const all: ReadonlyArray<Region> = [
  "China",
  "Singapore",
  "Seoul",
  "Tokyo",
  "Frankfurt",
  "SiliconValley",
  "Jakarta",
  "Riyadh"
]

/**
 * The primary REST domain and the documented backup domain of each region. Riyadh, which only
 * Tencent's newer pages list (scheduled tasks, web push), has no documented backup domain: a client
 * for it has none, so its calls stay on the primary domain when it cannot be reached (give
 * `TimConfig`'s `backupBaseUrl` once Tencent documents one).
 *
 * @since 0.1.0
 * @category constants
 */
export const domains: {
  readonly [R in Region]: { readonly primary: string; readonly backup: string | undefined }
} = {
  China: { primary: "console.tim.qq.com", backup: "adminapi.my-imcloud.com" },
  Singapore: { primary: "adminapisgp.im.qcloud.com", backup: "adminapisgp.my-imcloud.com" },
  Seoul: { primary: "adminapikr.im.qcloud.com", backup: "adminapikr.my-imcloud.com" },
  Tokyo: { primary: "adminapijpn.im.qcloud.com", backup: "adminapijpn.my-imcloud.com" },
  Frankfurt: { primary: "adminapiger.im.qcloud.com", backup: "adminapiger.my-imcloud.com" },
  SiliconValley: { primary: "adminapiusa.im.qcloud.com", backup: "adminapiusa.my-imcloud.com" },
  Jakarta: { primary: "adminapiidn.im.qcloud.com", backup: "adminapiidn.my-imcloud.com" },
  Riyadh: { primary: "adminapiksa.im.qcloud.com", backup: undefined }
}

/**
 * The HTTPS base URL of a region's REST API (no trailing slash).
 *
 * @since 0.1.0
 * @category constructors
 */
export const baseUrl = (region: Region): string => `https://${domains[region].primary}`

/**
 * The HTTPS base URL of a region's documented backup domain (no trailing slash); `undefined` for a
 * region without one (Riyadh).
 *
 * @since 0.1.0
 * @category constructors
 */
export const backupBaseUrl = (region: Region): string | undefined => {
  const { backup } = domains[region]
  return backup === undefined ? undefined : `https://${backup}`
}

const aliases: ReadonlyArray<readonly [Region, ReadonlyArray<string>]> = [
  ["China", ["china", "cn", "zh", "console"]],
  ["Singapore", ["singapore", "sgp", "sg"]],
  ["Seoul", ["seoul", "kr", "korea"]],
  ["Tokyo", ["tokyo", "jpn", "jp", "japan"]],
  ["Frankfurt", ["frankfurt", "ger", "de", "germany"]],
  ["SiliconValley", ["siliconvalley", "silicon-valley", "silicon valley", "usa", "us"]],
  ["Jakarta", ["jakarta", "idn", "id", "indonesia"]],
  ["Riyadh", ["riyadh", "ksa", "sa", "saudi-arabia", "saudi arabia"]]
]

/**
 * Reads a region from text such as `Singapore`, `sgp` or `silicon-valley`: the one rule for every
 * way a region is given (code options and `TIM_REGION`). Case and surrounding spaces do not matter,
 * `_` counts as `-`, and each region also goes by its domain's code and country (`jpn`, `japan`).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (text: string): Option.Option<Region> => {
  const wanted = text.trim().toLowerCase().replace(/_/g, "-")
  const found = aliases.find(([, names]) => names.includes(wanted))
  return found ? Option.some(found[0]) : Option.none()
}
