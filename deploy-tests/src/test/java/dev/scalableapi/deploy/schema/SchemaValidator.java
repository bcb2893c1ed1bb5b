package dev.scalableapi.deploy.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.deploy.support.Processes;
import dev.scalableapi.deploy.support.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Types, required fields and enums, checked by the JSON schemas of the Kubernetes API (npm {@code kubernetes-models},
 * plus the prometheus-operator and KEDA models) in {@code deploy-tests/schema-validator}. Its packages are installed
 * from the committed package-lock on first use.
 */
public final class SchemaValidator {

    private static final Path DIR = Repo.path("deploy-tests", "schema-validator");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static boolean installed;

    private SchemaValidator() {
    }

    /** Errors by object id ({@code Kind/name}); objects without errors are absent. */
    public static Map<String, List<String>> errors(List<Map<String, Object>> objects) {
        ensureInstalled();
        try {
            Path input = Files.createTempFile(Repo.target(), "objects-", ".json");
            JSON.writeValue(input.toFile(), objects);
            Processes.Result result = Processes.run(List.of("node", "validate.mjs", input.toString()), DIR);
            Files.delete(input);
            Map<String, List<String>> errors = new LinkedHashMap<>();
            int lines = 0;
            for (String line : result.stdout().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                lines++;
                JsonNode report = JSON.readTree(line);
                List<String> messages = JSON.convertValue(report.get("errors"),
                        JSON.getTypeFactory().constructCollectionType(List.class, String.class));
                if (!messages.isEmpty()) {
                    errors.merge(report.get("id").asText(), messages, (a, b) -> java.util.stream.Stream
                            .concat(a.stream(), b.stream()).toList());
                }
            }
            if (lines != objects.size() || (result.exitCode() != 0) != !errors.isEmpty()) {
                throw new AssertionError("schema validator answered for " + lines + " of " + objects.size()
                        + " objects (exit " + result.exitCode() + "):\n" + result.stdout() + result.stderr());
            }
            return errors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void ensureInstalled() {
        if (installed) {
            return;
        }
        Path marker = DIR.resolve("node_modules").resolve(".package-lock.json");
        try {
            boolean current = Files.exists(marker) && Files.getLastModifiedTime(marker)
                    .compareTo(Files.getLastModifiedTime(DIR.resolve("package-lock.json"))) >= 0;
            if (!current) {
                Processes.Result npm = Processes.run(List.of("npm", "ci", "--no-audit", "--no-fund"), DIR);
                if (npm.exitCode() != 0) {
                    throw new AssertionError("npm ci in " + DIR + " failed:\n" + npm.stderr());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        installed = true;
    }
}
