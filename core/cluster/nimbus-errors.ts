/**
 * Nimbus's declared exceptions as SquallErrors: Nimbus's own message, what was being done,
 * and the hint a Storm user needs next.
 */
import { SquallError } from '../common/errors.js';
import type { NimbusExceptionName } from './thrift/storm-types.js';

/** A declared exception thrown by Nimbus (AlreadyAlive, NotAlive, Authorization, InvalidTopology). */
export class NimbusError extends SquallError {
  constructor(
    /** The Thrift exception's name. */
    readonly exception: NimbusExceptionName,
    /** Nimbus's `msg`, verbatim. */
    readonly nimbusMessage: string,
    /** The Nimbus method that threw. */
    readonly method: string,
    /** The topology the call was about, when there was one. */
    readonly topology?: string,
  ) {
    super('cluster', `Nimbus refused ${describeCall(method, topology)}: ${exception}: ${nimbusMessage}`, {}, hintFor(exception, method, topology));
  }
}

function describeCall(method: string, topology: string | undefined): string {
  const what: Record<string, string> = {
    submitTopologyWithOpts: 'to submit',
    killTopologyWithOpts: 'to kill',
    activate: 'to activate',
    deactivate: 'to deactivate',
    rebalance: 'to rebalance',
    getTopologyInfo: 'to describe',
  };
  const verb = what[method] ?? `${method}`;
  return topology ? `${verb} topology '${topology}'` : verb;
}

function hintFor(exception: NimbusExceptionName, method: string, topology: string | undefined): string {
  const name = topology ?? '<name>';
  switch (exception) {
    case 'AlreadyAliveException':
      return `a topology named '${name}' is already running: pass --force to kill it and submit again, or choose another --name`;
    case 'NotAliveException':
      return `no topology named '${name}' is running: 'squall list' shows what is`;
    case 'AuthorizationException':
      return 'this cluster checks permissions (nimbus.authorizer): ask its admin to allow your user this operation, or submit from a host/user it trusts';
    case 'InvalidTopologyException':
      return method === 'rebalance'
        ? 'check the component names and executor counts given with -e (executors cannot exceed the tasks a component was submitted with)'
        : 'fix what Nimbus names above in topology.yaml; `squall describe` validates the topology locally';
  }
}
