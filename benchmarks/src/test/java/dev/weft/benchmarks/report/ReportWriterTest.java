package dev.weft.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
    @TempDir
    Path dir;

    private Results results(String... lines) throws IOException {
        Path file = dir.resolve("results.txt");
        Files.write(file, List.of(lines));
        return Results.read(file);
    }

    @Test
    void resultLinesAreReadAndOtherOutputIsIgnored() throws IOException {
        Results r = results("some chatter from a peer", "RESULT weft spawn 51.6 ns/task", "RESULT asyncio spawn 9592.3 ns/task");
        assertEquals(2, r.all().size());
        assertEquals(9592.3, r.find("asyncio", "spawn").value());
        assertNull(r.find("asyncio", "pingpong"));
    }

    @Test
    void weftIsTheFirstPeerWhateverOrderTheyRanIn() throws IOException {
        Results r = results("RESULT asyncio spawn 2 ns/task", "RESULT weft spawn 1 ns/task", "RESULT uvloop spawn 3 ns/task");
        assertEquals(List.of("weft", "asyncio", "uvloop"), r.peers());
    }

    @Test
    void aMetaKeyGivenTwiceKeepsBothTexts() throws IOException {
        Results r = results("META load average at start 1.0", "META load average at end 2.0");
        assertEquals("average at start 1.0; average at end 2.0", r.meta().get("load"));
    }

    @Test
    void aTruncatedResultLineIsReportedWithItsLineNumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> results("RESULT weft spawn 51.6"));
        assertTrue(e.getMessage().contains("results.txt:1"), e.getMessage());
    }

    @Test
    void eachPeerCellShowsItsRatioToWeft() throws IOException {
        Results r = results("RESULT weft spawn 50 ns/task", "RESULT kotlinx-coroutines spawn 225 ns/task",
                "RESULT weft sleepers-wall 2.88 s", "RESULT completable-future sleepers-wall 2.83 s");
        String md = ReportWriter.markdown(r, List.of(), "", "performance.png");
        assertTrue(md.contains("| spawn + gather | ns/task | < 60 | **50** (met) | 225 (×4.5) | n/a |"), md);
        assertTrue(md.contains("| 1M sleepers: wall | s | < 2 | **2.88** (missed) | n/a | 2.83 (×1.0) |"), md);
    }

    @Test
    void aWorkloadWithoutATargetShowsNoVerdict() throws IOException {
        Results r = results("RESULT weft semaphore 120 ns/task", "RESULT kotlinx-coroutines semaphore 600 ns/task");
        String md = ReportWriter.markdown(r, List.of(), "", "performance.png");
        assertTrue(md.contains("| fan-out, Semaphore(10) | ns/task | none | **120** | 600 (×5.0) |"), md);
    }

    @Test
    void jmhRowsCarryTheirAllocationAndTheDesignTarget() throws IOException {
        Path csv = dir.resolve("jmh.csv");
        Files.write(csv, List.of(
                "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\"",
                "\"dev.weft.benchmarks.jmh.PingPongBenchmark.pingPong\",\"avgt\",1,5,50.8,23.1,\"ns/op\"",
                "\"dev.weft.benchmarks.jmh.PingPongBenchmark.pingPong:gc.alloc.rate.norm\",\"avgt\",1,5,47.6,0.003,\"B/op\""));
        List<JmhCsv.Row> rows = JmhCsv.read(csv);
        assertEquals(1, rows.size());
        assertEquals(47.6, rows.get(0).bytesPerOp());
        String md = ReportWriter.markdown(results("RESULT weft spawn 50 ns/task"), rows, "", "performance.png");
        assertTrue(md.contains("| PingPongBenchmark.pingPong | 50.8 ± 23.1 ns/op | 47.6 | < 25 ns: **missed** |"), md);
    }
}
