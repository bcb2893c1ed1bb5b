package dev.scalableapi.deploy.chart;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.deploy.support.Repo;
import dev.scalableapi.deploy.support.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The chart README documents every value in values.yaml (as `path.to.value`), and values.schema.json knows it. */
class ChartReadmeTest {

    @Test
    void everyValueIsDocumented() throws IOException {
        String readme = Files.readString(Repo.chart().resolve("README.md"));
        Set<String> undocumented = new TreeSet<>();
        for (String path : leaves()) {
            if (!readme.contains("`" + path + "`")) {
                undocumented.add(path);
            }
        }
        assertTrue(undocumented.isEmpty(), "helm/scalable-api/README.md does not document " + undocumented);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> leaves() throws IOException {
        Map<String, Object> values = Yaml.MAPPER.readValue(Repo.chart().resolve("values.yaml").toFile(), Map.class);
        Set<String> leaves = new TreeSet<>();
        collect("", values, leaves);
        return leaves;
    }

    /** Maps that are free-form (labels, env, selectors, resources) are documented as a whole. */
    @SuppressWarnings("unchecked")
    private static void collect(String prefix, Map<String, Object> map, Set<String> leaves) {
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            boolean freeForm = List.of("resources", "env", "labels", "annotations", "podAnnotations", "nodeSelector",
                    "affinity", "namespaceSelector", "podSelector", "podSecurityContext", "containerSecurityContext",
                    "requests", "limits").contains(entry.getKey());
            if (entry.getValue() instanceof Map<?, ?> nested && !nested.isEmpty() && !freeForm) {
                collect(path, (Map<String, Object>) nested, leaves);
            } else {
                leaves.add(path);
            }
        }
    }
}
