import { checkEnvironment, type Layer, layerSchema, PHYSICAL_SCHEMA } from '../../core/config/names.js'
import { UserError } from '../../core/errors.js'
import type { TableRef } from '../../core/sql/dialect.js'
import { drop } from './materialize.js'
import type { EnvironmentEntry, PhysicalObject, StateStore } from './state.js'
import type { Target } from './target.js'

/**
 * Environments are views. `prod` is the schemas `staging`, `intermediate`, `marts`; `dev_alice`
 * is `dev_alice_staging`, … (core/config/names.ts). Each view is `SELECT *` from a physical
 * object, so pointing an environment at other builds, promoting dev to prod, or rolling back is
 * replacing views: no data is copied or rebuilt.
 */
export interface Pointer {
  readonly model: string
  readonly layer: Layer
  /** The physical object's name in the `physical` schema. */
  readonly physical: string
}

export function environmentView(target: Target, environment: string, layer: Layer, model: string): TableRef {
  return target.table(layerSchema(environment, layer), model)
}

/** Replaces the environment's views of these models and records where they point. */
export async function pointEnvironment(
  target: Target,
  state: StateStore,
  environment: string,
  pointers: readonly Pointer[],
): Promise<void> {
  checkEnvironment(environment)
  const d = target.dialect
  const current = state.environment(environment)
  for (const layer of new Set(pointers.map((p) => p.layer))) {
    await target.run(
      d.createSchema(target.schema(layerSchema(environment, layer))),
      `create ${environment} ${layer}`,
    )
  }
  for (const pointer of pointers) {
    const view = environmentView(target, environment, pointer.layer, pointer.model)
    const physical = target.table(PHYSICAL_SCHEMA, pointer.physical)
    await target.run(
      d.createOrReplaceView(view, `SELECT * FROM ${d.tableName(physical)}`),
      `point ${environment} ${pointer.model} at ${pointer.physical}`,
    )
    const before = current.get(pointer.model)
    if (before !== undefined && before.layer !== pointer.layer) {
      // The model moved layer: its old view would show a stale build forever.
      const old = environmentView(target, environment, before.layer as Layer, pointer.model)
      await target.run(d.dropView(old), `drop ${environment} ${before.layer}.${pointer.model}`)
    }
  }
  const promotedAt = new Date().toISOString()
  await state.setEnvironment(
    pointers.map(
      (p): EnvironmentEntry => ({
        environment,
        model: p.model,
        layer: p.layer,
        physical: p.physical,
        promoted_at: promotedAt,
      }),
    ),
  )
}

/**
 * Promotes `from` into `to` (e.g. `dev_alice` → `prod`): every model `from` shows, `to` shows
 * too, by the same physical objects. Models that `from` does not have keep their views in `to`.
 */
export async function promote(
  target: Target,
  state: StateStore,
  from: string,
  to: string,
): Promise<Pointer[]> {
  checkEnvironment(from)
  checkEnvironment(to)
  const entries = [...state.environment(from).values()]
  if (entries.length === 0) throw new UserError(`environment ${from} has no models to promote`)
  const pointers = entries.map((e) => ({ model: e.model, layer: e.layer as Layer, physical: e.physical }))
  await pointEnvironment(target, state, to, pointers)
  return pointers
}

/**
 * Drops every physical object the framework created that no environment shows, directly or
 * through a view that reads it. Only recorded objects are candidates, so tables and S3 data
 * the framework did not create are never touched; on Athena, dropping an Iceberg table the
 * framework created removes the fresh folder it chose for it. Run it when no build is running.
 */
export async function janitor(target: Target, state: StateStore): Promise<PhysicalObject[]> {
  const keep = new Set<string>()
  const visit = (name: string) => {
    if (keep.has(name)) return
    keep.add(name)
    const object = state.object(name)
    if (object) for (const dependency of JSON.parse(object.depends_on) as string[]) visit(dependency)
  }
  for (const entry of state.environments()) visit(entry.physical)
  const unused = state.objects().filter((o) => !keep.has(o.name))
  // Views first: they read the tables.
  const ordered = [...unused.filter((o) => o.kind === 'view'), ...unused.filter((o) => o.kind === 'table')]
  for (const object of ordered) await drop(target, state, object)
  return ordered
}
