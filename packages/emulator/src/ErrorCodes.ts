/**
 * Every error code the emulator answers with, by name, and the `ErrorInfo` text it sends. Codes come from the
 * Chat documentation (spec §4, §5) except `UserTagLimit` and `AppTagLimit`, which the documentation leaves
 * open and the emulator chose (see the package README).
 *
 * @since 0.1.0
 */

// An empty export keeps the comment above as the module's documentation for docgen (which takes the doc
// comment before a file's first statement).
export {}

/**
 * The codes, by name.
 *
 * @since 0.1.0
 * @category constants
 */
export const ErrorCode = {
  /** Bad HTTP request: not POST, `contenttype` not `json`, or `random` missing / not a 32-bit unsigned integer. */
  HttpParse: 60002,
  /** Body is not JSON (`im_open_login_svc` commands). */
  JsonParse: 60003,
  /** Too many calls to this command in the last second. */
  RateLimited: 60007,
  /** Unknown `/v4/...` path. */
  ResourceNotFound: 60009,
  /** Caller is not the app admin (non-`timpush` commands). */
  AdminRequired: 60010,
  /** `sdkappid` missing or not a number. */
  SdkAppIdMissing: 60012,
  /** UserSig expired. */
  UserSigExpired: 70001,
  /** `usersig` missing or empty. */
  UserSigEmpty: 70002,
  /** UserSig cannot be decoded. */
  UserSigInvalid: 70003,
  /** UserSig signature does not verify (another key). */
  UserSigMismatch: 70009,
  /** `identifier` differs from the UserSig's identifier. */
  IdentifierMismatch: 70013,
  /** `sdkappid` differs from the UserSig's SDKAppID. */
  SdkAppIdMismatch: 70014,
  /** `sdkappid` is not this emulator's app. */
  SdkAppIdUnknown: 70020,
  /** Account does not exist (per account, in `ErrorList`). */
  AccountNotFound: 70107,
  /** Body has the wrong shape or too many accounts (`im_open_login_svc` commands). */
  InvalidParameter: 70402,
  /** Body is not JSON or has the wrong shape (`timpush` commands). */
  BodyInvalid: 90001,
  /** Caller is not the app admin (`timpush` commands). */
  PushAdminRequired: 90009,
  /** More than 100 accounts in one request (`timpush` commands). */
  TooManyAccounts: 90018,
  /** A tag is longer than 50 UTF-8 bytes. */
  TagTooLong: 90020,
  /** Too many tags in one `add_tag` entry (10, or 100 with `Replace: 1`). */
  TooManyTags: 90032,
  /** Emulator's choice: the account would hold more than 100 tags (per account, in `ErrorList`). */
  UserTagLimit: 90036,
  /** Emulator's choice: the app would hold more than 1000 distinct tags (per account, in `ErrorList`). */
  AppTagLimit: 90037,
  /** An empty tag. */
  EmptyTag: 90040
} as const

const infos: Readonly<Record<number, string>> = {
  [ErrorCode.HttpParse]: "HTTP parsing error, check the request URL format",
  [ErrorCode.JsonParse]: "HTTP request JSON parsing error",
  [ErrorCode.RateLimited]: "REST API call frequency exceeds the limit",
  [ErrorCode.ResourceNotFound]: "request resource error, check the request URL",
  [ErrorCode.AdminRequired]: "request requires App administrator permissions",
  [ErrorCode.SdkAppIdMissing]: "REST API requires SDKAppID",
  [ErrorCode.UserSigExpired]: "UserSig expired",
  [ErrorCode.UserSigEmpty]: "UserSig length is 0",
  [ErrorCode.UserSigInvalid]: "UserSig invalid",
  [ErrorCode.UserSigMismatch]: "UserSig verification failed",
  [ErrorCode.IdentifierMismatch]: "identifier in the request does not match the UserSig",
  [ErrorCode.SdkAppIdMismatch]: "SDKAppID in the request does not match the UserSig",
  [ErrorCode.SdkAppIdUnknown]: "SDKAppID does not exist",
  [ErrorCode.AccountNotFound]: "account does not exist",
  [ErrorCode.InvalidParameter]: "invalid request parameters",
  [ErrorCode.BodyInvalid]: "Failed to parse the JSON format",
  [ErrorCode.PushAdminRequired]: "The request requires app admin permissions",
  [ErrorCode.TooManyAccounts]: "The number of requested accounts exceeds the limit",
  [ErrorCode.TagTooLong]: "tag length exceeds 50 bytes",
  [ErrorCode.TooManyTags]: "the number of tags in the request exceeds the limit",
  [ErrorCode.UserTagLimit]: "the account would hold more than 100 tags",
  [ErrorCode.AppTagLimit]: "the app would hold more than 1000 distinct tags",
  [ErrorCode.EmptyTag]: "empty tag"
}

/**
 * The `ErrorInfo` the emulator sends with a code.
 *
 * @since 0.1.0
 * @category constants
 */
export const info = (code: number): string => infos[code] ?? "emulated error"
