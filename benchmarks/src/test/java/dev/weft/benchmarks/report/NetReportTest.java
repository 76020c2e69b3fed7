package dev.weft.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetReportTest {
    @TempDir
    Path dir;

    private static final String HEADER = "workload\tcase\tconnections\tpeer\tcount\tseconds\trate\tp50_us\tp99_us\tserver_cpu_s\tper_server_cpu_s\talloc_bytes_per_op\tnote";

    private String report(String... rows) throws IOException {
        Path results = dir.resolve("results.tsv");
        Files.write(results, List.of(rows));
        Path idle = dir.resolve("idle.tsv");
        Files.write(idle, List.of("peer\tconnections\taccepted\trss_before_kib\trss_after_kib\theap_before_kib\theap_after_kib\tbytes_per_connection\tnote",
                "weft-streams\t10000\t10000\t100000\t102000\t3000\t6000\t512\t"));
        return NetReport.markdown(List.of("date: 2026-12-01 10:00 UTC", "machine: test, 2 cores"),
                NetReport.readRuns(results), NetReport.readIdle(idle));
    }

    @Test
    void weftIsComparedToNettyNioPerServerCpuSecond() throws IOException {
        String md = report(HEADER,
                "http\tplain\t50\tnetty-nio-raw\t1000000\t10\t100000\t400\t900\t5.00\t200000\t40\t",
                "http\tplain\t50\tweft-streams\t1000000\t10\t100000\t380\t800\t4.00\t250000\t120\t",
                "http\tplain\t50\tweft-protocol\t1000000\t10\t100000\t380\t950\t4.50\t222222\t30\t");
        assertTrue(md.contains("| HTTP plain, 50 connections | 200.0k | 250.0k (1.25x) | yes | 222.2k (1.11x) | no | 900 µs / 800 µs / 950 µs | Protocol no |"), md);
        assertTrue(md.contains("weft-streams: 512 B each, under 1 KiB: met"), md);
        assertTrue(md.contains("| machine | test, 2 cores |"), md);
    }

    @Test
    void eachLoadIsRankedByWorkPerServerCpuSecond() throws IOException {
        String md = report(HEADER,
                "echo\t64B\t256\tasyncio-streams\t10\t1\t10\t1\t2\t1.00\t10\t-\t",
                "echo\t64B\t256\tnetty-nio-raw\t100\t1\t100\t1\t2\t1.00\t100\t0\t");
        assertTrue(md.indexOf("| netty-nio-raw | 100 | 1.00x") < md.indexOf("| asyncio-streams | 10 | 0.10x"), md);
    }

    @Test
    void countsAndLatenciesAreShortAndReadable() {
        assertEquals("1.59M", NetReport.count(1_590_000));
        assertEquals("193.0k", NetReport.count(193_000));
        assertEquals("812 µs", NetReport.micros(812));
        assertEquals("1.23 ms", NetReport.micros(1230));
        assertEquals("151.7 ms", NetReport.micros(151_690));
    }
}
