package dev.scalableapi.deploy.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.deploy.support.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's "Configuration" table names every environment variable a service reads, each by its full name in the
 * first column (so that searching the README for a name finds its row), and names none that nothing reads.
 */
class ReadmeConfigurationTableTest {

    private static final List<String> MODULES = List.of("gateway-service", "balancer-service", "api-service");

    /**
     * Read by neither a service's configuration nor the chart nor {@code scripts/}: {@code QUARKUS_PROFILE} is read by
     * Quarkus itself (the configuration profile; {@code scripts/run} passes it on).
     */
    private static final Set<String> READ_ELSEWHERE = Set.of("QUARKUS_PROFILE");

    private static final Pattern NAME = Pattern.compile("`([A-Z][A-Z0-9_]*)`");
    /** A shortened name such as {@code `_INTERVAL`} or {@code `…_SERVICE`}: it would hide the full one from a search. */
    private static final Pattern SHORTHAND = Pattern.compile("`(?:…|\\.\\.\\.)?_[A-Z0-9_]*`|`…[A-Z0-9_]*`");

    @Test
    void everyVariableAServiceReadsHasARow() {
        Set<String> documented = documentedVariables();
        Map<String, Set<String>> undocumented = new LinkedHashMap<>();
        for (String module : MODULES) {
            ServiceConfig config = new ServiceConfig(module);
            Set<String> read = new TreeSet<>(config.placeholderVariables());
            read.addAll(config.variablesOfUnsetProperties());
            read.removeAll(documented);
            if (!read.isEmpty()) {
                undocumented.put(module, read);
            }
        }
        assertTrue(undocumented.isEmpty(), "README.md \"Configuration\" has no row for " + undocumented);
    }

    @Test
    void everyVariableInTheTableIsRead() {
        Set<String> read = new TreeSet<>(READ_ELSEWHERE);
        for (String module : MODULES) {
            read.addAll(new ServiceConfig(module).environmentVariables());
        }
        Set<String> stale = new TreeSet<>(documentedVariables());
        stale.removeAll(read);
        stale.removeIf(name -> expandedIn(name, Repo.path("scripts")) || mentionedIn(name, Repo.chart().resolve("templates")));
        assertTrue(stale.isEmpty(), "README.md \"Configuration\" documents variables nothing reads: " + stale);
    }

    @Test
    void rowsNameVariablesInFull() {
        List<String> shortened = new ArrayList<>();
        for (String cell : firstCells()) {
            if (SHORTHAND.matcher(cell).find()) {
                shortened.add(cell.trim());
            }
        }
        assertTrue(shortened.isEmpty(), "README.md \"Configuration\" shortens names (write them in full): " + shortened);
    }

    @Test
    void readsTheTable() {
        Set<String> documented = documentedVariables();
        assertTrue(documented.containsAll(Set.of("PORT", "BALANCER_HEALTH_INTERVAL", "RATE_LIMIT_WINDOW_MS")),
                "parsed " + documented);
        assertFalse(documented.contains("GATEWAY_RATELIMIT_WINDOW_MS"), "only the first column counts");
        assertTrue(expandedIn("JAVA_OPTS", Repo.path("scripts")));
        assertFalse(expandedIn("PORT_THAT_NOTHING_READS", Repo.path("scripts")));
    }

    /** The names in the first column of the table's rows. */
    private static Set<String> documentedVariables() {
        Set<String> names = new TreeSet<>();
        for (String cell : firstCells()) {
            Matcher name = NAME.matcher(cell);
            while (name.find()) {
                names.add(name.group(1));
            }
        }
        return names;
    }

    private static List<String> firstCells() {
        String readme = read(Repo.path("README.md"));
        int start = readme.indexOf("\n## Configuration\n");
        assertTrue(start >= 0, "README.md has a \"Configuration\" section");
        int end = readme.indexOf("\n## ", start + 1);
        List<String> cells = new ArrayList<>();
        for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
            if (line.startsWith("| `")) {
                cells.add(line.split("\\|")[1]);
            }
        }
        assertFalse(cells.isEmpty(), "README.md \"Configuration\" has a table");
        return cells;
    }

    /** Whether a shell script under {@code dir} expands the variable ({@code $NAME}, {@code ${NAME…}}). */
    private static boolean expandedIn(String name, Path dir) {
        Pattern expansion = Pattern.compile("\\$\\{?" + name + "\\b");
        return files(dir).anyMatch(file -> expansion.matcher(read(file)).find());
    }

    /** Whether a chart template names the variable (one it sets for a service). */
    private static boolean mentionedIn(String name, Path dir) {
        Pattern word = Pattern.compile("\\b" + name + "\\b");
        return files(dir).anyMatch(file -> word.matcher(read(file)).find());
    }

    private static Stream<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
