package dev.scalableapi.deploy.monitoring;

import dev.scalableapi.deploy.support.Processes;
import dev.scalableapi.deploy.support.Repo;
import dev.scalableapi.deploy.support.Yaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Prometheus' own checker (Debian package prometheus; .ci/run installs it). */
final class Promtool {

    private Promtool() {
    }

    static Processes.Result checkRules(Map<String, Object> ruleFile) {
        return run("check", "rules", write(ruleFile, "rules-").toString());
    }

    static Processes.Result testRules(Map<String, Object> testFile, Map<String, Object> ruleFile) {
        Path rules = write(ruleFile, "rules-");
        Map<String, Object> test = new java.util.LinkedHashMap<>(testFile);
        test.put("rule_files", List.of(rules.getFileName().toString()));
        return run("test", "rules", write(test, "rule-tests-").toString());
    }

    private static Processes.Result run(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        return Processes.run(command, Repo.target());
    }

    private static Path write(Map<String, Object> content, String prefix) {
        try {
            Files.createDirectories(Repo.target());
            Path file = Files.createTempFile(Repo.target(), prefix, ".yaml");
            Yaml.MAPPER.writeValue(file.toFile(), content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
