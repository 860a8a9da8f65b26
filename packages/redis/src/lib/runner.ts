import { createHash } from 'node:crypto';
import { SessionStoreUnavailableError } from '@logto-kit/core/store';
import type { RedisClientLike } from '../redis-client.js';

/** A Lua script and its SHA-1, for `EVALSHA` with an `EVAL` fallback. */
export interface Script {
  readonly source: string;
  readonly sha: string;
}

/** Defines a Lua script once per process. */
export function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** Error replies that mean a mistake (a bug or a misconfigured Redis), not an outage. */
const MISTAKE = /^(ERR|WRONGTYPE|NOPERM|WRONGPASS|NOAUTH|CROSSSLOT) /;

/**
 * Runs commands with a deadline and turns every connection problem (Redis down, reconnecting,
 * loading, too slow) into `SessionStoreUnavailableError`, which the web integrations answer with
 * 503. Mistakes (`ERR …`) are thrown as they are: they are bugs, not outages.
 */
export class RedisRunner {
  constructor(
    private readonly client: RedisClientLike,
    private readonly timeout: number,
  ) {}

  async command(args: string[]): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Redis command timed out')), this.timeout);
    });
    try {
      return await Promise.race([
        this.client.sendCommand(args, { timeout: this.timeout }),
        deadline,
      ]);
    } catch (error) {
      if (error instanceof Error && (MISTAKE.test(error.message) || isNoScript(error))) throw error;
      throw new SessionStoreUnavailableError(undefined, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs a script by SHA, loading it when Redis does not know it (first use, restart). */
  async eval(script: Script, keys: string[], args: string[]): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await this.command(['EVALSHA', script.sha, ...tail]);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return this.command(['EVAL', script.source, ...tail]);
    }
  }
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
