import "server-only";

/**
 * A skill version as a POSIX ustar archive, its files under one top-level folder named after the
 * skill (`greeter/SKILL.md`), as the SDK's skill download extracts it (`tar -tf`, then `tar -x`,
 * stripping that folder). Regular files only, mode 0644 (0755 under `scripts/` or ending in `.sh`
 * or `.py`), no owner names. Paths that do not fit a ustar header (100 bytes of name after 155
 * of prefix) are refused at upload (skill-folder.ts).
 */
import { ustarSplit } from "./skill-folder";

const BLOCK = 512;

function header(path: string, size: number, mode: number, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const split = ustarSplit(path);
  if (!split) throw new Error(`${path}: too long for a tar header`); // refused at upload (skillPath)
  const { prefix, name } = split;
  const octal = (value: number, width: number) => value.toString(8).padStart(width - 1, "0") + "\0";
  block.write(name, 0, 100, "utf8");
  block.write(octal(mode, 8), 100, "ascii");
  block.write(octal(0, 8), 108, "ascii"); // uid
  block.write(octal(0, 8), 116, "ascii"); // gid
  block.write(octal(size, 12), 124, "ascii");
  block.write(octal(mtime, 12), 136, "ascii");
  block.write("        ", 148, "ascii"); // checksum, counted as spaces
  block.write("0", 156, "ascii"); // a regular file
  block.write("ustar\u000000", 257, "ascii");
  block.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, "ascii");
  return block;
}

export function skillTar(folder: string, files: readonly { path: string; content: Buffer }[], createdAt: Date): Buffer {
  const mtime = Math.floor(createdAt.getTime() / 1000);
  const chunks: Buffer[] = [];
  for (const file of files) {
    const executable = file.path.startsWith("scripts/") || /\.(sh|py)$/.test(file.path);
    chunks.push(header(`${folder}/${file.path}`, file.content.length, executable ? 0o755 : 0o644, mtime), file.content);
    const pad = (BLOCK - (file.content.length % BLOCK)) % BLOCK;
    if (pad) chunks.push(Buffer.alloc(pad));
  }
  chunks.push(Buffer.alloc(BLOCK * 2)); // the end of the archive
  return Buffer.concat(chunks);
}
