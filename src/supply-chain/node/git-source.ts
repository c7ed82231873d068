/** The source a build came from, when it is a git work tree: commit, remote URL, uncommitted changes. */
import { spawnSync } from 'node:child_process';

/** A git source as provenance records it. */
export interface GitSource {
  commit: string;
  /** `remote.origin.url`, when set. */
  repository?: string;
  /** True when tracked files have uncommitted changes (the build is not exactly the commit). */
  dirty: boolean;
}

const git = (dir: string, args: string[]) => {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
};

/** The git source of `dir`, or undefined when it is not in a git work tree (or git is missing). */
export function gitSource(dir: string): GitSource | undefined {
  const commit = git(dir, ['rev-parse', 'HEAD']);
  if (!commit || !/^[0-9a-f]{40,64}$/.test(commit)) return undefined;
  const repository = git(dir, ['config', '--get', 'remote.origin.url']);
  const status = git(dir, ['status', '--porcelain', '--untracked-files=no']);
  return { commit, ...(repository ? { repository } : {}), dirty: !!status };
}
