/**
 * The two routes every FailoverStore call takes: a contract command and a script. Each call is
 * one object whose methods live on its class, rather than an object of fresh closures: this is
 * on every call, and a closure per step is an allocation (and, in tools that keep function
 * names, a defineProperty) each time.
 */
import { COMMANDS, checkCommand, isReplayable } from '../commands.js'
import { isEphemeral } from '../durability.js'
import type { CommandName, Script, ScriptReply, Store, StoreValue } from '../types.js'
import type { JournalEntry } from './journal.js'
import { type Route, type RouterContext, route } from './router.js'
import { ackOp, countingScript, sendCounting, sendGuardedScript } from './send.js'
import { xaddForReplay } from './xadd.js'

type Method = (...args: unknown[]) => Promise<unknown>

class CommandRoute implements Route {
  readonly durable: boolean
  /** The op id of a counting write (INCRBY, XADD, …), guarded on the primary; else undefined. */
  readonly opId: string | undefined
  readonly blockMs: number

  constructor(
    readonly ctx: RouterContext,
    readonly name: CommandName,
    readonly args: unknown[],
  ) {
    this.durable = isReplayable(name) && !isEphemeral()
    this.opId = this.durable && countingScript(name) !== undefined ? ctx.opLog.newId() : undefined
    this.blockMs = COMMANDS[name].blockMs?.(args) ?? 0
  }

  attempt(): Promise<unknown> {
    const { ctx, name, args, opId } = this
    return opId === undefined ? this.fallback(ctx.primary) : sendCounting(ctx, name, args, opId)
  }

  fallback(store: Store): Promise<unknown> {
    return (store[this.name] as Method)(...this.args)
  }

  entry(inDoubt: boolean, id?: string, result?: unknown): JournalEntry {
    const { name, args } = this
    return {
      kind: 'command',
      name,
      args: name === 'xadd' ? xaddForReplay(args, result) : args,
      opId: id ?? this.ctx.opLog.newId(),
      inDoubt,
      at: Date.now(),
    }
  }

  ack(): void {
    if (this.opId !== undefined) ackOp(this.ctx, this.args[0] as string, this.opId)
  }
}

/** A contract command through the router. */
export function routeCommand(ctx: RouterContext, name: CommandName, args: unknown[]): Promise<unknown> {
  try {
    checkCommand(name, args, ctx)
  } catch (err) {
    return Promise.reject(err)
  }
  return route(ctx, new CommandRoute(ctx, name, args))
}

class ScriptRoute implements Route {
  readonly durable: boolean
  /** The op id a non-idempotent durable script is guarded with; else undefined. */
  readonly opId: string | undefined

  constructor(
    readonly ctx: RouterContext,
    readonly script: Script,
    readonly keys: readonly string[],
    readonly args: readonly StoreValue[],
  ) {
    this.durable = script.durable && !isEphemeral()
    this.opId = this.durable && !script.idempotent ? ctx.opLog.newId() : undefined
  }

  attempt(): Promise<unknown> {
    const { ctx, script, keys, args, opId } = this
    return opId === undefined ? this.fallback(ctx.primary) : sendGuardedScript(ctx, script, keys, args, opId)
  }

  fallback(store: Store): Promise<unknown> {
    return store.eval(this.script, this.keys, this.args)
  }

  entry(inDoubt: boolean, id?: string): JournalEntry {
    const { script, keys, args } = this
    const opId = id ?? this.ctx.opLog.newId()
    return { kind: 'script', script, keys: [...keys], args: [...args], opId, inDoubt, at: Date.now() }
  }

  ack(): void {
    if (this.opId !== undefined) ackOp(this.ctx, this.keys[0] ?? '', this.opId)
  }
}

/** A script through the router: guarded on the primary unless it is idempotent. */
export function routeScript(
  ctx: RouterContext,
  script: Script,
  keys: readonly string[],
  args: readonly StoreValue[],
): Promise<ScriptReply> {
  return route(ctx, new ScriptRoute(ctx, script, keys, args)) as Promise<ScriptReply>
}
