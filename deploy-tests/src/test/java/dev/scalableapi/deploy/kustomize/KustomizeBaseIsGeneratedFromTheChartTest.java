package dev.scalableapi.deploy.kustomize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scalableapi.deploy.support.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * k8s/base and k8s/components/monitoring are exactly what the chart renders today (see {@link GeneratedManifests}).
 * With {@code -Dk8s.regenerate=true} the files are rewritten instead.
 */
class KustomizeBaseIsGeneratedFromTheChartTest {

    @Test
    void generatedFilesMatchTheChart() throws IOException {
        boolean regenerate = Boolean.getBoolean("k8s.regenerate");
        for (Map.Entry<Path, String> file : GeneratedManifests.generate().entrySet()) {
            Path path = Repo.path("k8s").resolve(file.getKey());
            if (regenerate) {
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
            }
            assertEquals(file.getValue(), Files.exists(path) ? Files.readString(path) : "<missing>",
                    "k8s/" + file.getKey() + " is not what the chart renders; regenerate it:\n"
                            + GeneratedManifests.HEADER);
        }
    }
}
