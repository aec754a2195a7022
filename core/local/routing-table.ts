/**
 * Where each task's emits go: one router per (task, stream), built on first use from the
 * topology's subscriptions with Storm's groupings (core/common/routing). Emitting on a stream
 * the component does not declare is fatal, as Storm's "Unknown stream ID"; so is a grouping
 * error (a regular emit on a direct stream, a direct emit to a regular subscriber).
 */
import { SquallError } from '../common/errors.js';
import type { Router } from '../common/routing/grouping.js';
import { createStreamRouter, streamSubscriptions } from '../common/routing/stream-router.js';
import type { TaskLayout } from '../common/routing/tasks.js';
import type { TopologySpec } from '../common/topology/model.js';
import { TaskDeath } from './task-host.js';

/** Routes emits of every task of a topology. */
export class RoutingTable {
  private readonly routers = new Map<number, Map<string, Router>>();

  constructor(
    private readonly spec: TopologySpec,
    private readonly layout: TaskLayout,
    private readonly seed: number | undefined,
  ) {}

  /** Components that subscribe to any stream of `component`. */
  consumersOf(component: string): string[] {
    return this.spec.components.filter((c) => c.inputs.some((i) => i.source === component)).map((c) => c.id);
  }

  /** Target tasks of one emit; throws TaskDeath for what Storm treats as fatal. */
  route(taskId: number, componentId: string, stream: string, values: unknown[], directTask: number | undefined): number[] {
    let byStream = this.routers.get(taskId);
    if (!byStream) this.routers.set(taskId, (byStream = new Map()));
    let router = byStream.get(stream);
    if (!router) {
      router = this.build(taskId, componentId, stream, values);
      byStream.set(stream, router);
    }
    try {
      return router(values, directTask);
    } catch (error) {
      throw new TaskDeath(error instanceof SquallError ? `${error.message} (${error.hint ?? ''})` : String(error), values);
    }
  }

  private build(taskId: number, componentId: string, stream: string, values: unknown[]): Router {
    const component = this.spec.components.find((c) => c.id === componentId)!;
    const declared = component.outputs?.[stream];
    if (component.outputs && !declared) {
      throw new TaskDeath(`Unknown stream ID: emitted on stream '${stream}', which ${component.id} does not declare (declared: ${Object.keys(component.outputs).join(', ') || 'none'})`, values);
    }
    return createStreamRouter(streamSubscriptions(this.spec, this.layout, componentId, stream), declared?.fields ?? [], {
      seed: this.seed === undefined ? undefined : this.seed + taskId,
      taskToComponent: this.layout.taskToComponent,
    });
  }
}
