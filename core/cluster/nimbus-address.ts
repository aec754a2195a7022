/** Nimbus addresses as users write them: `host`, `host:port`, `[v6]:port`. */
import { SquallError } from '../common/errors.js';

/** Nimbus's Thrift port unless `nimbus.thrift.port` says otherwise. */
export const DEFAULT_NIMBUS_PORT = 6627;

/** Where Nimbus listens. */
export interface NimbusAddress {
  host: string;
  port: number;
}

/** Parses `host[:port]`; the port defaults to 6627. */
export function parseNimbusAddress(text: string): NimbusAddress {
  const trimmed = text.trim().replace(/^thrift:\/\//, '');
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(trimmed);
  const plain = /^([^:\s/]+)(?::(\d+))?$/.exec(trimmed);
  const match = bracketed ?? plain;
  if (!match) {
    throw new SquallError('usage', `'${text}' is not a Nimbus address`, {}, 'write it as host or host:port, e.g. --nimbus nimbus.example.com:6627');
  }
  const port = match[2] === undefined ? DEFAULT_NIMBUS_PORT : Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SquallError('usage', `'${match[2]}' is not a TCP port (in Nimbus address '${text}')`, {}, 'use a port between 1 and 65535; Nimbus listens on 6627 by default');
  }
  return { host: match[1]!, port };
}

/** `host:port`, bracketing IPv6 literals. */
export function formatAddress({ host, port }: NimbusAddress): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** What to try when Nimbus cannot be reached: the three usual causes. */
export function unreachableHint(address: NimbusAddress): string {
  const where = formatAddress(address);
  return [
    `check that Nimbus runs and that ${where} is its Thrift address (storm.yaml: nimbus.seeds, nimbus.thrift.port, default 6627);`,
    `if Nimbus is only reachable inside the cluster, open a tunnel first: ssh -L ${address.port}:<nimbus-host>:${address.port} <gateway> and use --nimbus 127.0.0.1:${address.port};`,
    'or set the address once in squall.yaml (environments: <env>: nimbus: host:port) and pass -e <env>.',
  ].join('\n        ');
}
