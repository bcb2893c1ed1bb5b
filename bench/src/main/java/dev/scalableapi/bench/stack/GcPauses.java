package dev.scalableapi.bench.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stop-the-world pauses a service's JVM logged within a window of wall-clock time, read from its GC log
 * ({@code -Xlog:gc:file=…:timemillis}): what explains a latency tail that CPU figures do not.
 */
public record GcPauses(int pauses, int full, double totalMs, double longestMs) {

    /** {@code [1765000000123ms] GC(12) Pause Young (Allocation Failure) 37M->26M(40M) 2.448ms}: logged as it ends. */
    private static final Pattern PAUSE = Pattern.compile("^\\[(\\d+)ms] GC\\(\\d+\\) Pause (\\w+).* ([0-9.]+)ms$");

    /** The JVM option that writes the log this class reads. */
    public static String logOption(Path log) {
        return "-Xlog:gc:file=" + log + ":timemillis:filecount=0";
    }

    public static GcPauses between(Path log, long fromEpochMillis, long toEpochMillis) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log);
        } catch (NoSuchFileException none) {
            return new GcPauses(0, 0, 0, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int pauses = 0;
        int full = 0;
        double total = 0;
        double longest = 0;
        for (String line : lines) {
            Matcher m = PAUSE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            long at = Long.parseLong(m.group(1));
            if (at < fromEpochMillis || at > toEpochMillis) {
                continue;
            }
            double ms = Double.parseDouble(m.group(3));
            pauses++;
            full += m.group(2).equals("Full") ? 1 : 0;
            total += ms;
            longest = Math.max(longest, ms);
        }
        return new GcPauses(pauses, full, total, longest);
    }
}
