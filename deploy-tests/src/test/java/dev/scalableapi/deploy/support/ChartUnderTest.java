package dev.scalableapi.deploy.support;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart as Helm sees it, rendered and linted in-process with helm-java (Helm's own Go library), from a copy in
 * {@code target/} without any {@code charts/} directory a developer may have left in the working tree: the chart
 * declares no dependencies, so what Helm renders here is what a plain {@code helm install} from the repository
 * renders, with nothing downloaded.
 */
public final class ChartUnderTest {

    public static final String RELEASE = "scalable-api";
    public static final String NAMESPACE = "scalable-api";
    /** A supported Kubernetes version (the chart needs 1.30 or later). */
    public static final String KUBE_VERSION = "1.32.0";

    private static Path copy;

    private ChartUnderTest() {
    }

    /** The copy of the chart that Helm reads, made once per test JVM. */
    public static synchronized Path dir() {
        if (copy == null) {
            copy = copyWithoutCharts();
        }
        return copy;
    }

    public static LintResult lint() {
        ApiServerStandIn.ensureStarted();
        return new Helm(dir()).lint().strict().call();
    }

    /** Renders with the chart's defaults, a values file (or null) and {@code --set} overrides. */
    public static String render(Path valuesFile, Map<String, Object> sets) {
        ApiServerStandIn.ensureStarted();
        TemplateCommand template = new Helm(dir()).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            template = template.withValuesFile(valuesFile.toAbsolutePath());
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        return template.call();
    }

    public static Path productionValues() {
        return Repo.chart().resolve("ci").resolve("production-values.yaml");
    }

    private static Path copyWithoutCharts() {
        Path source = Repo.chart();
        Path target = Repo.target().resolve("chart-under-test").resolve("scalable-api");
        try {
            if (Files.exists(target)) {
                try (Stream<Path> old = Files.walk(target)) {
                    old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path relative = source.relativize(file);
                    if (relative.startsWith("charts")) {
                        continue; // whatever a developer fetched locally
                    }
                    Path destination = target.resolve(relative.toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(destination);
                    } else {
                        Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
