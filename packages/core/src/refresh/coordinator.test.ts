import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RefreshCoordinator } from './coordinator.js';

interface Result {
  refreshToken: string;
  expiresAt: number;
  accessToken: string;
}

const later = () => Math.floor(Date.now() / 1000) + 3600;

/** A fake token endpoint with strict rotation: each token works once. */
function strictProvider() {
  const spent = new Set<string>();
  let next = 0;
  const calls: string[] = [];
  return {
    calls,
    perform:
      (target: string) =>
      async (token: string): Promise<Result> => {
        calls.push(`${token}:${target}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (spent.has(token)) throw new Error(`${token} reused`);
        spent.add(token);
        next += 1;
        return {
          refreshToken: `rt${next}`,
          expiresAt: later(),
          accessToken: `at${next}:${target}`,
        };
      },
  };
}

describe('RefreshCoordinator', () => {
  it('runs one grant for concurrent callers of one target', async () => {
    const coordinator = new RefreshCoordinator<Result>();
    const provider = strictProvider();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => coordinator.refresh('s', 'rt0', 'a', provider.perform('a'))),
    );
    assert.equal(provider.calls.length, 1);
    assert.equal(new Set(results.map((result) => result.accessToken)).size, 1);
  });

  it('serialises targets and follows the rotation', async () => {
    const coordinator = new RefreshCoordinator<Result>();
    const provider = strictProvider();
    await Promise.all(
      ['a', 'b', 'c', 'a', 'b', 'c'].map((target) =>
        coordinator.refresh('s', 'rt0', target, provider.perform(target)),
      ),
    );
    assert.equal(provider.calls.length, 3);
    const tokens = provider.calls.map((call) => call.split(':')[0]);
    assert.equal(new Set(tokens).size, 3, 'no refresh token was used twice');
  });

  it('answers a late caller with the old token from the grace cache', async () => {
    const coordinator = new RefreshCoordinator<Result>();
    const provider = strictProvider();
    const first = await coordinator.refresh('s', 'rt0', 'a', provider.perform('a'));
    const late = await coordinator.refresh('s', 'rt0', 'a', provider.perform('a'));
    assert.equal(late, first);
    assert.equal(provider.calls.length, 1);
  });

  it('forgets results after the grace period', async () => {
    const coordinator = new RefreshCoordinator<Result>({ grace: 0 });
    const provider = strictProvider();
    await coordinator.refresh('s', 'rt0', 'a', provider.perform('a'));
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the sweep runs at most every second
    await assert.rejects(coordinator.refresh('s', 'rt0', 'a', provider.perform('a')), /reused/);
  });

  it('does not serve an expired result to a late caller', async () => {
    const coordinator = new RefreshCoordinator<Result>();
    let calls = 0;
    const perform = async (token: string): Promise<Result> => {
      calls += 1;
      return { refreshToken: `${token}+`, expiresAt: 0, accessToken: `at${calls}` };
    };
    await coordinator.refresh('s', 'rt0', 'a', perform);
    const second = await coordinator.refresh('s', 'rt0', 'a', perform);
    assert.equal(calls, 2);
    assert.equal(second.accessToken, 'at2'); // refreshed with the rotated token, rt0+
  });

  it('shares a failure with the callers waiting for the same grant, then lets them retry', async () => {
    const coordinator = new RefreshCoordinator<Result>();
    let calls = 0;
    const failing = async (): Promise<Result> => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('invalid_grant');
    };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () => coordinator.refresh('s', 'rt0', 'a', failing)),
    );
    assert.equal(calls, 1);
    assert.ok(outcomes.every((outcome) => outcome.status === 'rejected'));
    await assert.rejects(coordinator.refresh('s', 'rt0', 'a', failing));
    assert.equal(calls, 2);
  });

  it('keeps different clients (scopes) apart', async () => {
    const coordinator = new RefreshCoordinator<Result>();
    const provider = strictProvider();
    await coordinator.refresh('app-1', 'rt0', 'a', provider.perform('a'));
    await assert.rejects(coordinator.refresh('app-2', 'rt0', 'a', provider.perform('a')), /reused/);
  });
});

describe('RefreshCoordinator.latest and forget', () => {
  it('gives the newest result along the rotations of a spent token, and forgets them', async () => {
    const coordinator = new RefreshCoordinator<Result>();
    const provider = strictProvider();
    const first = await coordinator.refresh('s', 'rt0', 'a', provider.perform('a'));
    const second = await coordinator.refresh('s', first.refreshToken, 'b', provider.perform('b'));
    const found = await coordinator.latest('s', 'rt0');
    assert.equal(found?.result.refreshToken, second.refreshToken);
    assert.deepEqual([...(found?.byTarget.keys() ?? [])], ['a', 'b']);
    assert.equal(await coordinator.latest('s', second.refreshToken), undefined, 'not spent');
    assert.equal(await coordinator.latest('other', 'rt0'), undefined, 'another client');
    await coordinator.forget('s', second.refreshToken);
    assert.equal(await coordinator.latest('s', 'rt0'), undefined);
  });
});

describe('the process coordinator', () => {
  it('is one per process, however many copies of core a bundler loads', async () => {
    // Next.js loads the proxy and the pages as separate module instances in one process.
    const first = await import('./coordinator.js');
    const copy = (await import(`./coordinator.js?copy=${Date.now()}`)) as typeof first;
    assert.notEqual(copy.RefreshCoordinator, first.RefreshCoordinator, 'two module instances');
    assert.equal(copy.refreshCoordinator, first.refreshCoordinator, 'one coordinator');
    // So a grant started through one copy is joined, not repeated, through the other.
    const provider = strictProvider();
    const perform = async (token: string) => {
      const result = await provider.perform('a')(token);
      return {
        ...result,
        issuedAt: 0,
        scope: undefined,
        idToken: undefined,
        idTokenClaims: undefined,
      };
    };
    const [a, b] = await Promise.all([
      first.refreshCoordinator.refresh('global', 'rt0', 'a', perform),
      copy.refreshCoordinator.refresh('global', 'rt0', 'a', perform),
    ]);
    assert.equal(provider.calls.length, 1, 'one token request');
    assert.equal(a, b);
  });
});
