// Whether a process id is alive: signal 0 probes without signalling (EPERM means it exists but belongs to someone
// else). Used to tell work owned by a live process sharing the data folder from work a crashed process left.
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
