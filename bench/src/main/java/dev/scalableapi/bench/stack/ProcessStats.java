package dev.scalableapi.bench.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time and resident memory of a process and its descendants (NGINX and PostgreSQL work in child processes),
 * read from {@code /proc}. CPU between two samples is reported as a percentage of one core.
 */
public final class ProcessStats {

    /** {@code cpuSeconds}: user + system time so far; {@code rssBytes}: resident set now. */
    public record Sample(long pid, long atNanos, double cpuSeconds, long rssBytes) {

        public double cpuPercentSince(Sample earlier) {
            double wall = (atNanos - earlier.atNanos) / 1e9;
            return wall <= 0 ? 0 : Math.max(0, (cpuSeconds - earlier.cpuSeconds) / wall * 100);
        }
    }

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ: 100 on every Linux architecture we run on

    private ProcessStats() {
    }

    public static Sample sample(long pid) {
        return sample(pid, tree(pid));
    }

    /** This JVM alone, without the processes it started. */
    public static Sample self() {
        long pid = ProcessHandle.current().pid();
        return sample(pid, new long[] {pid});
    }

    private static Sample sample(long pid, long[] pids) {
        double cpu = 0;
        long rss = 0;
        for (long each : pids) {
            cpu += cpuSeconds(each);
            rss += rssBytes(each);
        }
        return new Sample(pid, System.nanoTime(), cpu, rss);
    }

    private static long[] tree(long pid) {
        return ProcessHandle.of(pid)
                .map(handle -> Stream.concat(Stream.of(handle), handle.descendants()).mapToLong(ProcessHandle::pid)
                        .toArray())
                .orElse(new long[0]);
    }

    private static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after "(comm)": state is field 3, utime 14, stime 15
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    private static long rssBytes(long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
            return lines.filter(line -> line.startsWith("VmRSS:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024).findFirst().orElse(0);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
