/**
 * The Nimbus service methods Squall calls, as storm.thrift declares them: argument ids and
 * types, the return type (result field 0) and the declared exceptions (result fields 1..n).
 * Shared by the client and by the contract tests' fake Nimbus.
 */
import type { FieldSpec, StructSchema, TypeSpec } from './codec.js';
import {
  AlreadyAliveExceptionSchema,
  AuthorizationExceptionSchema,
  ClusterSummarySchema,
  InvalidTopologyExceptionSchema,
  KillOptionsSchema,
  NotAliveExceptionSchema,
  RebalanceOptionsSchema,
  StormTopologySchema,
  SubmitOptionsSchema,
  TopologyInfoSchema,
  type NimbusExceptionName,
} from './storm-types.js';

/** One service method: `args` and `result` are the structs Thrift wraps calls and replies in. */
export interface MethodSpec {
  name: string;
  args: StructSchema;
  result: StructSchema;
  /** Result field names that are exceptions, by field name → exception struct name. */
  exceptions: Record<string, NimbusExceptionName>;
}

const exceptionSchemas: Record<NimbusExceptionName, StructSchema> = {
  AlreadyAliveException: AlreadyAliveExceptionSchema,
  NotAliveException: NotAliveExceptionSchema,
  AuthorizationException: AuthorizationExceptionSchema,
  InvalidTopologyException: InvalidTopologyExceptionSchema,
};

function method(
  name: string,
  args: Array<[number, string, TypeSpec]>,
  returns: TypeSpec | undefined,
  throws: Array<[number, string, NimbusExceptionName]>,
): MethodSpec {
  const resultFields: FieldSpec[] = [];
  if (returns) resultFields.push({ id: 0, name: 'success', type: returns });
  const exceptions: Record<string, NimbusExceptionName> = {};
  for (const [id, field, exception] of throws) {
    resultFields.push({ id, name: field, type: exceptionSchemas[exception] });
    exceptions[field] = exception;
  }
  return {
    name,
    args: { struct: `${name}_args`, fields: args.map(([id, field, type]) => ({ id, name: field, type })) },
    result: { struct: `${name}_result`, fields: resultFields },
    exceptions,
  };
}

const aze: [number, string, NimbusExceptionName] = [1, 'aze', 'AuthorizationException'];

/** The Nimbus methods Squall speaks, by name. */
export const NimbusMethods = {
  beginFileUpload: method('beginFileUpload', [], 'string', [aze]),
  uploadChunk: method('uploadChunk', [[1, 'location', 'string'], [2, 'chunk', 'binary']], undefined, [aze]),
  finishFileUpload: method('finishFileUpload', [[1, 'location', 'string']], undefined, [aze]),
  submitTopologyWithOpts: method(
    'submitTopologyWithOpts',
    [
      [1, 'name', 'string'],
      [2, 'uploadedJarLocation', 'string'],
      [3, 'jsonConf', 'string'],
      [4, 'topology', StormTopologySchema],
      [5, 'options', SubmitOptionsSchema],
    ],
    undefined,
    [
      [1, 'e', 'AlreadyAliveException'],
      [2, 'ite', 'InvalidTopologyException'],
      [3, 'aze', 'AuthorizationException'],
    ],
  ),
  killTopologyWithOpts: method('killTopologyWithOpts', [[1, 'name', 'string'], [2, 'options', KillOptionsSchema]], undefined, [
    [1, 'e', 'NotAliveException'],
    [2, 'aze', 'AuthorizationException'],
  ]),
  activate: method('activate', [[1, 'name', 'string']], undefined, [
    [1, 'e', 'NotAliveException'],
    [2, 'aze', 'AuthorizationException'],
  ]),
  deactivate: method('deactivate', [[1, 'name', 'string']], undefined, [
    [1, 'e', 'NotAliveException'],
    [2, 'aze', 'AuthorizationException'],
  ]),
  rebalance: method('rebalance', [[1, 'name', 'string'], [2, 'options', RebalanceOptionsSchema]], undefined, [
    [1, 'e', 'NotAliveException'],
    [2, 'ite', 'InvalidTopologyException'],
    [3, 'aze', 'AuthorizationException'],
  ]),
  getClusterInfo: method('getClusterInfo', [], ClusterSummarySchema, [aze]),
  getTopologyInfo: method('getTopologyInfo', [[1, 'id', 'string']], TopologyInfoSchema, [
    [1, 'e', 'NotAliveException'],
    [2, 'aze', 'AuthorizationException'],
  ]),
} satisfies Record<string, MethodSpec>;

/** A Nimbus method this client can call. */
export type NimbusMethodName = keyof typeof NimbusMethods;
