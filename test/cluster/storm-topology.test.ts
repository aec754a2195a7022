import { describe, expect, it } from 'vitest';
import { checkTopologyName } from '../../core/cluster/submit.js';
import { parseConfOverrides } from '../../core/cli/conf-overrides.js';
import { thriftGrouping, toStormTopology, topologyConf } from '../../core/cluster/storm-topology.js';
import { SquallError } from '../../core/common/errors.js';
import type { TopologySpec } from '../../core/common/topology/model.js';

describe('TopologySpec → what Nimbus receives', () => {
  it('maps every grouping to its storm.thrift Grouping member (global = fields with none)', () => {
    expect(thriftGrouping({ type: 'shuffle' })).toEqual({ shuffle: {} });
    expect(thriftGrouping({ type: 'fields', fields: ['a', 'b'] })).toEqual({ fields: ['a', 'b'] });
    expect(thriftGrouping({ type: 'global' })).toEqual({ fields: [] });
    expect(thriftGrouping({ type: 'all' })).toEqual({ all: {} });
    expect(thriftGrouping({ type: 'none' })).toEqual({ none: {} });
    expect(thriftGrouping({ type: 'direct' })).toEqual({ direct: {} });
    expect(thriftGrouping({ type: 'local_or_shuffle' })).toEqual({ local_or_shuffle: {} });
  });

  it('puts topology.name last over file config and overrides, keys sorted', () => {
    const spec = { name: 'wc', config: { 'topology.workers': 1, 'topology.debug': false }, components: [] } as TopologySpec;
    const conf = topologyConf(spec, 'wc-prod', { 'topology.workers': 4, 'topology.name': 'ignored' });
    expect(conf).toEqual({ 'topology.debug': false, 'topology.name': 'wc-prod', 'topology.workers': 4 });
    expect(Object.keys(conf)).toEqual(['topology.debug', 'topology.name', 'topology.workers']);
  });

  it('parses -o key=value with JSON values when they parse', () => {
    expect(parseConfOverrides(['topology.workers=4', 'topology.debug=true', 'a.list=[1,2]', 'a.class=com.example.Thing', 'empty='])).toEqual({
      'topology.workers': 4,
      'topology.debug': true,
      'a.list': [1, 2],
      'a.class': 'com.example.Thing',
      empty: '',
    });
    expect(() => parseConfOverrides(['novalue'])).toThrow(/is not key=value/);
  });

  it('refuses to build a topology whose streams were not read from the classes', () => {
    const spec: TopologySpec = { name: 'x', config: {}, components: [{ id: 's', kind: 'spout', script: 's.ts', parallelism: 1, inputs: [], config: {} }] };
    expect(() => toStormTopology(spec)).toThrow(SquallError);
  });

  it('refuses topology names Nimbus rejects before uploading anything', () => {
    expect(() => checkTopologyName('word-count_2')).not.toThrow();
    for (const bad of ['a.b', 'a/b', 'a:b', 'a\\b', '']) expect(() => checkTopologyName(bad)).toThrow(/not a topology name Nimbus accepts/);
  });
});
