package dev.weft.benchmarks.peers

import dev.weft.benchmarks.compare.Workloads
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.sync.withPermit
import kotlinx.coroutines.yield

/**
 * The kotlinx.coroutines peer of Weft's comparison. Every workload runs inside `runBlocking`, whose
 * event loop is one thread, as Weft's loop is; it prints the same `RESULT` lines as the Java peers
 * through [Workloads], with the same sizes.
 *
 * Usage: `java -cp benchmarks.jar dev.weft.benchmarks.peers.KotlinPeer spawn taskgroup semaphore pingpong chain generator
 * generator-sequence sleepers` (the class is in the jar only when it was built with `-Ppeers`). `generator` is a
 * `flow {}` collected in `runBlocking`; `generator-sequence` is Kotlin's synchronous `sequence {}`, which is not
 * kotlinx.coroutines' (it is in the standard library and needs no dispatcher), so it reports as its own peer,
 * `kotlin-sequence`.
 */
object KotlinPeer {
    private const val PEER = "kotlinx-coroutines"
    private const val SEQUENCE_PEER = "kotlin-sequence"

    /** Runs the named workloads and prints their results. */
    @JvmStatic
    fun main(args: Array<String>) {
        for (workload in args) {
            when (workload) {
                "spawn" -> Workloads.result(PEER, "spawn", Workloads.medianOfRounds { spawnRound() }, "ns/task")
                "taskgroup" -> Workloads.result(PEER, "taskgroup", Workloads.medianOfRounds { taskGroupRound() }, "ns/task")
                "semaphore" -> Workloads.result(PEER, "semaphore", Workloads.medianOfRounds { semaphoreRound() }, "ns/task")
                "pingpong" -> Workloads.result(PEER, "pingpong", Workloads.medianOfRounds { pingPongRound() }, "ns/hop")
                "chain" -> Workloads.result(PEER, "chain", Workloads.medianOfRounds { chainRound() }, "ns/level")
                "generator" -> Workloads.result(PEER, "generator", Workloads.medianOfRounds { flowRound() }, "ns/value")
                "generator-sequence" -> Workloads.result(SEQUENCE_PEER, "generator", Workloads.medianOfRounds { sequenceRound() }, "ns/value")
                "sleepers" -> sleepers()
                else -> throw Workloads.unknownWorkload(KotlinPeer::class.java, workload)
            }
        }
    }

    private fun spawnRound(): Double = runBlocking {
        val start = System.nanoTime()
        val tasks = List(Workloads.SPAWN_TASKS) { async { 1 } }
        val sum = tasks.awaitAll().sum()
        check(sum == Workloads.SPAWN_TASKS) { "spawn gathered $sum" }
        Workloads.nanosPer(start, Workloads.SPAWN_TASKS.toLong())
    }

    private fun taskGroupRound(): Double = runBlocking {
        var done = 0
        val start = System.nanoTime()
        // Structured concurrency's own block: it returns once every child launched in it is done.
        coroutineScope {
            repeat(Workloads.TASKGROUP_TASKS) { launch { done++ } }
        }
        val cost = Workloads.nanosPer(start, Workloads.TASKGROUP_TASKS.toLong())
        check(done == Workloads.TASKGROUP_TASKS) { "the scope ran $done tasks" }
        cost
    }

    private fun semaphoreRound(): Double = runBlocking {
        val start = System.nanoTime()
        repeat(Workloads.SEMAPHORE_REPEATS) {
            val permits = Semaphore(Workloads.SEMAPHORE_PERMITS)
            var inside = 0
            coroutineScope {
                repeat(Workloads.SEMAPHORE_TASKS) {
                    launch {
                        permits.withPermit {
                            check(++inside <= Workloads.SEMAPHORE_PERMITS) { "$inside tasks hold a permit" }
                            yield()
                            inside--
                        }
                    }
                }
            }
        }
        Workloads.nanosPer(start, Workloads.SEMAPHORE_TASKS.toLong() * Workloads.SEMAPHORE_REPEATS)
    }

    private fun pingPongRound(): Double = runBlocking {
        // Capacity 1, as asyncio.Queue(maxsize=1) and ArrayBlockingQueue(1) in the other peers.
        val toPong = Channel<Int>(1)
        val toPing = Channel<Int>(1)
        val rounds = Workloads.PINGPONG_HOPS / 2
        val start = System.nanoTime()
        val ping = launch {
            for (i in 0 until rounds) {
                toPong.send(i)
                toPing.receive()
            }
        }
        val pong = launch {
            for (i in 0 until rounds) {
                toPing.send(toPong.receive())
            }
        }
        joinAll(ping, pong)
        Workloads.nanosPer(start, rounds * 2L)
    }

    private suspend fun level(depth: Int, leaf: CompletableDeferred<Int>): Int =
        if (depth == 0) leaf.await() else level(depth - 1, leaf) + 1

    private fun chainRound(): Double = runBlocking {
        val start = System.nanoTime()
        repeat(Workloads.CHAIN_REPEATS) {
            val leaf = CompletableDeferred<Int>()
            val top = async { level(Workloads.CHAIN_DEPTH, leaf) }
            yield()
            leaf.complete(0)
            val v = top.await()
            check(v == Workloads.CHAIN_DEPTH) { "chain gave $v" }
        }
        Workloads.nanosPer(start, Workloads.CHAIN_REPEATS.toLong() * Workloads.CHAIN_DEPTH)
    }

    // A Long counter, boxed as Weft's generator and Python's ints are: Flow<Long> and Sequence<Long> are generic.
    private fun flowRound(): Double = runBlocking {
        val n = Workloads.GENERATOR_VALUES.toLong()
        val start = System.nanoTime()
        var sum = 0L
        flow {
            for (i in 0L until n) {
                emit(i)
            }
        }.collect { sum += it }
        val cost = Workloads.nanosPer(start, n)
        check(sum == n * (n - 1) / 2) { "the flow's values summed to $sum" }
        cost
    }

    private fun sequenceRound(): Double {
        val n = Workloads.GENERATOR_VALUES.toLong()
        val start = System.nanoTime()
        var sum = 0L
        val values = sequence {
            for (i in 0L until n) {
                yield(i)
            }
        }
        for (v in values) {
            sum += v
        }
        val cost = Workloads.nanosPer(start, n)
        check(sum == n * (n - 1) / 2) { "the sequence's values summed to $sum" }
        return cost
    }

    private fun sleepers() {
        val before = Workloads.usedHeapAfterGc()
        val millis = Math.round(Workloads.SLEEP_SECONDS * 1000)
        var start = 0L
        var peak = 0L
        runBlocking {
            start = System.nanoTime()
            val jobs = List(Workloads.SLEEPERS) { launch { delay(millis) } }
            // One turn of the loop starts every job, so each one is parked on its timer after it.
            yield()
            peak = Workloads.usedHeapAfterGc()
            jobs.joinAll()
        }
        val wall = (System.nanoTime() - start) / 1e9
        Workloads.result(PEER, "sleepers-wall", wall, "s")
        Workloads.result(PEER, "sleepers-heap", (peak - before).toDouble() / Workloads.SLEEPERS, "B/task")
    }
}
