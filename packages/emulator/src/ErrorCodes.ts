/**
 * Every error code the emulator answers with, by name, and the `ErrorInfo` text it sends. Codes come from the
 * Chat documentation (spec §4, §5, and timpush-beyond-tags §6) except `UserTagLimit` and `AppTagLimit`, which
 * the documentation leaves open and the emulator chose; where the documentation names a code but not every
 * case it covers, the package README says which cases the emulator gives it.
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
  /**
   * `push`: `MsgRandom` missing or not an integer in [0, 4294967295].
   *
   * @since 0.3.0
   */
  MsgRandomInvalid: 90005,
  /** Caller is not the app admin (`timpush` commands). */
  PushAdminRequired: 90009,
  /** More than 100 accounts in one request (`timpush` commands; 500 for `batch` and scheduled tasks). */
  TooManyAccounts: 90018,
  /** A tag is longer than 50 UTF-8 bytes. */
  TagTooLong: 90020,
  /**
   * A push condition names a tag in both `TagsAnd` and `TagsOr`.
   *
   * @since 0.3.0
   */
  TagInAndAndOr: 90022,
  /**
   * `push` less than the minimum interval after the last accepted push.
   *
   * @since 0.3.0
   */
  PushTooFrequent: 90024,
  /**
   * An attribute name or value is empty or longer than 50 UTF-8 bytes.
   *
   * @since 0.3.0
   */
  AttrLength: 90030,
  /** Too many tags in one `add_tag` entry (10, or 100 with `Replace: 1`), or in a push condition's list (10). */
  TooManyTags: 90032,
  /**
   * An invalid attribute: an unknown name, a name another slot has, a slot other than "0"–"9", a type change.
   *
   * @since 0.3.0
   */
  InvalidAttr: 90033,
  /**
   * The tag or attribute serves the other account kind (UserID vs RegistrationID), per account.
   *
   * @since 0.3.0
   */
  WrongAccountKind: 90035,
  /** Emulator's choice: the account would hold more than 100 tags (per account, in `ErrorList`). */
  UserTagLimit: 90036,
  /** Emulator's choice: the app would hold more than 1000 distinct tags (per account, in `ErrorList`). */
  AppTagLimit: 90037,
  /**
   * A push condition mixes tags and attributes.
   *
   * @since 0.3.0
   */
  TagsAndAttrs: 90039,
  /** An empty tag. */
  EmptyTag: 90040,
  /**
   * The daily push quota is used up (it resets at midnight UTC+8).
   *
   * @since 0.3.0
   */
  DailyQuota: 90047,
  /**
   * `revoke`: no push task has this `TaskId` (or it is a `batch` task).
   *
   * @since 0.3.0
   */
  TaskIdInvalid: 90049,
  /**
   * `revoke`: the task is revoked already.
   *
   * @since 0.3.0
   */
  AlreadyRevoked: 90050,
  /**
   * `revoke`: more than one call per second.
   *
   * @since 0.3.0
   */
  RevokeTooFrequent: 90051,
  /**
   * `revoke`: the task started more than 24 hours ago.
   *
   * @since 0.3.0
   */
  RevokeWindowPassed: 90052,
  /**
   * `revoke`: `OfflinePushInfo` missing.
   *
   * @since 0.3.0
   */
  OfflinePushInfoMissing: 90053,
  /**
   * `push`: the request body is larger than 10 KB.
   *
   * @since 0.3.0
   */
  BodyTooLarge: 90056,
  /**
   * `batch`: `DataId` longer than 64 bytes.
   *
   * @since 0.3.0
   */
  DataIdTooLong: 90057,
  /**
   * Scheduled tasks: invalid request parameters (the `ErrorInfo` names the problem).
   *
   * @since 0.3.0
   */
  SchedInvalid: 90104,
  /**
   * Scheduled tasks: the task is not pending (dispatched already, or failed), so it cannot change.
   *
   * @since 0.3.0
   */
  SchedNotPending: 90107
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
  [ErrorCode.EmptyTag]: "empty tag",
  [ErrorCode.MsgRandomInvalid]: "MsgRandom is missing or not a 32-bit unsigned integer",
  [ErrorCode.TagInAndAndOr]: "a tag is in both TagsAnd and TagsOr",
  [ErrorCode.PushTooFrequent]: "push too frequent, the interval between pushes must be more than 1 second",
  [ErrorCode.AttrLength]: "attribute length is 0 bytes or exceeds 50 bytes",
  [ErrorCode.InvalidAttr]: "invalid attribute",
  [ErrorCode.WrongAccountKind]: "the tag or attribute serves another account type",
  [ErrorCode.TagsAndAttrs]: "attribute and tag conditions cannot coexist",
  [ErrorCode.DailyQuota]: "the daily push count exceeds the limit",
  [ErrorCode.TaskIdInvalid]: "invalid TaskId",
  [ErrorCode.AlreadyRevoked]: "the task is revoked already",
  [ErrorCode.RevokeTooFrequent]: "revoke too frequent, at most 1 call per second",
  [ErrorCode.RevokeWindowPassed]: "the task started more than 24 hours ago",
  [ErrorCode.OfflinePushInfoMissing]: "OfflinePushInfo is missing",
  [ErrorCode.BodyTooLarge]: "the push body exceeds 10K",
  [ErrorCode.DataIdTooLong]: "DataId exceeds 64 bytes",
  [ErrorCode.SchedInvalid]: "invalid parameters",
  [ErrorCode.SchedNotPending]: "the task is not pending"
}

/**
 * The `ErrorInfo` the emulator sends with a code.
 *
 * @since 0.1.0
 * @category constants
 */
export const info = (code: number): string => infos[code] ?? "emulated error"
