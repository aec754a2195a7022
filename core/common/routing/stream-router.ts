/**
 * Routing of one output stream of one task to every component subscribed to it, with the
 * rules of Storm's Task.getOutgoingTasks: a regular emit goes through every subscription's
 * grouping (and is refused on a direct stream); a direct emit goes to the named task only if
 * that task's component subscribes to the stream (silently dropped otherwise), and is refused
 * when that component subscribes with a regular grouping.
 */
import type { Grouping, TopologySpec } from '../topology/model.js';
import { createRouter, type Router } from './grouping.js';
import { deriveSeed } from './random.js';
import type { TaskLayout } from './tasks.js';

/** One consumer of a stream. */
export interface Subscription {
  component: string;
  grouping: Grouping;
  /** The consumer's task ids. */
  tasks: number[];
}

/** Every subscription to one stream of `source`, in the topology's component order. */
export function streamSubscriptions(spec: TopologySpec, layout: TaskLayout, source: string, stream: string): Subscription[] {
  const subscriptions: Subscription[] = [];
  for (const consumer of spec.components) {
    for (const input of consumer.inputs) {
      if (input.source === source && input.stream === stream) subscriptions.push({ component: consumer.id, grouping: input.grouping, tasks: layout.componentTasks.get(consumer.id) ?? [] });
    }
  }
  return subscriptions;
}

/** Options of a stream router. */
export interface StreamRouterOptions {
  /** Seed of the run; each subscription derives its own from it. */
  seed?: number;
  /** Which component runs a task (for direct emits). */
  taskToComponent: ReadonlyMap<number, string>;
  /** True when a task runs in the emitting task's worker (local_or_shuffle). */
  sourceTaskLocal?: (task: number) => boolean;
}

/** Creates the router of one (task, stream): the values (and direct task) in, target tasks out. */
export function createStreamRouter(subscriptions: Subscription[], sourceFields: string[], options: StreamRouterOptions): Router {
  const routers = new Map<string, Router>();
  for (const subscription of subscriptions) {
    const seed = options.seed === undefined ? undefined : deriveSeed(options.seed, subscription.component);
    routers.set(subscription.component, createRouter(subscription.grouping, subscription.tasks, sourceFields, { seed, sourceTaskLocal: options.sourceTaskLocal }));
  }
  return (values, directTask) => {
    if (directTask !== undefined) {
      const component = options.taskToComponent.get(directTask);
      const router = component === undefined ? undefined : routers.get(component);
      return router ? router(values, directTask) : [];
    }
    const targets: number[] = [];
    for (const router of routers.values()) targets.push(...router(values));
    return targets;
  };
}
