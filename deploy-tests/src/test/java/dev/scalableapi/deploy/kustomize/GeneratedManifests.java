package dev.scalableapi.deploy.kustomize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.scalableapi.deploy.support.ChartUnderTest;
import dev.scalableapi.deploy.support.Manifest;
import dev.scalableapi.deploy.support.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * k8s/base and k8s/components/monitoring as generated from the chart (rendered with k8s/chart-values.yaml, release
 * and namespace {@code scalable-api}), so the plain manifests cannot drift from it. Helm's bookkeeping is dropped
 * (the helm.sh/chart and managed-by labels, the checksum annotations, the helm test pod) and each service's
 * ConfigMap becomes an env file behind a configMapGenerator, so overlays can merge settings and pods roll when they
 * change (kustomize's name suffix does what the checksums do in the chart).
 */
final class GeneratedManifests {

    static final String HEADER = "# Generated from helm/scalable-api with k8s/chart-values.yaml; do not edit. Regenerate:\n"
            + "#   ./mvnw -pl deploy-tests -am verify -Dtest=KustomizeBaseIsGeneratedFromTheChartTest -Dsurefire.failIfNoSpecifiedTests=false -DskipITs -Dk8s.regenerate=true (see k8s/README.md)\n";
    private static final List<String> SERVICES = List.of("gateway", "balancer", "api");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));

    private GeneratedManifests() {
    }

    /** Relative path under k8s/ to file content. */
    static Map<Path, String> generate() {
        Path values = Repo.path("k8s", "chart-values.yaml");
        Manifest base = Manifest.of("base", ChartUnderTest.render(values, Map.of()));
        Manifest withMonitoring = Manifest.of("monitoring",
                ChartUnderTest.render(values, Map.of("monitoring.prometheusOperator", "true")));

        Map<Path, String> files = new TreeMap<>();
        List<Map<String, Object>> resources = new ArrayList<>();
        List<Map<String, Object>> generators = new ArrayList<>();
        for (Map<String, Object> object : base.objects()) {
            if (Manifest.annotations(object).containsKey("helm.sh/hook")) {
                continue;
            }
            Map<String, Object> clean = withoutHelmBookkeeping(object);
            String name = Manifest.name(clean);
            String service = name.replaceFirst("^scalable-api-", "");
            if ("ConfigMap".equals(clean.get("kind")) && SERVICES.contains(service)) {
                files.put(Path.of("base", "config", service + ".env"), envFile(Manifest.stringMap(clean.get("data"))));
                Map<String, Object> generator = new LinkedHashMap<>();
                generator.put("name", name);
                generator.put("envs", List.of("config/" + service + ".env"));
                generator.put("options", Map.of("labels", Manifest.labels(clean)));
                generators.add(generator);
            } else {
                resources.add(clean);
            }
        }
        files.put(Path.of("base", "scalable-api.yaml"), HEADER + documents(resources));
        Map<String, Object> kustomization = new LinkedHashMap<>();
        kustomization.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
        kustomization.put("kind", "Kustomization");
        kustomization.put("resources", List.of("scalable-api.yaml"));
        kustomization.put("configMapGenerator", generators);
        files.put(Path.of("base", "kustomization.yaml"), HEADER + documents(List.of(kustomization)));

        List<Map<String, Object>> monitoring = withMonitoring.objects().stream()
                .filter(o -> "monitoring.coreos.com/v1".equals(o.get("apiVersion")))
                .map(GeneratedManifests::withoutHelmBookkeeping).toList();
        files.put(Path.of("components", "monitoring", "monitoring.yaml"), HEADER + documents(monitoring));
        Map<String, Object> component = new LinkedHashMap<>();
        component.put("apiVersion", "kustomize.config.k8s.io/v1alpha1");
        component.put("kind", "Component");
        component.put("resources", List.of("monitoring.yaml"));
        files.put(Path.of("components", "monitoring", "kustomization.yaml"), HEADER + documents(List.of(component)));
        return files;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutHelmBookkeeping(Map<String, Object> object) {
        Map<String, Object> copy = dev.scalableapi.deploy.support.Yaml.deepCopy(object);
        stripLabels(Manifest.map(copy, "metadata"));
        if (Manifest.at(copy, "spec.template.metadata") instanceof Map<?, ?> template) {
            Map<String, Object> podMetadata = (Map<String, Object>) template;
            stripLabels(podMetadata);
            if (podMetadata.get("annotations") instanceof Map<?, ?> annotations) {
                annotations.keySet().removeIf(key -> String.valueOf(key).startsWith("checksum/"));
                if (annotations.isEmpty()) {
                    podMetadata.remove("annotations");
                }
            }
        }
        return copy;
    }

    private static void stripLabels(Map<String, Object> metadata) {
        if (metadata.get("labels") instanceof Map<?, ?> labels) {
            labels.remove("helm.sh/chart");
            labels.remove("app.kubernetes.io/managed-by");
        }
    }

    private static String envFile(Map<String, String> data) {
        StringBuilder env = new StringBuilder();
        new TreeMap<>(data).forEach((key, value) -> env.append(key).append('=').append(value).append('\n'));
        return env.toString();
    }

    private static String documents(List<Map<String, Object>> objects) {
        StringBuilder out = new StringBuilder();
        try {
            for (Map<String, Object> object : objects) {
                out.append("---\n").append(YAML.writeValueAsString(object));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
