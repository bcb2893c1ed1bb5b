package dev.scalableapi.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.bench.limiter.LimiterBenchmark;
import dev.scalableapi.bench.profile.JfrProfile;
import dev.scalableapi.bench.load.LoadResult;
import dev.scalableapi.bench.stack.GcPauses;
import dev.scalableapi.bench.wrk.WrkRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

    @TempDir
    Path dir;

    @Test
    void writesMarkdownJsonAndWellFormedCharts() throws Exception {
        BenchResults results = new BenchResults("2026-01-01T00:00:00Z", "bench/run",
                new BenchResults.Machine(2, 24000, "java", "linux"),
                new BenchResults.Settings(1667, 15, 5, 8, List.of(16, 64), 100, 100, 1000),
                List.of(scenario("direct", 0.4, 12000), scenario("gateway", 1.3, 4000)),
                new BenchResults.Limiter(new LimiterBenchmark.Result(64, 50000, 1667, 0.1, 0.2, 0.5, 1, 2, 0), 0.1, 0.3,
                        new BenchResults.Alternation(64, 6, List.of(4000.0, 3800.0, 3900.0, 4100.0),
                                List.of(4100.0, 4000.0, 3700.0, 4200.0))),
                "-Xmx96m", Map.of("gateway", 1.5), List.of(new JfrProfile.Summary("gateway", 100,
                        List.of(new JfrProfile.Share("io.netty.Foo.bar", 12.5)), List.of(), List.of(), 3, 0)));

        BenchReport.write(results, dir);

        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("| direct | client → x | cached-get | 1667 | 0.40 |"), md);
        assertTrue(md.contains("gateway +0.90 ms"), md);
        assertTrue(md.contains("| gateway | cached-get | 4000 | 64 |"), md);
        assertTrue(md.contains("| `io.netty.Foo.bar` | 12.5 |"), md);
        assertTrue(md.contains("gateway 1.50"), md);
        // on ÷ off per pair: 0.976, 0.95, 1.054, 0.976; the median is the middle two's mean
        assertTrue(md.contains("median on ÷ off **-2.4 %** (on / off req/s: 4000 / 4100, 3800 / 4000, 3900 / 3700, "
                + "4100 / 4200)"), md);
        assertTrue(md.contains("| direct | 12, ≤ 41.3 ms, 1 full |"), md);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertEquals(1.3, json.at("/scenarios/1/fixed/p50").asDouble());
        for (String chart : List.of("latency.svg", "throughput.svg")) {
            var svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve(chart).toFile());
            assertEquals("svg", svg.getDocumentElement().getTagName());
            assertTrue(svg.getElementsByTagName("rect").getLength() > 2, chart + " has no bars");
        }
    }

    private static BenchResults.Scenario scenario(String id, double p50, double throughput) {
        LoadResult fixed = new LoadResult(id, 1667, 15, 25005, 25005, 0, Map.of("200", 25005L), Map.of("HIT-L1", 25005L),
                p50, p50 * 2, p50 * 4, p50 * 8, p50 * 10, p50);
        WrkRun.Result best = new WrkRun.Result(id, 64, 8, (long) throughput * 8, throughput, 0, 0, 0, 1, 2, 9, 20, 30);
        return new BenchResults.Scenario(id, "client → x", "cached-get", fixed,
                Map.of("api-1", new BenchResults.Usage(50, 300)), Map.of("api-1", new GcPauses(12, 1, 60.5, 41.25)),
                List.of(new BenchResults.Throttle(best, Map.of())), best);
    }
}
