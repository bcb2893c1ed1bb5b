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
 * The chart as Helm sees it, rendered and linted in-process with helm-java (Helm's own Go library).
 *
 * <p>The chart declares kube-prometheus-stack as an optional dependency (off by default). Helm refuses to lint or
 * render a chart whose declared dependencies are not in {@code charts/}, even disabled ones, and this machine cannot
 * download charts from a chart repository. So the chart is copied to {@code target/} with a stand-in for that
 * dependency in {@code charts/}: a chart with the same name and version and no templates. With the dependency
 * disabled, Helm renders nothing from it either way, so the output is the same as with the real one. The one test
 * that enables it checks only what this chart's own templates do then.
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
            copy = copyWithDependencyStandIn();
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

    private static Path copyWithDependencyStandIn() {
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
                        continue; // whatever a developer fetched locally; replaced by the stand-in below
                    }
                    Path destination = target.resolve(relative.toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(destination);
                    } else {
                        Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            Map<String, String> dependency = ChartDependency.kubePrometheusStack(source.resolve("Chart.yaml"));
            Path standIn = target.resolve("charts").resolve(dependency.get("name"));
            Files.createDirectories(standIn);
            Files.writeString(standIn.resolve("Chart.yaml"), """
                    apiVersion: v2
                    name: %s
                    version: %s
                    description: Test stand-in for the optional dependency (disabled in every test render).
                    """.formatted(dependency.get("name"), dependency.get("version")));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
