// Writing a file whole or not at all: a temporary file in the same folder, fsync, rename over the final name
// (rename is atomic within a file system), so a reader or a crash never sees half a file.
import fs from 'node:fs';

export function writeFileWhole(file: string, data: Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** fsync of a file some other code wrote (e.g. a native library's save). */
export function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
