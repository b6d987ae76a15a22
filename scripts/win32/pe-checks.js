'use strict';
// The two properties the Windows binary must have, read from the linked file:
//
// - It needs no DLL that a Windows machine may lack: only node.exe (the
//   Node-API, delay-loaded), KERNEL32.dll and msvcrt.dll (both part of
//   Windows). A libstdc++-6.dll or libwinpthread-1.dll import would load on
//   the build machine's wine and nowhere else.
// - No aligned 256- or 512-bit move touches memory. The Windows x64 ABI
//   aligns the stack to 16 bytes only, and GCC cannot realign it there
//   (GCC bug 54412): an aligned AVX spill to the stack would fault at random.
//   Debian's MinGW GCC emits unaligned moves for spills already, and the
//   build passes -muse-unaligned-vector-move to the assembler besides; this
//   check is what makes either of them a guarantee.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');

/** The DLLs the binary may import: Windows' own, loaded with it, and the host, on first use. */
const LOADED_WITH_IT = ['KERNEL32.dll', 'msvcrt.dll'];
const HOST = 'node.exe';

/** Section headers of a PE file: virtual address and size, file offset. */
function sections(image) {
  const pe = image.readUInt32LE(0x3c);
  const count = image.readUInt16LE(pe + 6);
  const optionalSize = image.readUInt16LE(pe + 20);
  const table = pe + 24 + optionalSize;
  return Array.from({ length: count }, (_, i) => {
    const at = table + 40 * i;
    return { address: image.readUInt32LE(at + 12), size: image.readUInt32LE(at + 8), offset: image.readUInt32LE(at + 20) };
  });
}

/** The NUL-terminated string at relative virtual address `rva`. */
function stringAt(image, rva) {
  const section = sections(image).find((s) => rva >= s.address && rva < s.address + s.size);
  if (section === undefined) throw new Error(`no section holds RVA 0x${rva.toString(16)}`);
  const start = section.offset + rva - section.address;
  return image.toString('latin1', start, image.indexOf(0, start));
}

/**
 * The DLLs a (not yet stripped) binary imports: those of its import table, as
 * objdump lists them, and the delay-loaded ones. GNU ld leaves the PE's
 * delay-import directory empty, so those are found through the descriptors
 * dlltool's delay-import library defines, by their symbols.
 */
function importedDlls(file, tools) {
  const loaded = [...execFileSync(tools.objdump, ['-p', file], { encoding: 'utf8', maxBuffer: 64 << 20 }).matchAll(/^\s*DLL Name: (\S+)$/gm)].map((m) => m[1]);
  const image = fs.readFileSync(file);
  const imageBase = image.readBigUInt64LE(image.readUInt32LE(0x3c) + 24 + 24);
  const symbols = execFileSync(tools.nm, [file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const delayLoaded = [...symbols.matchAll(/^([0-9a-f]+) \w __DELAY_IMPORT_DESCRIPTOR_\w+$/gm)].map(([, address]) => {
    // IMAGE_DELAYLOAD_DESCRIPTOR: Attributes (bit 0: RVAs rather than addresses), then the DLL name.
    const descriptor = Number(BigInt(`0x${address}`) - imageBase);
    const section = sections(image).find((s) => descriptor >= s.address && descriptor < s.address + s.size);
    const at = section.offset + descriptor - section.address;
    const name = image.readUInt32LE(at + 4);
    return stringAt(image, (image.readUInt32LE(at) & 1) === 1 ? name : Number(BigInt(name) - imageBase));
  });
  return { loaded, delayLoaded };
}

/** Aligned ymm/zmm moves with a memory operand (AT&T syntax: it has parentheses), as disassembled lines. */
function alignedWideMoves(file, tools) {
  const listing = execFileSync(tools.objdump, ['-d', '--no-show-raw-insn', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return listing.split('\n').filter((line) => /\tvmov(ap[sd]|dqa(32|64)?)\s/.test(line) && /%[yz]mm\d/.test(line) && /\(/.test(line));
}

/** The problems of a linked, unstripped binary (an empty list when it has none), and the DLLs it imports. */
function binaryProblems(file, tools) {
  const problems = [];
  const { loaded, delayLoaded } = importedDlls(file, tools);
  const same = (a, b) => a.toLowerCase() === b.toLowerCase();
  const foreign = loaded.filter((dll) => !LOADED_WITH_IT.some((name) => same(name, dll)));
  if (foreign.length > 0) problems.push(`it imports ${foreign.join(', ')} at load time: only ${LOADED_WITH_IT.join(' and ')} may be (node.exe is to be delay-loaded, the C++ runtime linked in)`);
  if (delayLoaded.length !== 1 || !same(delayLoaded[0], HOST)) {
    problems.push(`it must delay-load ${HOST} and nothing else (delay-loaded: ${delayLoaded.join(', ') || 'none'}), so that the hook can hand it a renamed node.exe`);
  }
  const moves = alignedWideMoves(file, tools);
  if (moves.length > 0) {
    problems.push(`${moves.length} aligned ymm/zmm moves touch memory, which faults on a stack only 16-byte aligned:\n${moves.slice(0, 10).join('\n')}`);
  }
  return { problems, dlls: [...loaded, ...delayLoaded.map((dll) => `${dll} (delay-loaded)`)] };
}

module.exports = { binaryProblems };
