#!/usr/bin/env python3
"""Python asyncio (and uvloop) side of Weft's peer comparison.

Runs the same workloads as the Java and Kotlin peers and prints one line per number in the
comparison's format, read by dev.weft.benchmarks.report.ReportWriter:

    RESULT <peer> <workload> <value> <unit>

Usage: asyncio_peer.py [--uvloop] WORKLOAD...   with WORKLOAD in spawn, taskgroup, semaphore,
pingpong, chain, generator, sleepers.
Sizes come from the environment so that compare.sh sets them once for every peer.
"""

import asyncio
import gc
import os
import statistics
import sys
import time

SPAWN_TASKS = int(os.environ.get("WEFT_SPAWN_TASKS", "100000"))
TASKGROUP_TASKS = int(os.environ.get("WEFT_TASKGROUP_TASKS", "100000"))
SEMAPHORE_TASKS = int(os.environ.get("WEFT_SEMAPHORE_TASKS", "1000"))
SEMAPHORE_PERMITS = 10
SEMAPHORE_REPEATS = int(os.environ.get("WEFT_SEMAPHORE_REPEATS", "100"))
PINGPONG_HOPS = int(os.environ.get("WEFT_PINGPONG_HOPS", "100000"))
CHAIN_DEPTH = int(os.environ.get("WEFT_CHAIN_DEPTH", "1000"))
CHAIN_REPEATS = int(os.environ.get("WEFT_CHAIN_REPEATS", "1000"))
GENERATOR_VALUES = int(os.environ.get("WEFT_GENERATOR_VALUES", "1000000"))
SLEEPERS = int(os.environ.get("WEFT_SLEEPERS", "1000000"))
SLEEP_SECONDS = float(os.environ.get("WEFT_SLEEP_SECONDS", "2"))
WARMUP_ROUNDS = int(os.environ.get("WEFT_WARMUP_ROUNDS", "3"))
ROUNDS = int(os.environ.get("WEFT_ROUNDS", "9"))

PEER = "asyncio"


def report(workload, value, unit):
    print(f"RESULT {PEER} {workload} {value:.3f} {unit}", flush=True)


def median_of_rounds(one_round):
    """Runs one_round (returning nanoseconds per operation) warm-up plus measured times."""
    for _ in range(WARMUP_ROUNDS):
        one_round()
    return statistics.median(one_round() for _ in range(ROUNDS))


async def immediate():
    return 1


async def spawn_round():
    start = time.perf_counter_ns()
    tasks = [asyncio.create_task(immediate()) for _ in range(SPAWN_TASKS)]
    await asyncio.gather(*tasks)
    return (time.perf_counter_ns() - start) / SPAWN_TASKS


async def nothing():
    pass


async def taskgroup_round():
    start = time.perf_counter_ns()
    async with asyncio.TaskGroup() as tg:
        for _ in range(TASKGROUP_TASKS):
            tg.create_task(nothing())
    return (time.perf_counter_ns() - start) / TASKGROUP_TASKS


async def semaphore_round():
    # 1,000 tasks share a Semaphore(10); each yields once while it holds a permit.
    start = time.perf_counter_ns()
    for _ in range(SEMAPHORE_REPEATS):
        permits = asyncio.Semaphore(SEMAPHORE_PERMITS)

        async def limited():
            async with permits:
                await asyncio.sleep(0)

        await asyncio.gather(*[asyncio.create_task(limited()) for _ in range(SEMAPHORE_TASKS)])
    return (time.perf_counter_ns() - start) / (SEMAPHORE_TASKS * SEMAPHORE_REPEATS)


async def pingpong_round():
    # Two tasks hand a number back and forth through two queues: one hop is one put and one get.
    to_pong = asyncio.Queue(maxsize=1)
    to_ping = asyncio.Queue(maxsize=1)
    rounds = PINGPONG_HOPS // 2

    async def ping():
        for i in range(rounds):
            await to_pong.put(i)
            await to_ping.get()

    async def pong():
        for _ in range(rounds):
            v = await to_pong.get()
            await to_ping.put(v)

    start = time.perf_counter_ns()
    await asyncio.gather(ping(), pong())
    return (time.perf_counter_ns() - start) / (rounds * 2)


async def level(depth, leaf):
    if depth == 0:
        return await leaf
    return await level(depth - 1, leaf) + 1


async def chain_round():
    loop = asyncio.get_running_loop()
    start = time.perf_counter_ns()
    for _ in range(CHAIN_REPEATS):
        leaf = loop.create_future()
        task = asyncio.create_task(level(CHAIN_DEPTH, leaf))
        await asyncio.sleep(0)
        leaf.set_result(0)
        await task
    return (time.perf_counter_ns() - start) / (CHAIN_REPEATS * CHAIN_DEPTH)


async def counter(n):
    for i in range(n):
        yield i


async def generator_round():
    # An async generator handing GENERATOR_VALUES ints to an async for loop in one task.
    n = GENERATOR_VALUES
    start = time.perf_counter_ns()
    total = 0
    async for v in counter(n):
        total += v
    cost = (time.perf_counter_ns() - start) / n
    assert total == n * (n - 1) // 2, f"the generator's values summed to {total}"
    return cost


def resident_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def sleeper():
    await asyncio.sleep(SLEEP_SECONDS)


async def sleepers():
    gc.collect()
    before = resident_bytes()
    start = time.perf_counter_ns()
    tasks = [asyncio.create_task(sleeper()) for _ in range(SLEEPERS)]
    # One iteration runs every task's first step, so each one is parked on its timer after it.
    await asyncio.sleep(0)
    gc.collect()
    peak = resident_bytes()
    await asyncio.gather(*tasks)
    wall = (time.perf_counter_ns() - start) / 1e9
    report("sleepers-wall", wall, "s")
    report("sleepers-heap", (peak - before) / SLEEPERS, "B/task")


def run(coro):
    return asyncio.run(coro)


def main(argv):
    global PEER
    args = list(argv)
    if "--uvloop" in args:
        args.remove("--uvloop")
        import uvloop  # noqa: imported only when asked for, compare.sh checks that it exists
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
        PEER = "uvloop"
    # The chain nests CHAIN_DEPTH coroutine frames on the C stack when it resumes.
    sys.setrecursionlimit(max(10000, CHAIN_DEPTH * 4))
    for workload in args:
        if workload == "spawn":
            report("spawn", median_of_rounds(lambda: run(spawn_round())), "ns/task")
        elif workload == "taskgroup":
            report("taskgroup", median_of_rounds(lambda: run(taskgroup_round())), "ns/task")
        elif workload == "semaphore":
            report("semaphore", median_of_rounds(lambda: run(semaphore_round())), "ns/task")
        elif workload == "pingpong":
            report("pingpong", median_of_rounds(lambda: run(pingpong_round())), "ns/hop")
        elif workload == "chain":
            report("chain", median_of_rounds(lambda: run(chain_round())), "ns/level")
        elif workload == "generator":
            report("generator", median_of_rounds(lambda: run(generator_round())), "ns/value")
        elif workload == "sleepers":
            run(sleepers())
        else:
            sys.exit(f"asyncio_peer.py: unknown workload '{workload}'; "
                     "use spawn, taskgroup, semaphore, pingpong, chain, generator or sleepers")


if __name__ == "__main__":
    main(sys.argv[1:])
