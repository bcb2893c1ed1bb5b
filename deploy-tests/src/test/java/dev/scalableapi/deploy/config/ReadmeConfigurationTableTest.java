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
import java.util.TreeMap;
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

    /** How the table says a variable has no default. */
    private static final Set<String> UNSET = Set.of("unset", "none");

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

    /**
     * Where a row's default column gives one plain value per name ({@code 2s / 1s} for two names), each is the
     * default the services' configuration gives: a placeholder's or a {@code @WithDefault}. Prose (anything with a
     * space or parenthesis, e.g. "api 3001, balancer 3000") is left to the reader; an empty default reads "unset".
     */
    @Test
    void plainDefaultsAreTheServicesDefaults() {
        Map<String, Set<String>> defaults = new TreeMap<>();
        for (String module : MODULES) {
            new ServiceConfig(module).variableDefaults().forEach((name, values) ->
                    defaults.computeIfAbsent(name, n -> new TreeSet<>()).addAll(values));
        }
        Set<String> checked = new TreeSet<>();
        List<String> wrong = new ArrayList<>();
        for (String[] row : rows()) {
            List<String> names = new ArrayList<>();
            Matcher name = NAME.matcher(row[0]);
            while (name.find()) {
                names.add(name.group(1));
            }
            String[] documented = row[1].trim().split(" / ");
            if (documented.length != names.size()) {
                continue;
            }
            for (int i = 0; i < documented.length; i++) {
                String value = documented[i].replace("`", "").trim();
                Set<String> actual = defaults.get(names.get(i));
                if (actual == null || value.matches(".*[\\s()].*")) {
                    continue;
                }
                checked.add(names.get(i));
                boolean unset = actual.equals(Set.of("")) && UNSET.contains(value);
                if (!unset && !actual.equals(Set.of(value))) {
                    wrong.add(names.get(i) + " is documented as " + value + " but defaults to " + actual);
                }
            }
        }
        assertTrue(checked.containsAll(Set.of("BALANCER_HEALTH_INTERVAL", "REDIS_PASSWORD", "GATEWAY_SHEDDING_MAX_LIMIT",
                "CACHE_L1_TTL", "API_CACHE_REPAIR_INTERVAL")), "checked only " + checked);
        assertTrue(wrong.isEmpty(), "README.md \"Configuration\": " + wrong);
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
    void readsWhatTheServicesRead() {
        ServiceConfig api = new ServiceConfig("api-service");
        assertTrue(api.variablesOfUnsetProperties().contains("API_CACHE_REPAIR_INTERVAL"), "a @Scheduled expression");
        assertTrue(api.variablesOfUnsetProperties().contains("API_RESOURCES_MAX_OFFSET"), "a @WithDefault");
        assertFalse(api.variablesOfUnsetProperties().contains("API_CACHE_L2_TTL_SECONDS"), "set from CACHE_TTL");
        assertTrue(api.placeholderVariables().containsAll(Set.of("CACHE_TTL", "POSTGRES_TEST_DB")), "profiles included");
        assertTrue(api.environmentVariables().contains("REQUEST_HEAD_MAX_HEADER_SIZE"), "common's mappings");
        assertTrue(new ServiceConfig("balancer-service").variableDefaults().get("BALANCER_HEALTH_INTERVAL")
                .equals(Set.of("2s")));
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
        return rows().stream().map(row -> row[0]).toList();
    }

    /** The cells of the table's rows. */
    private static List<String[]> rows() {
        String readme = read(Repo.path("README.md"));
        int start = readme.indexOf("\n## Configuration\n");
        assertTrue(start >= 0, "README.md has a \"Configuration\" section");
        int end = readme.indexOf("\n## ", start + 1);
        List<String[]> rows = new ArrayList<>();
        for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
            if (line.startsWith("| `")) {
                String[] cells = line.split("\\|");
                rows.add(new String[] {cells[1], cells[2]});
            }
        }
        assertFalse(rows.isEmpty(), "README.md \"Configuration\" has a table");
        return rows;
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
