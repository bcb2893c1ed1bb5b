package dev.scalableapi.api.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.Reader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The gateway and the balancer tag their request metrics with this service's route templates, from a list in
 * their configuration; a route missing there would be counted as {@code uri="UNKNOWN"} in front of this service.
 * The list must be exactly the {@code @Path} templates of this service's REST resources.
 */
class ProxiesKnowEveryRouteTest {

    private static final java.nio.file.Path CLASSES = java.nio.file.Path.of("target", "classes");

    @ParameterizedTest(name = "{0}")
    @CsvSource({"gateway-service, metrics.proxied-route-templates",
            "balancer-service, metrics.proxied-route-templates"})
    void theProxysListIsThisServicesRoutes(String module, String property) throws IOException {
        Set<String> routes = routes();
        assertFalse(routes.isEmpty(), "no REST resource found under " + CLASSES.toAbsolutePath());
        assertEquals(routes, configured(module, property), module + " " + property);
    }

    /** Every resource method's template: the class' {@code @Path} joined with the method's own, if any. */
    private static Set<String> routes() throws IOException {
        Set<String> routes = new TreeSet<>();
        try (Stream<java.nio.file.Path> files = Files.walk(CLASSES)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = CLASSES.relativize(file).toString().replace(java.io.File.separatorChar, '.')
                        .replaceAll("\\.class$", "");
                Class<?> type = load(name);
                Path base = type.getAnnotation(Path.class);
                if (base == null) {
                    continue;
                }
                for (Method method : type.getDeclaredMethods()) {
                    if (Arrays.stream(method.getAnnotations()).map(Annotation::annotationType)
                            .anyMatch(annotation -> annotation.isAnnotationPresent(HttpMethod.class))) {
                        Path own = method.getAnnotation(Path.class);
                        routes.add(join(base.value(), own == null ? "" : own.value()));
                    }
                }
            }
        }
        return routes;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ProxiesKnowEveryRouteTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String join(String base, String own) {
        String path = "/" + base + "/" + own;
        return path.replaceAll("/+", "/").replaceAll("(.)/$", "$1");
    }

    private static Set<String> configured(String module, String property) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(
                java.nio.file.Path.of("..", module, "src", "main", "resources", "application.properties"))) {
            properties.load(reader);
        }
        return Arrays.stream(properties.getProperty(property, "").split(",")).map(String::trim)
                .filter(template -> !template.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }
}
