package dev.scalableapi.bench.wrk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WrkRunParseTest {

    @Test
    void readsTheScriptsSummaryLine() throws Exception {
        String output = """
                Running 8s test @ http://127.0.0.1:18080
                  2 threads and 64 connections
                BENCH_JSON {"requests":80000,"durationUs":8000000,"connectErrors":0,"readErrors":1,"writeErrors":0,\
                "statusErrors":9,"timeouts":2,"p50Us":1500,"p90Us":3000,"p99Us":9000,"p999Us":20000,"maxUs":31000}
                """;

        WrkRun.Result result = WrkRun.parse("gateway", 64, output);

        assertEquals(10_000, result.requestsPerSecond(), 0.001);
        assertEquals(12, result.errors());
        assertEquals(9, result.statusErrors());
        assertEquals(1.5, result.p50());
        assertEquals(9.0, result.p99());
        assertEquals(31.0, result.max());
    }
}
