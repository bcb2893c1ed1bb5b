package dev.scalableapi.bench.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of one service under load ({@code jcmd <pid> JFR.start settings=profile}) and what it says:
 * where CPU samples land (self and, for the project's own code, inclusive), what allocates, and how often threads
 * park or wait for a monitor. The bench writes it beside the figures, so every claim about a cost names the
 * profile it comes from.
 */
public final class JfrProfile {

    private static final String PROJECT = "dev.scalableapi";

    /** One line of a top-N table: a frame and its share of the samples. */
    public record Share(String frame, double percent) {
    }

    /** What one recording says; shares in % of its samples. */
    public record Summary(String service, long cpuSamples, List<Share> selfTop, List<Share> projectInclusive,
            List<Share> allocationTop, long threadParks, long monitorWaits) {
    }

    private JfrProfile() {
    }

    /** Starts a recording named {@code name} in the process {@code pid}. */
    public static void start(long pid, String name) throws IOException, InterruptedException {
        jcmd(pid, "JFR.start", "name=" + name, "settings=profile");
    }

    /** Stops the recording and writes it to {@code file} (jcmd returns once it is written). */
    public static void stop(long pid, String name, Path file) throws IOException, InterruptedException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        jcmd(pid, "JFR.stop", "name=" + name, "filename=" + file.toAbsolutePath());
    }

    private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> line = new java.util.ArrayList<>(List.of("jcmd", Long.toString(pid)));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", command) + " failed for pid " + pid);
        }
    }

    /** Summarises a written recording. */
    public static Summary summarize(String service, Path file, int top) throws IOException {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> project = new HashMap<>();
        Map<String, Long> allocations = new HashMap<>();
        long samples = 0;
        long allocated = 0;
        long parks = 0;
        long monitors = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            String type = event.getEventType().getName();
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    List<RecordedFrame> frames = event.getStackTrace() == null ? List.of()
                            : event.getStackTrace().getFrames();
                    if (frames.isEmpty()) {
                        continue;
                    }
                    samples++;
                    self.merge(name(frames.get(0)), 1L, Long::sum);
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame frame : frames) {
                        String name = name(frame);
                        if (name.startsWith(PROJECT) && seen.add(name)) {
                            project.merge(name, 1L, Long::sum);
                        }
                    }
                }
                case "jdk.ObjectAllocationSample" -> {
                    long weight = event.getLong("weight");
                    allocated += weight;
                    List<RecordedFrame> frames = event.getStackTrace() == null ? List.of()
                            : event.getStackTrace().getFrames();
                    String where = frames.stream().map(JfrProfile::name).filter(n -> n.startsWith(PROJECT))
                            .findFirst().orElse(frames.isEmpty() ? "?" : name(frames.get(0)));
                    allocations.merge(where, weight, Long::sum);
                }
                case "jdk.ThreadPark" -> parks++;
                case "jdk.JavaMonitorEnter" -> monitors++;
                default -> { }
            }
        }
        return new Summary(service, samples, top(self, samples, top), top(project, samples, top),
                top(allocations, allocated, top), parks, monitors);
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static List<Share> top(Map<String, Long> counts, long total, int n) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(n).map(e -> new Share(e.getKey(), total == 0 ? 0 : Math.round(1000.0 * e.getValue() / total) / 10.0))
                .toList();
    }
}
