import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/testing/TestClock"
import type { Service } from "../src/Emulator.js"
import * as SchedTime from "../src/internal/SchedTime.js"
import { accounts, app, call, codeOf, emulator, offline } from "./helpers.js"

const Sdkappid = app.sdkAppId
const seed = { alice: ["vip"], bob: ["vip", "beta"], carol: [] }

/** Calls a scheduled-task command. */
const sched = (emu: Service) => (command: string, body: Record<string, unknown>) =>
  call(emu.baseUrl, `timpush/${command}_sched_task`, { Sdkappid, ...body })

const at = (seconds: number) => SchedTime.format(seconds * 1000)

const tagTask = { Type: "Tag", SchedAt: at(60), Content: { Condition: { TagsAnd: ["vip"] }, OfflinePushInfo: offline } }

describe("scheduled tasks", () => {
  it.effect("add gives an Integer TaskID; get shows the pending task; at its time (TestClock) it becomes a push", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed })
      const task = sched(emu)
      const added = yield* task("add", tagTask)
      assert.deepStrictEqual(Object.keys(added.json), ["ActionStatus", "ErrorCode", "ErrorInfo", "TaskID"])
      const TaskID = added.json.TaskID
      assert.isTrue(Number.isInteger(TaskID))
      const pending = yield* task("get", { TaskID })
      assert.deepStrictEqual(pending.json.TaskInfo, {
        TaskID,
        Sdkappid,
        CreateAt: "1970-01-01 00:00:00",
        Type: "Tag",
        SchedAt: "1970-01-01 00:01:00",
        Content: { ...tagTask.Content, MsgRandom: pending.json.TaskInfo.Content.MsgRandom },
        Title: offline.Title,
        Desc: offline.Desc,
        Status: "pending",
        DispatchSuccess: 0,
        DispatchErr: "",
        PushTaskID: ""
      })
      assert.isTrue(Number.isInteger(pending.json.TaskInfo.Content.MsgRandom)) // filled in
      yield* TestClock.adjust(59_999)
      assert.deepStrictEqual(yield* emu.pushes, [])
      yield* TestClock.adjust(1)
      const [push] = yield* emu.pushes
      assert.deepStrictEqual([push?.kind, push?.at, push?.recipients], ["scheduled", 60_000, ["alice", "bob"]])
      assert.deepStrictEqual(push?.condition, { TagsAnd: ["vip"] })
      const done = yield* task("get", { TaskID })
      assert.deepStrictEqual(
        [done.json.TaskInfo.Status, done.json.TaskInfo.DispatchSuccess, done.json.TaskInfo.PushTaskID],
        ["dispatched", 1, push?.taskId]
      )
      const [record] = yield* emu.scheduledTasks
      assert.deepStrictEqual([record?.taskId, record?.status, record?.pushTaskId], [TaskID, "dispatched", push?.taskId])
    }))

  it.effect("recipients are resolved at dispatch; All reaches everyone; User is a batch (batch_ TaskId)", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed })
      const task = sched(emu)
      yield* task("add", { Type: "All", SchedAt: at(10), Content: { From_Account: "admin", OfflinePushInfo: offline } })
      const user = { To_Account: ["carol", "ghost"], MsgRandom: 77, OfflinePushInfo: offline }
      yield* task("add", { Type: "User", SchedAt: at(20), Content: user })
      yield* emu.importAccounts(["dave"]) // after the add, before the dispatch
      yield* TestClock.adjust("20 seconds")
      const pushes = yield* emu.pushes
      assert.deepStrictEqual(pushes.map((p) => [p.kind, p.at, p.recipients, p.msgRandom === 77]), [
        ["scheduled", 10_000, ["alice", "bob", "carol", "dave"], false],
        ["scheduled", 20_000, ["carol"], true]
      ])
      assert.match(pushes[1]!.taskId, /^batch_/)
      assert.strictEqual(pushes[0]!.fromAccount, "admin")
    }))

  it.effect("modify moves and rewrites a pending task; delete removes it; neither works once dispatched (90107)", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed })
      const task = sched(emu)
      const first = (yield* task("add", tagTask)).json.TaskID
      const second = (yield* task("add", tagTask)).json.TaskID
      const moved = yield* task("modify", {
        TaskID: first,
        Type: "Tag",
        SchedAt: at(30),
        Content: { Condition: { TagsOr: ["beta"] }, OfflinePushInfo: { Title: "new" } }
      })
      assert.deepStrictEqual(moved.json, { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", TaskID: first })
      const deleted = yield* task("delete", { TaskID: second, Type: "Tag" })
      assert.deepStrictEqual(deleted.json, { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", TaskID: second })
      assert.strictEqual(codeOf(yield* task("get", { TaskID: second })), 90104)
      yield* TestClock.adjust("30 seconds")
      assert.deepStrictEqual((yield* emu.pushes).map((p) => [p.at, p.recipients]), [[30_000, ["bob"]]])
      yield* TestClock.adjust("30 seconds") // the old due time of the moved task: nothing more
      assert.strictEqual((yield* emu.pushes).length, 1)
      const late = yield* task("modify", { TaskID: first, Type: "Tag", SchedAt: at(600) })
      assert.deepStrictEqual(late.json, {
        ActionStatus: "FAIL",
        ErrorCode: 90107,
        ErrorInfo: "modify failed: task dispatched"
      })
      assert.strictEqual(codeOf(yield* task("delete", { TaskID: first, Type: "Tag" })), 90107)
    }))

  it.effect("a task moved later is not dispatched at its old time", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed })
      const task = sched(emu)
      const TaskID = (yield* task("add", tagTask)).json.TaskID // due at 60 s
      assert.strictEqual(codeOf(yield* task("modify", { TaskID, Type: "Tag", SchedAt: at(90) })), 0)
      yield* TestClock.adjust("60 seconds")
      assert.deepStrictEqual(yield* emu.pushes, [])
      assert.strictEqual((yield* task("get", { TaskID })).json.TaskInfo.Status, "pending")
      yield* TestClock.adjust("30 seconds")
      assert.deepStrictEqual((yield* emu.pushes).map((p) => p.at), [90_000])
    }))

  it.effect("90104: another Sdkappid, a bad Type, SchedAt or Content, an unknown TaskID, a Type that differs", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed, attrs: { names: { "0": "city" } }, rateLimit: Infinity })
      const task = sched(emu)
      yield* TestClock.setTime(100_000)
      const refusal = (command: string, body: Record<string, unknown>) =>
        Effect.map(task(command, body), (answer) => [codeOf(answer), answer.json.ErrorInfo])
      const content = tagTask.Content
      assert.deepStrictEqual(yield* refusal("add", { ...tagTask, Sdkappid: 1400000001 }), [
        90104,
        "Sdkappid must equal the sdkappid of the URL"
      ])
      assert.deepStrictEqual(yield* refusal("add", { ...tagTask, Type: "tag" }), [
        90104,
        "Type must be All, Tag or User"
      ])
      for (const SchedAt of ["1970-01-02T00:00:00", "1970-02-30 00:00:00", 200, undefined]) {
        const [code] = yield* refusal("add", { ...tagTask, SchedAt })
        assert.strictEqual(code, 90104, String(SchedAt))
      }
      assert.deepStrictEqual(yield* refusal("add", { ...tagTask, SchedAt: at(99) }), [90104, "SchedAt is in the past"])
      const badContents: ReadonlyArray<readonly [string, unknown]> = [
        ["Tag", { Condition: { TagsAnd: ["vip"] } }],
        ["Tag", { OfflinePushInfo: offline }],
        ["Tag", { OfflinePushInfo: offline, Condition: { AttrsAnd: { city: "x" } } }],
        ["Tag", { OfflinePushInfo: offline, Condition: { TagsAnd: [""] } }],
        ["Tag", { ...content, MsgRandom: -1 }],
        ["All", { ...content }],
        ["User", { OfflinePushInfo: offline, To_Account: [] }],
        ["All", { OfflinePushInfo: offline, To_Account: ["alice"] }],
        ["User", { OfflinePushInfo: offline, To_Account: ["alice"], Condition: { TagsAnd: ["vip"] } }]
      ]
      for (const [Type, Content] of badContents) {
        const [code] = yield* refusal("add", { Type, SchedAt: at(200), Content })
        assert.strictEqual(code, 90104, JSON.stringify(Content))
      }
      const tooMany = {
        Type: "User",
        SchedAt: at(200),
        Content: { OfflinePushInfo: offline, To_Account: accounts(501) }
      }
      assert.strictEqual(codeOf(yield* task("add", tooMany)), 90018)
      const TaskID = (yield* task("add", { ...tagTask, SchedAt: at(200) })).json.TaskID
      assert.deepStrictEqual(yield* refusal("modify", { TaskID: TaskID + 1, Type: "Tag" }), [
        90104,
        "no task has this TaskID"
      ])
      assert.deepStrictEqual(yield* refusal("modify", { TaskID: String(TaskID), Type: "Tag" }), [
        90104,
        "no task has this TaskID"
      ])
      assert.deepStrictEqual(yield* refusal("delete", { TaskID, Type: "All" }), [90104, "Type must be the task's type"])
      assert.deepStrictEqual(yield* refusal("modify", { TaskID, Type: "Tag", Content: { OfflinePushInfo: offline } }), [
        90104,
        "a Tag task needs a Content.Condition of tags"
      ])
      assert.strictEqual((yield* emu.scheduledTasks).length, 1)
    }))

  it.effect("list: a page of the tasks due in [BeginTime, EndTime], by createAt or schedAt, with a Keyword", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed, rateLimit: Infinity })
      const task = sched(emu)
      const add = (due: number, Title: string) =>
        Effect.map(
          task("add", { Type: "All", SchedAt: at(due), Content: { OfflinePushInfo: { Title, Desc: "d" } } }),
          (answer) => answer.json.TaskID as number
        )
      const ids = [
        yield* add(300, "sale"),
        yield* add(100, "news"),
        yield* add(200, "sale again"),
        yield* add(5000, "sale")
      ]
      const list = (fields: Record<string, unknown>) =>
        task("list", {
          Offset: 0,
          Want: 10,
          OrderBy: "schedAt",
          Asc: true,
          BeginTime: at(0),
          EndTime: at(1000),
          ...fields
        })
      const listed = (answer: { json: any }) => answer.json.Tasks.map((t: { TaskID: number }) => t.TaskID)
      const all = yield* list({})
      assert.deepStrictEqual([all.json.Total, listed(all)], [3, [ids[1], ids[2], ids[0]]])
      assert.deepStrictEqual(all.json.Tasks[0].SchedAt, at(100))
      assert.deepStrictEqual(listed(yield* list({ OrderBy: "createat", Asc: false })), [ids[2], ids[1], ids[0]])
      const page = yield* list({ Offset: 1, Want: 1, Keyword: "sale" })
      assert.deepStrictEqual([page.json.Total, listed(page)], [2, [ids[0]]])
      assert.deepStrictEqual(listed(yield* list({ BeginTime: at(150), EndTime: at(250) })), [ids[2]])
      const refused = (fields: Record<string, unknown>) => Effect.map(list(fields), codeOf)
      for (
        const bad of [
          { Want: 0 },
          { Offset: -1 },
          { OrderBy: "title" },
          { Asc: 1 },
          { BeginTime: at(10), EndTime: at(5) },
          { EndTime: at(30 * 86400 + 1) },
          { EndTime: undefined },
          { Keyword: 5 }
        ]
      ) assert.strictEqual(yield* refused(bad), 90104, JSON.stringify(bad))
      assert.strictEqual(yield* refused({ EndTime: at(30 * 86400) }), 0)
    }))

  it.effect("a due All/Tag task counts against the quota and fails (90047) when it is used up", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed, push: { dailyQuota: 1 } })
      const task = sched(emu)
      assert.strictEqual(
        codeOf(yield* call(emu.baseUrl, "timpush/push", { MsgRandom: 1, OfflinePushInfo: offline })),
        0
      )
      const TaskID = (yield* task("add", tagTask)).json.TaskID
      yield* TestClock.adjust("1 minute")
      const failed = (yield* task("get", { TaskID })).json.TaskInfo
      assert.deepStrictEqual([failed.Status, failed.DispatchSuccess, failed.DispatchErr, failed.PushTaskID], [
        "failed",
        0,
        "90047 the daily push count exceeds the limit",
        ""
      ])
      assert.strictEqual((yield* emu.pushes).length, 1)
    }))

  it.effect("five calls per second per command, 60007 beyond", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed })
      const get = Effect.map(sched(emu)("get", { TaskID: 1 }), codeOf)
      const codes = yield* Effect.all(Array.from({ length: 6 }, () => get))
      assert.deepStrictEqual(codes, [90104, 90104, 90104, 90104, 90104, 60007])
      assert.strictEqual(codeOf(yield* sched(emu)("add", tagTask)), 0) // another command's limit
    }))
})

describe("SchedTime", () => {
  it("formats and parses UTC \"YYYY-MM-DD HH:MM:SS\", and nothing else", () => {
    const ms = Date.UTC(2025, 5, 1, 10, 0, 0)
    assert.strictEqual(SchedTime.format(ms), "2025-06-01 10:00:00")
    assert.strictEqual(SchedTime.parse("2025-06-01 10:00:00"), ms)
    for (const bad of ["2025-06-01 24:00:00", "2025-02-29 00:00:00", "2025-6-1 10:00:00", "2025-06-01 10:00", 5]) {
      assert.isUndefined(SchedTime.parse(bad), String(bad))
    }
    assert.strictEqual(SchedTime.parse("2024-02-29 23:59:59"), Date.UTC(2024, 1, 29, 23, 59, 59))
  })
})
