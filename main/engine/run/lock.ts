import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import { TrainLockSchema, type TrainLock } from '../../contract/domain/train';
import { StudioError } from '../errors';
import { runPaths } from './paths';

export type { TrainLock };

/** The run's train.lock, or null when there is none or it is unreadable. */
export async function readLock(runDir: string): Promise<TrainLock | null> {
  try {
    const parsed = TrainLockSchema.safeParse(JSON.parse(await fs.readFile(runPaths(runDir).lock, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Whether the lock's process is alive. Only a process on this machine can be checked: a lock
 * written elsewhere (a run folder on a shared drive) is not taken as live. Nor is one whose
 * process id now belongs to a process started after the lock was written (ids are reused, soon
 * after a reboot especially): a crashed training would otherwise stay "running" and never resume.
 */
export function lockIsLive(lock: TrainLock): boolean {
  if (lock.hostname !== os.hostname()) return false;
  if (lock.pid !== process.pid) {
    try {
      process.kill(lock.pid, 0);
    } catch (e) {
      // EPERM: the process exists but belongs to another user.
      if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
    }
  }
  const started = processStartedAt(lock.pid);
  return started === null || started <= Date.parse(lock.startedAt) + START_SLACK_MS;
}

/** Clock error allowed between a process's start and its lock (the system's start time is to the second). */
const START_SLACK_MS = 30_000;
/** The unit of /proc's start times: USER_HZ, 100 on every architecture Linux userland sees. */
const PROC_TICKS_PER_SECOND = 100;

/** When a process started (ms since the epoch) where the system tells (Linux's /proc), else null. */
function processStartedAt(pid: number): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; start time is field 22.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const boot = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(boot)) return null;
    return boot * 1000 + (ticks * 1000) / PROC_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** The lock when a live process holds it, else null. */
export async function liveLock(runDir: string): Promise<TrainLock | null> {
  const lock = await readLock(runDir);
  return lock && lockIsLive(lock) ? lock : null;
}

/**
 * Take the run's train.lock for this process. Refused (RUN_INVALID) while a live process holds it;
 * a lock left by a process that died (killed, crashed) is replaced.
 */
export async function acquireLock(runDir: string): Promise<TrainLock> {
  const file = runPaths(runDir).lock;
  const lock: TrainLock = { pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.writeFile(file, `${JSON.stringify(lock)}\n`, { flag: 'wx' });
      return lock;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (attempt > 0) throw new StudioError('RUN_INVALID', `${runDir} was just locked by another process: wait for it to finish or stop it first.`);
    }
    const held = await liveLock(runDir);
    if (held) {
      throw new StudioError('RUN_INVALID', `${runDir} is being trained by process ${held.pid} (since ${held.startedAt}): wait for it to finish or stop it first.`);
    }
    await fs.rm(file, { force: true }); // stale: its process is gone
  }
}

/** Remove the run's train.lock if this process holds it. */
export async function releaseLock(runDir: string): Promise<void> {
  const lock = await readLock(runDir);
  if (lock && (lock.pid !== process.pid || lock.hostname !== os.hostname())) return;
  await fs.rm(runPaths(runDir).lock, { force: true });
}
