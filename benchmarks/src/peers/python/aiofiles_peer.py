#!/usr/bin/env python3
"""aiofiles (on asyncio) and asyncio subprocess side of Weft's files comparison (compare-files.sh).

Runs the same workloads as the Java and Kotlin files peers, on the fixtures compare-files.sh made,
and prints one line per number:

    RESULT aiofiles <workload> <value> <unit>        (asyncio for the subprocess rows)

Usage: aiofiles_peer.py DIR WORKLOAD...   with WORKLOAD in read-small, write-small, read-lines,
read-whole, write-lines, write-whole, spawn-seq, spawn-16. DIR holds small/ (the 4 KiB files) and
big.txt; writes go to DIR/out-aiofiles/, removed after each round. Sizes and rounds come from the
environment (WEFT_FILES_*), set once by compare-files.sh for every peer.
"""

import asyncio
import os
import shutil
import statistics
import sys
import time

import aiofiles

SMALL_FILES = int(os.environ.get("WEFT_FILES_SMALL", "10000"))
SMALL_SIZE = 4096
BATCH = int(os.environ.get("WEFT_FILES_BATCH", "64"))
WARMUP_ROUNDS = int(os.environ.get("WEFT_FILES_WARMUP", "1"))
ROUNDS = int(os.environ.get("WEFT_FILES_ROUNDS", "3"))
SLOW_ROUNDS = int(os.environ.get("WEFT_FILES_SLOW_ROUNDS", "1"))
# aiofiles takes one executor hop per line (about 0.5 MiB/s): its line rows run over the first
# LINE_MIB of the file only, which keeps the sitting bounded; throughput is per line either way.
LINE_MIB = int(os.environ.get("WEFT_FILES_AIOFILES_LINE_MIB", "8"))
SPAWNS = int(os.environ.get("WEFT_FILES_SPAWNS", "500"))
SPAWN_PARALLEL = 16
MIB = 1024 * 1024


def report(peer, workload, value, unit):
    print(f"RESULT {peer} {workload} {value:.3f} {unit}", flush=True)


def median(one_round, warmup=WARMUP_ROUNDS, rounds=ROUNDS):
    """Throughput: one_round returns (amount, seconds); the median of amount/seconds."""
    for _ in range(warmup):
        asyncio.run(one_round())
    got = []
    for _ in range(rounds):
        amount, seconds = asyncio.run(one_round())
        got.append(amount / seconds)
    return statistics.median(got)


def small_names(d):
    return [os.path.join(d, "small", f"f{i:05d}.txt") for i in range(SMALL_FILES)]


async def read_small(d):
    names = small_names(d)

    async def one(name):
        async with aiofiles.open(name, "r") as f:
            return len(await f.read())

    start = time.perf_counter()
    total = 0
    for i in range(0, len(names), BATCH):
        total += sum(await asyncio.gather(*(one(n) for n in names[i:i + BATCH])))
    seconds = time.perf_counter() - start
    assert total == SMALL_FILES * SMALL_SIZE, total
    return SMALL_FILES, seconds


def out_dir(d):
    out = os.path.join(d, "out-aiofiles")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    return out


async def write_small(d):
    out = out_dir(d)
    text = ("x" * 99 + "\n") * (SMALL_SIZE // 100) + "y" * (SMALL_SIZE % 100)

    async def one(i):
        async with aiofiles.open(os.path.join(out, f"f{i:05d}.txt"), "w") as f:
            return await f.write(text)

    start = time.perf_counter()
    total = 0
    for i in range(0, SMALL_FILES, BATCH):
        total += sum(await asyncio.gather(*(one(k) for k in range(i, min(i + BATCH, SMALL_FILES)))))
    seconds = time.perf_counter() - start
    assert total == SMALL_FILES * SMALL_SIZE, total
    shutil.rmtree(out)
    return SMALL_FILES, seconds


async def read_lines(d):
    big = os.path.join(d, "big.txt")
    size = min(os.path.getsize(big), LINE_MIB * MIB) // 100 * 100
    start = time.perf_counter()
    chars = 0
    async with aiofiles.open(big, "r") as f:
        async for line in f:
            chars += len(line)
            if chars >= size:
                break
    seconds = time.perf_counter() - start
    assert chars == size, (chars, size)
    return size / MIB, seconds


async def read_whole(d):
    big = os.path.join(d, "big.txt")
    size = os.path.getsize(big)
    start = time.perf_counter()
    async with aiofiles.open(big, "r") as f:
        text = await f.read()
    seconds = time.perf_counter() - start
    assert len(text) == size
    return size / MIB, seconds


def big_lines(d):
    # The same lines as big.txt, made before the clock starts.
    size = os.path.getsize(os.path.join(d, "big.txt"))
    line = "x" * 99 + "\n"
    return [line] * (size // len(line))


def prefix_lines(d):
    return big_lines(d)[:LINE_MIB * MIB // 100]


async def write_lines(d):
    out = out_dir(d)
    lines = prefix_lines(d)
    start = time.perf_counter()
    async with aiofiles.open(os.path.join(out, "big.txt"), "w") as f:
        for line in lines:
            await f.write(line)
    seconds = time.perf_counter() - start
    size = os.path.getsize(os.path.join(out, "big.txt"))
    assert size == len(lines) * 100, size
    shutil.rmtree(out)
    return size / MIB, seconds


async def write_whole(d):
    out = out_dir(d)
    text = "".join(big_lines(d))
    start = time.perf_counter()
    async with aiofiles.open(os.path.join(out, "big.txt"), "w") as f:
        await f.write(text)
    seconds = time.perf_counter() - start
    size = os.path.getsize(os.path.join(out, "big.txt"))
    assert size == len(text), size
    shutil.rmtree(out)
    return size / MIB, seconds


async def spawn_one():
    p = await asyncio.create_subprocess_exec("echo", "hi", stdin=asyncio.subprocess.PIPE,
                                             stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, _ = await p.communicate()
    assert out == b"hi\n" and p.returncode == 0, (out, p.returncode)


async def spawn_seq(_d):
    start = time.perf_counter()
    for _ in range(SPAWNS):
        await spawn_one()
    return SPAWNS, time.perf_counter() - start


async def spawn_16(_d):
    left = SPAWNS

    async def worker():
        nonlocal left
        while left > 0:
            left -= 1
            await spawn_one()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(SPAWN_PARALLEL)))
    return SPAWNS, time.perf_counter() - start


WORKLOADS = {
    "read-small": (read_small, "files/s", False),
    "write-small": (write_small, "files/s", False),
    "read-lines": (read_lines, "MiB/s", True),
    "read-whole": (read_whole, "MiB/s", False),
    "write-lines": (write_lines, "MiB/s", True),
    "write-whole": (write_whole, "MiB/s", False),
    "spawn-seq": (spawn_seq, "spawns/s", False),
    "spawn-16": (spawn_16, "spawns/s", False),
}


def main():
    d = sys.argv[1]
    for name in sys.argv[2:]:
        fn, unit, slow = WORKLOADS[name]
        # aiofiles takes one executor hop per line: one round of a line row is enough to see it.
        value = median(lambda: fn(d), 0 if slow else WARMUP_ROUNDS, SLOW_ROUNDS if slow else ROUNDS)
        report("asyncio" if name.startswith("spawn") else "aiofiles", name, value, unit)


if __name__ == "__main__":
    main()
