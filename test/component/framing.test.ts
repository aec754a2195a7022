import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeMessage, FrameDecoder, FramingError } from '../../core/common/multilang/framing.js';

describe('multilang framing', () => {
  it('encodes compact JSON followed by a line `end`', () => {
    expect(encodeMessage({ command: 'sync' })).toBe('{"command":"sync"}\nend\n');
  });

  it('decodes every message of a batch, keeping an incomplete one for later', () => {
    const decoder = new FrameDecoder();
    const text = `${encodeMessage([1, 2])}${encodeMessage({ id: '1', tuple: ['a\nb'] })}{"comm`;
    expect(decoder.push(text)).toEqual([[1, 2], { id: '1', tuple: ['a\nb'] }]);
    expect(decoder.buffered).toBe('{"comm');
    expect(decoder.push('and":"next"}\nend\n')).toEqual([{ command: 'next' }]);
    expect(decoder.buffered).toBe('');
  });

  it('accepts a message written over several lines, as Storm reads lines until `end`', () => {
    expect(new FrameDecoder().push('{"command":\n"sync"}\nend\n')).toEqual([{ command: 'sync' }]);
  });

  it('gives the same messages however the stream is cut into chunks', () => {
    const message = fc.oneof(
      fc.record({ id: fc.string(), comp: fc.string(), stream: fc.string(), task: fc.integer(), tuple: fc.array(fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean())) }),
      fc.array(fc.nat()),
    );
    fc.assert(
      fc.property(fc.array(message, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), (messages, cuts) => {
        const text = messages.map(encodeMessage).join('');
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const decoder = new FrameDecoder();
        const out: unknown[] = [];
        let from = 0;
        for (const point of [...points, text.length]) {
          out.push(...decoder.push(text.slice(from, point)));
          from = point;
        }
        expect(out).toEqual(JSON.parse(JSON.stringify(messages)));
      }),
    );
  });

  it('throws a FramingError quoting the bad message, even inside a batch of good ones', () => {
    const decoder = new FrameDecoder();
    const error = (() => {
      try {
        decoder.push(`${encodeMessage({ ok: 1 })}hello world\nend\n`);
      } catch (e) {
        return e;
      }
    })() as FramingError;
    expect(error).toBeInstanceOf(FramingError);
    expect(error.excerpt).toBe('hello world');
  });

  it('refuses two JSON values in one message', () => {
    expect(() => new FrameDecoder().push('1,2\nend\n')).toThrow(FramingError);
  });
});
