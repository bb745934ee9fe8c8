/** Removes credentials from any text that might reach an error message, a log or a span. */

const credentialParam = /((?:^|[?&\s"'])(?:usersig|sig|secretkey|key)=)[^&\s"']*/gi

/** Replaces the values of `usersig=`/`key=`-like parameters with `<redacted>`. */
export const scrub = (text: string): string => text.replace(credentialParam, "$1<redacted>")

/** A short, credential-free description of an unknown failure cause. */
export const describeCause = (cause: unknown): string => {
  const text = cause instanceof Error
    ? [cause.message, cause.cause instanceof Error ? cause.cause.message : ""].filter((s) => s !== "").join(": ")
    : String(cause)
  const short = text.length > 200 ? `${text.slice(0, 197)}...` : text
  return scrub(short)
}
