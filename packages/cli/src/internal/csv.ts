/**
 * CSV as RFC 4180 writes it: fields separated by commas, a field quoted with `"` when it holds a comma, a
 * quote, a line break or outer spaces, and `""` for a quote inside quotes. Parsing is by line, so that a
 * file streams: a record whose quoted field spans lines is completed by the lines that follow.
 */

/** The fields of one record, or `undefined` while a quoted field is still open at the end of `text`. */
export const parseRecord = (text: string): ReadonlyArray<string> | undefined => {
  const fields: Array<string> = []
  let field = ""
  let quoted = false
  let i = 0
  while (i < text.length) {
    const char = text[i]!
    if (quoted) {
      if (char !== "\"") field += char
      else if (text[i + 1] === "\"") {
        field += "\""
        i++
      } else quoted = false
    } else if (char === "\"") quoted = true
    else if (char === ",") {
      fields.push(field)
      field = ""
    } else field += char
    i++
  }
  if (quoted) return undefined
  fields.push(field)
  return fields
}

const needsQuotes = /[",\r\n]|^\s|\s$/

/** One field, quoted when it has to be. */
export const formatField = (value: string): string =>
  needsQuotes.test(value) ? `"${value.replaceAll("\"", "\"\"")}"` : value

/** One record as a line, without the line break. */
export const formatRecord = (fields: ReadonlyArray<string>): string => fields.map(formatField).join(",")

/**
 * A line-by-line parser: `push` takes the next line and returns the record it completes (or `undefined`
 * while a quoted field goes on); `pending` says whether a record is still open.
 */
export const lineParser = () => {
  let open: string | undefined
  return {
    push: (line: string): ReadonlyArray<string> | undefined => {
      const text = open === undefined ? line : `${open}\n${line}`
      const record = parseRecord(text)
      open = record === undefined ? text : undefined
      return record
    },
    get pending(): boolean {
      return open !== undefined
    }
  }
}
