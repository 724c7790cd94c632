/**
 * Doctor checks about what the connected user may do: the ACL permissions the kit needs (ACL
 * DRYRUN of every command on a key under the prefix, where allowed; else a live probe on a
 * short-lived key) and whether Lua scripts load and run on every master.
 */
import type { Redis } from 'ioredis'
import { type CheckResult, nodeName, raw } from './check.js'
import { hasSample, kitCommands, sampleArgv } from './commands.js'
import type { Target } from './connect.js'

const denied = (err: unknown) => /NOPERM|no permissions/i.test((err as Error).message)

async function whoami(node: Redis): Promise<string | undefined> {
  try {
    return String(await raw(node, 'acl', 'whoami'))
  } catch {
    return undefined // before Redis 6, or not permitted
  }
}

export async function aclCheck(target: Target): Promise<CheckResult> {
  const node = target.masters()[0]!
  const user = await whoami(node)
  const commands = kitCommands().filter(hasSample)
  if (user !== undefined) {
    const pipeline = node.pipeline()
    for (const command of commands)
      pipeline.call('acl', 'dryrun', user, ...sampleArgv(command, target.prefix))
    const replies = (await pipeline.exec()) ?? []
    const first = replies[0]?.[0]
    if (!first) {
      const refused = replies.flatMap(([err, reply], i) =>
        err || reply !== 'OK' ? [`${commands[i]!.toUpperCase()}: ${err ? err.message : String(reply)}`] : [],
      )
      const data = { user, method: 'ACL DRYRUN', commands: commands.length, denied: refused.length }
      if (refused.length === 0)
        return {
          id: 'acl',
          status: 'pass',
          message: `user '${user}' may run all ${commands.length} commands the kit uses on keys under '${target.prefix}'`,
          data,
        }
      return {
        id: 'acl',
        status: 'fail',
        message: `user '${user}' may not run ${refused.length} of the ${commands.length} commands the kit uses`,
        details: refused.slice(0, 20),
        data,
      }
    }
  }
  return probe(target, user)
}

/** Without ACL DRYRUN (Redis < 7, or the user lacks @admin): try the basics on a probe key. */
async function probe(target: Target, user: string | undefined): Promise<CheckResult> {
  const key = `${target.prefix}doctor:probe:${process.pid}:${Date.now()}`
  const steps: [string, () => Promise<unknown>][] = [
    ['SET', () => target.store.set(key, '1', { px: 10_000 })],
    ['GET', () => target.store.get(key)],
    ['EVAL', () => target.store.client.call('eval', 'return 1', 1, key)],
    ['PUBLISH', () => target.store.publish(`${target.prefix}pubsub:doctor`, 'probe')],
    ['DEL', () => target.store.del([key])],
  ]
  const refused: string[] = []
  for (const [name, step] of steps) {
    try {
      await step()
    } catch (err) {
      if (!denied(err)) throw err
      refused.push(`${name}: ${(err as Error).message}`)
    }
  }
  const who = user === undefined ? 'the user' : `user '${user}'`
  const data = { user: user ?? null, method: 'probe', commands: steps.length, denied: refused.length }
  if (refused.length > 0)
    return {
      id: 'acl',
      status: 'fail',
      message: `${who} may not run what the kit needs`,
      details: refused,
      data,
    }
  return {
    id: 'acl',
    status: 'warn',
    message: `${who} may run SET, GET, EVAL, PUBLISH and DEL under '${target.prefix}'; the other commands were not verified`,
    details: [
      'ACL DRYRUN is not available (Redis before 7.0, or the user lacks @admin): permissions checked by a probe',
    ],
    data,
  }
}

const SCRIPT = 'return 1'

export async function scriptsCheck(target: Target): Promise<CheckResult> {
  const failures: string[] = []
  let evalOnly = 0
  const masters = target.masters()
  for (const node of masters) {
    try {
      const sha = String(await raw(node, 'script', 'load', SCRIPT))
      const reply = await raw(node, 'evalsha', sha, 0)
      if (Number(reply) !== 1) failures.push(`${nodeName(node)}: EVALSHA returned ${String(reply)}`)
    } catch (err) {
      if (!denied(err)) {
        failures.push(`${nodeName(node)}: ${(err as Error).message}`)
        continue
      }
      // SCRIPT LOAD refused: the kit still works if EVAL/EVALSHA are allowed (it falls back to EVAL)
      try {
        await raw(node, 'eval', SCRIPT, 0)
        evalOnly++
      } catch (evalErr) {
        failures.push(`${nodeName(node)}: ${(evalErr as Error).message}`)
      }
    }
  }
  const where = masters.length === 1 ? '' : ` on all ${masters.length} masters`
  if (failures.length > 0)
    return {
      id: 'scripts',
      status: 'fail',
      message: 'Lua scripts do not run: rate limits, caches, sessions and streams depend on them',
      details: failures,
    }
  if (evalOnly > 0)
    return {
      id: 'scripts',
      status: 'warn',
      message: `SCRIPT LOAD is not permitted but EVAL runs${where}: each script is sent in full once per connection`,
    }
  return { id: 'scripts', status: 'pass', message: `SCRIPT LOAD and EVALSHA work${where}` }
}
