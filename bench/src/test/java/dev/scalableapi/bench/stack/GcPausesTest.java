package dev.scalableapi.bench.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcPausesTest {

    @TempDir
    Path dir;

    @Test
    void countsThePausesThatEndedWithinTheWindow() throws Exception {
        Path log = dir.resolve("gateway-gc.log");
        Files.writeString(log, """
                [1000ms] Using Serial
                [1500ms] GC(0) Pause Young (Allocation Failure) 37M->26M(40M) 9.500ms
                [2000ms] GC(1) Pause Young (Allocation Failure) 37M->26M(40M) 2.448ms
                [2500ms] GC(2) Pause Full (Allocation Failure) 40M->21M(60M) 41.002ms
                [2600ms] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 30M->12M(96M) 3.100ms
                [3000ms] GC(4) Pause Young (Allocation Failure) 37M->26M(40M) 1.000ms
                [3001ms] GC(5) Pause Young (Allocation Failure) 37M->26M(40M) 80.000ms
                """);

        GcPauses window = GcPauses.between(log, 2000, 3000);

        assertEquals(4, window.pauses());
        assertEquals(1, window.full());
        assertEquals(47.55, window.totalMs(), 1e-9);
        assertEquals(41.002, window.longestMs(), 1e-9);
    }

    @Test
    void aServiceThatLoggedNothingYetPausedNever() {
        assertEquals(new GcPauses(0, 0, 0, 0), GcPauses.between(dir.resolve("missing.log"), 0, Long.MAX_VALUE));
    }
}
