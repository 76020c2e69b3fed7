package dev.weft.benchmarks.peers

import dev.weft.benchmarks.files.BlockingFilesPeer
import dev.weft.benchmarks.files.FileWorkloads
import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext

/**
 * The kotlinx.coroutines peer of the files comparison: `withContext(Dispatchers.IO)` around the
 * blocking calls, as Kotlin code does it (kotlinx has no asynchronous file API), from `runBlocking`'s
 * one-thread event loop. One `withContext` per small file (open, read or write, close), gathered
 * [FileWorkloads.BATCH] at a time as on every peer; one around the whole line loop or whole read
 * of the big file; one per child process.
 *
 * Usage: `java -cp benchmarks.jar dev.weft.benchmarks.peers.KotlinFilesPeer DIR WORKLOAD...`
 * (in the jar only when built with `-Ppeers`).
 */
object KotlinFilesPeer {
    private const val PEER = "kotlinx-io"

    /** Runs the named workloads on the fixtures under `args[0]` and prints their results. */
    @JvmStatic
    fun main(args: Array<String>) {
        val dir = Path.of(args[0])
        val big = dir.resolve("big.txt")
        for (w in args.drop(1)) {
            when (w) {
                "read-small" -> FileWorkloads.report(PEER, w, "files/s") {
                    val start = System.nanoTime()
                    val chars = runBlocking {
                        var sum = 0L
                        for (i in 0 until FileWorkloads.SMALL_FILES step FileWorkloads.BATCH) {
                            sum += (i until minOf(FileWorkloads.SMALL_FILES, i + FileWorkloads.BATCH)).map { k ->
                                async {
                                    withContext(Dispatchers.IO) {
                                        Files.readString(FileWorkloads.small(dir.resolve("small"), k)).length
                                    }
                                }
                            }.awaitAll().sum()
                        }
                        sum
                    }
                    val t = System.nanoTime() - start
                    FileWorkloads.check("characters read", chars, FileWorkloads.SMALL_FILES.toLong() * FileWorkloads.SMALL_SIZE)
                    doubleArrayOf(FileWorkloads.SMALL_FILES.toDouble(), t.toDouble())
                }
                "write-small" -> FileWorkloads.report(PEER, w, "files/s") {
                    val out = FileWorkloads.outDir(dir, PEER)
                    val start = System.nanoTime()
                    runBlocking {
                        for (i in 0 until FileWorkloads.SMALL_FILES step FileWorkloads.BATCH) {
                            (i until minOf(FileWorkloads.SMALL_FILES, i + FileWorkloads.BATCH)).map { k ->
                                async {
                                    withContext(Dispatchers.IO) {
                                        Files.writeString(FileWorkloads.small(out, k), FileWorkloads.SMALL_TEXT)
                                    }
                                }
                            }.awaitAll()
                        }
                    }
                    val t = System.nanoTime() - start
                    FileWorkloads.check("bytes on disk", Files.size(FileWorkloads.small(out, FileWorkloads.SMALL_FILES - 1)),
                        FileWorkloads.SMALL_SIZE.toLong())
                    FileWorkloads.deleteTree(out)
                    doubleArrayOf(FileWorkloads.SMALL_FILES.toDouble(), t.toDouble())
                }
                "read-lines" -> FileWorkloads.report(PEER, w, "MiB/s") {
                    val start = System.nanoTime()
                    val chars = runBlocking {
                        withContext(Dispatchers.IO) {
                            var sum = 0L
                            Files.newBufferedReader(big, StandardCharsets.UTF_8).use { r ->
                                while (true) {
                                    val line = r.readLine() ?: break
                                    sum += line.length + 1
                                }
                            }
                            sum
                        }
                    }
                    val t = System.nanoTime() - start
                    FileWorkloads.check("characters read", chars, Files.size(big))
                    doubleArrayOf(FileWorkloads.mib(chars), t.toDouble())
                }
                "read-whole" -> FileWorkloads.report(PEER, w, "MiB/s") {
                    val start = System.nanoTime()
                    val chars = runBlocking { withContext(Dispatchers.IO) { Files.readString(big).length.toLong() } }
                    val t = System.nanoTime() - start
                    FileWorkloads.check("characters read", chars, Files.size(big))
                    doubleArrayOf(FileWorkloads.mib(chars), t.toDouble())
                }
                "write-lines" -> FileWorkloads.report(PEER, w, "MiB/s") {
                    val out = FileWorkloads.outDir(dir, PEER).resolve("big.txt")
                    val lines = FileWorkloads.bigLines(big)
                    val start = System.nanoTime()
                    runBlocking {
                        withContext(Dispatchers.IO) {
                            Files.newBufferedWriter(out, StandardCharsets.UTF_8).use { wr ->
                                repeat(lines) { wr.write(FileWorkloads.LINE) }
                            }
                        }
                    }
                    val t = System.nanoTime() - start
                    val size = Files.size(out)
                    FileWorkloads.check("bytes on disk", size, lines.toLong() * FileWorkloads.LINE.length)
                    FileWorkloads.deleteTree(out.parent)
                    doubleArrayOf(FileWorkloads.mib(size), t.toDouble())
                }
                "write-whole" -> FileWorkloads.report(PEER, w, "MiB/s") {
                    val out = FileWorkloads.outDir(dir, PEER).resolve("big.txt")
                    val text = FileWorkloads.LINE.repeat(FileWorkloads.bigLines(big))
                    val start = System.nanoTime()
                    runBlocking { withContext(Dispatchers.IO) { Files.writeString(out, text) } }
                    val t = System.nanoTime() - start
                    val size = Files.size(out)
                    FileWorkloads.check("bytes on disk", size, text.length.toLong())
                    FileWorkloads.deleteTree(out.parent)
                    doubleArrayOf(FileWorkloads.mib(size), t.toDouble())
                }
                "spawn-seq" -> FileWorkloads.report(PEER, w, "spawns/s") {
                    val start = System.nanoTime()
                    runBlocking {
                        repeat(FileWorkloads.SPAWNS) { withContext(Dispatchers.IO) { BlockingFilesPeer.spawnOne() } }
                    }
                    doubleArrayOf(FileWorkloads.SPAWNS.toDouble(), (System.nanoTime() - start).toDouble())
                }
                "spawn-16" -> FileWorkloads.report(PEER, w, "spawns/s") {
                    val start = System.nanoTime()
                    runBlocking {
                        var left = FileWorkloads.SPAWNS
                        List(FileWorkloads.SPAWN_PARALLEL) {
                            launch {
                                while (left > 0) {
                                    left--
                                    withContext(Dispatchers.IO) { BlockingFilesPeer.spawnOne() }
                                }
                            }
                        }.forEach { it.join() }
                    }
                    doubleArrayOf(FileWorkloads.SPAWNS.toDouble(), (System.nanoTime() - start).toDouble())
                }
                else -> throw IllegalArgumentException("KotlinFilesPeer: unknown workload '$w'")
            }
        }
    }
}
