/**
 * Where every emit of a topology goes, for every host (the local engine in both modes and the
 * test harness): the emit rules first (emit-rules.ts), then one router per (task, stream) built
 * on first use from the subscriptions with Storm's groupings. Its random choices derive from the
 * run's seed and the (task, stream) pair alone, so the same seed routes the same emits to the
 * same tasks whichever host runs them and however their work interleaves.
 */
import type { Router } from '../routing/grouping.js';
import { deriveSeed } from '../routing/random.js';
import { createStreamRouter, streamSubscriptions } from '../routing/stream-router.js';
import type { TaskLayout } from '../routing/tasks.js';
import type { ComponentSpec, TopologySpec } from '../topology/model.js';
import { checkEmit } from './emit-rules.js';

/** The router of one (task, stream) and what its emits must look like. */
interface StreamRoute {
  router: Router;
  /** Declared field count (undefined when the outputs are unknown). */
  arity: number | undefined;
}

/** Routes the emits of every task of a topology. */
export class TopologyRouter {
  private readonly routes = new Map<number, Map<string, StreamRoute>>();
  private readonly components: Map<string, ComponentSpec>;

  constructor(
    private readonly spec: TopologySpec,
    private readonly layout: TaskLayout,
    /** The run's seed; without one, shuffles are random. */
    private readonly seed: number | undefined,
  ) {
    this.components = new Map(spec.components.map((c) => [c.id, c]));
  }

  /** Components that subscribe to any stream of `component`. */
  consumersOf(component: string): string[] {
    return this.spec.components.filter((c) => c.inputs.some((i) => i.source === component)).map((c) => c.id);
  }

  /**
   * Target tasks of one emit. Throws EmitRefused for an undeclared stream or a wrong value count,
   * and the grouping's SquallError for a regular emit on a direct stream (and vice versa).
   */
  route(task: number, componentId: string, stream: string, values: unknown[], directTask: number | undefined): number[] {
    let byStream = this.routes.get(task);
    if (!byStream) this.routes.set(task, (byStream = new Map()));
    let route = byStream.get(stream);
    if (!route) {
      const component = this.components.get(componentId)!;
      checkEmit(component, task, stream, values);
      const fields = component.outputs?.[stream]?.fields;
      const router = createStreamRouter(streamSubscriptions(this.spec, this.layout, componentId, stream), fields ?? [], {
        seed: this.seed === undefined ? undefined : deriveSeed(this.seed, `${task}:${stream}`),
        taskToComponent: this.layout.taskToComponent,
      });
      byStream.set(stream, (route = { router, arity: fields?.length }));
    } else if (route.arity !== undefined && values.length !== route.arity) {
      // The stream is declared (its route exists): only the value count can be wrong.
      checkEmit(this.components.get(componentId)!, task, stream, values);
    }
    return route.router(values, directTask);
  }
}
