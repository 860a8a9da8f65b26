// Reads the one string that names a Redis deployment: a single node, a cluster or Sentinel.

/** A Redis deployment, read from a `redis://`, `redis+cluster://` or `redis+sentinel://` setting. */
export type RedisSetting =
  | { readonly kind: 'node'; readonly url: string }
  | {
      readonly kind: 'cluster' | 'sentinel';
      readonly tls: boolean;
      readonly username: string | undefined;
      readonly password: string | undefined;
      readonly nodes: readonly { readonly host: string; readonly port: number }[];
      /** Sentinel: the master's name. */
      readonly name: string;
    };

const SHAPE = /^(rediss?)\+(cluster|sentinel):\/\/(?:([^@/?#]*)@)?([^/?#]+)(?:\/([^?#]*))?$/;
const NODE = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/;

/** Never echoes the setting: it may hold a password. */
function invalid(why: string): TypeError {
  return new TypeError(
    `The Redis setting is not valid (${why}). Use redis://host:port (or rediss://), ` +
      'redis+cluster://host:port,host:port,… for Redis Cluster, or ' +
      'redis+sentinel://host:port,host:port,…/master-name for Sentinel.',
  );
}

/**
 * Reads a Redis setting. `redis://…` and `rediss://…` name one node (any URL node-redis reads);
 * `redis+cluster://[user:password@]host:port,host:port,…` the seed nodes of a Redis Cluster;
 * `redis+sentinel://[user:password@]host:port,host:port,…/master-name` the sentinels watching
 * the master `master-name` (the credentials are the master's; the sentinels take none).
 * `rediss+cluster://` and `rediss+sentinel://` connect with TLS. Throws a `TypeError` that
 * never repeats the setting.
 */
export function readRedisSetting(setting: string): RedisSetting {
  if (typeof setting !== 'string') throw invalid('not a string');
  const value = setting.trim();
  if (/^rediss?:\/\/\S+$/.test(value)) return { kind: 'node', url: value };
  const match = SHAPE.exec(value);
  if (!match) throw invalid('unknown scheme or shape');
  const [, scheme, kind, userinfo, hosts, path = ''] = match as unknown as [
    string,
    string,
    'cluster' | 'sentinel',
    string | undefined,
    string,
    string | undefined,
  ];
  const defaultPort = kind === 'sentinel' ? 26379 : 6379;
  const nodes = hosts.split(',').map((node) => {
    const parts = NODE.exec(node.trim());
    const port = Number(parts?.[2] ?? defaultPort);
    if (!parts || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw invalid('a node is not host:port');
    }
    return { host: parts[1]!.replace(/^\[|\]$/g, ''), port };
  });
  const name = decode(path);
  if (kind === 'sentinel' && !name) throw invalid('the master name is missing');
  if (kind === 'cluster' && name) throw invalid('a cluster setting takes no path');
  let username: string | undefined;
  let password: string | undefined;
  if (userinfo) {
    const colon = userinfo.indexOf(':');
    username = decode(colon < 0 ? userinfo : userinfo.slice(0, colon)) || undefined;
    password = colon < 0 ? undefined : decode(userinfo.slice(colon + 1));
  }
  return { kind, tls: scheme === 'rediss', username, password, nodes, name };
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw invalid('a bad %-escape');
  }
}
