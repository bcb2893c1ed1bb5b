package dev.scalableapi.systemtests.fuzz;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;

/**
 * How many inputs a fuzz run generates and from which seed, read from system properties (Maven passes {@code -D}
 * options on to the tests):
 * <ul>
 * <li>{@code fuzz.inputs}: malformed requests to send (default 10,000, the CI run);</li>
 * <li>{@code fuzz.seed}: the run's seed (default: a new one each run, printed, so every run explores new inputs and
 * any one can be repeated);</li>
 * <li>{@code fuzz.index}: replay only this input of the seed's sequence (from a failure message);</li>
 * <li>{@code fuzz.families}: comma list of family names (or parts of them) to generate, default all;</li>
 * <li>{@code fuzz.knownDefects=include}: also generate the variants that meet an open defect.</li>
 * </ul>
 */
record FuzzRun(int inputs, long seed, OptionalLong index, boolean includeKnownDefects, List<String> families) {

    static final int DEFAULT_INPUTS = 10_000;

    static FuzzRun fromSystemProperties() {
        String seed = System.getProperty("fuzz.seed", "").trim();
        String index = System.getProperty("fuzz.index", "").trim();
        String families = System.getProperty("fuzz.families", "").trim();
        return new FuzzRun(
                Integer.parseInt(System.getProperty("fuzz.inputs", Integer.toString(DEFAULT_INPUTS)).trim().replace("_", "")),
                seed.isEmpty() ? RandomGenerator.getDefault().nextLong() : Long.decode(seed),
                index.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(index)),
                System.getProperty("fuzz.knownDefects", "").trim().equalsIgnoreCase("include"),
                families.isEmpty() ? List.of() : Arrays.stream(families.split(",")).map(String::trim)
                        .filter(f -> !f.isEmpty()).toList());
    }

    /** The indices of a sequence of {@code count} inputs this run checks: all of them, or the one replayed. */
    LongStream indices(long count) {
        return index.isPresent() ? LongStream.of(index.getAsLong()) : LongStream.range(0, count);
    }

    Predicate<String> familyFilter() {
        return name -> families.isEmpty() || families.stream()
                .anyMatch(f -> name.toLowerCase(Locale.ROOT).contains(f.toLowerCase(Locale.ROOT)));
    }

    /** The Maven options that regenerate input {@code i} of this run, alone. */
    String replay(String i) {
        return "-Dfuzz.seed=" + seed + " -Dfuzz.index=" + i
                + (includeKnownDefects ? " -Dfuzz.knownDefects=include" : "")
                + (families.isEmpty() ? "" : " -Dfuzz.families='" + String.join(",", families) + "'");
    }
}
