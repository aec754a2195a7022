// Every test must check something: a test that runs code and asserts nothing cannot fail.
import { beforeEach, expect } from 'vitest';

beforeEach(() => {
  expect.hasAssertions();
});
