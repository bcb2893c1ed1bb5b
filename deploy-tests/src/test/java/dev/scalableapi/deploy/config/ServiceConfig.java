package dev.scalableapi.deploy.config;

import dev.scalableapi.deploy.support.Repo;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service reads, from its sources: {@code application.properties} (keys and the {@code ${ENV:default}}
 * placeholders in values) and its and common/'s {@code @ConfigMapping} interfaces and properties read by name. Quarkus maps a property to an environment
 * variable by upper-casing it and replacing every other character with {@code _}.
 */
final class ServiceConfig {

    /** {@code ${NAME}} or {@code ${NAME:default}}; not {@code ${a.property}}, a reference to another property. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?=[:}])(:)?");
    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern TYPE_DECLARATION = Pattern.compile("\\b(interface|enum|record)\\s+(\\w+)[^{;]*\\{");
    private static final Pattern METHOD = Pattern.compile(
            "((?:@\\w+(?:\\([^)]*\\))?\\s*)*)([\\w.]+(?:<[^;()]*>)?)\\s+(\\w+)\\s*\\(\\s*\\)\\s*;");
    private static final Pattern WITH_DEFAULT = Pattern.compile("@WithDefault\\(\\s*\"([^\"]*)\"\\s*\\)");
    private static final Pattern WITH_NAME = Pattern.compile("@WithName\\(\\s*\"([^\"]+)\"\\s*\\)");
    /**
     * A property the code reads by name outside a mapping: an expression in an annotation such as
     * {@code @Scheduled(every = "${api.cache.repair-interval:1s}")}, or {@code @ConfigProperty(name = "…")}.
     */
    private static final Pattern REFERENCE = Pattern.compile(
            "\"\\$\\{([a-z][\\w.-]*)(?::([^}\"]*))?}|@ConfigProperty\\(\\s*name\\s*=\\s*\"([a-z][\\w.-]*)\"");

    private final String module;
    private final Properties properties = new Properties();
    private final Set<String> mappedProperties = new TreeSet<>();
    private final Set<String> referencedProperties = new TreeSet<>();
    private final Map<String, String> codeDefaults = new TreeMap<>();

    ServiceConfig(String module) {
        this.module = module;
        try (Reader reader = Files.newBufferedReader(
                Repo.path(module, "src", "main", "resources", "application.properties"))) {
            properties.load(reader);
            // Every service is built with common/, whose mappings (request-head.*) it configures.
            for (String sourceModule : List.of(module, "common")) {
                try (Stream<Path> sources = Files.walk(Repo.path(sourceModule, "src", "main", "java"))) {
                    for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                        String code = Files.readString(source);
                        readMappings(code);
                        readReferences(code);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String module() {
        return module;
    }

    /** The value of a property in the prod profile (a %prod. key wins), unresolved. */
    Optional<String> property(String key) {
        return Optional.ofNullable(properties.getProperty("%prod." + key, properties.getProperty(key)));
    }

    /**
     * The default of the placeholder in a property's value, e.g. 3001 for {@code ${PORT:3001}}; when that default is
     * itself a placeholder (an alias, {@code ${PORT:${LB_PORT:3000}}}), its own default, as with neither set.
     */
    Optional<String> placeholderDefault(String key, String env) {
        String value = property(key).orElse("");
        int start = value.indexOf("${" + env + ":");
        if (start < 0) {
            return Optional.empty();
        }
        String fallback = enclosed(value, start + env.length() + 3);
        Matcher nested = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*:(.*)}").matcher(fallback);
        while (nested.matches()) {
            fallback = nested.group(1);
            nested = nested.pattern().matcher(fallback);
        }
        return Optional.of(fallback);
    }

    /** The text from {@code from} up to the brace that closes the placeholder it is in. */
    private static String enclosed(String value, int from) {
        int depth = 0;
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && depth-- == 0) {
                return value.substring(from, i);
            }
        }
        throw new IllegalArgumentException("unclosed placeholder in " + value);
    }

    /** Environment variables that change this service's configuration. */
    Set<String> environmentVariables() {
        Set<String> names = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            names.add(toEnv(key.replaceFirst("^%[\\w-]+\\.", "")));
            Matcher placeholder = PLACEHOLDER.matcher(properties.getProperty(key));
            while (placeholder.find()) {
                names.add(placeholder.group(1));
            }
        }
        mappedProperties.forEach(p -> names.add(toEnv(p)));
        referencedProperties.forEach(p -> names.add(toEnv(p)));
        return names;
    }

    /** The variables named in {@code ${NAME}} / {@code ${NAME:default}} placeholders, profile-prefixed keys included. */
    Set<String> placeholderVariables() {
        Set<String> names = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            Matcher placeholder = PLACEHOLDER.matcher(properties.getProperty(key));
            while (placeholder.find()) {
                names.add(placeholder.group(1));
            }
        }
        return names;
    }

    /**
     * The variables of properties the code reads ({@code @ConfigMapping} interfaces, references by name) that
     * application.properties does not set outside a test or dev profile: their own names
     * ({@code GATEWAY_SHEDDING_ENABLED}) are the only way to change them in production.
     */
    Set<String> variablesOfUnsetProperties() {
        Set<String> names = new TreeSet<>();
        Set<String> read = new TreeSet<>(mappedProperties);
        read.addAll(referencedProperties);
        for (String property : read) {
            if (property(property).isEmpty()) {
                names.add(toEnv(property));
            }
        }
        return names;
    }

    /**
     * What each variable defaults to when unset, as written: the literal after the colon of its placeholders (those
     * whose default is another placeholder are left out), or the default the code gives a property only its own
     * variable sets ({@code @WithDefault}, {@code ${a.property:default}}). A variable whose placeholders differ (by property or profile) has several. Placeholders in
     * profile-prefixed keys count only for variables no other key names.
     */
    Map<String, Set<String>> variableDefaults() {
        Map<String, Set<String>> defaults = new TreeMap<>();
        Map<String, Set<String>> profiled = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key);
            Matcher placeholder = PLACEHOLDER.matcher(value);
            while (placeholder.find()) {
                if (placeholder.group(2) != null) {
                    String fallback = enclosed(value, placeholder.end());
                    if (!fallback.contains("${")) {
                        (key.startsWith("%") ? profiled : defaults)
                                .computeIfAbsent(placeholder.group(1), n -> new TreeSet<>()).add(fallback);
                    }
                }
            }
        }
        profiled.forEach(defaults::putIfAbsent);
        codeDefaults.forEach((property, fallback) -> {
            if (property(property).isEmpty()) {
                defaults.computeIfAbsent(toEnv(property), n -> new TreeSet<>()).add(fallback);
            }
        });
        return defaults;
    }

    /** Variables a prod-profile property needs and has no default for, e.g. {@code ${IDENTITY_SIGNING_SECRET}}. */
    Set<String> requiredEnvironmentVariables() {
        Set<String> required = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("%")) {
                continue;
            }
            Matcher placeholder = PLACEHOLDER.matcher(property(key).orElseThrow());
            while (placeholder.find()) {
                if (placeholder.group(2) == null) {
                    required.add(placeholder.group(1));
                }
            }
        }
        return required;
    }

    Set<String> mappedProperties() {
        return mappedProperties;
    }

    static String toEnv(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }

    /** Adds the properties a file reads by name, but Quarkus' own (set by Quarkus or the build, documented there). */
    private void readReferences(String source) {
        Matcher reference = REFERENCE.matcher(source);
        while (reference.find()) {
            String property = reference.group(1) != null ? reference.group(1) : reference.group(3);
            if (!property.startsWith("quarkus.")) {
                referencedProperties.add(property);
                if (reference.group(2) != null) {
                    codeDefaults.put(property, reference.group(2));
                }
            }
        }
    }

    /** Adds the properties of a file's @ConfigMapping interface (nested groups included, maps of groups skipped). */
    private void readMappings(String source) {
        Matcher mapping = MAPPING.matcher(source);
        if (!mapping.find()) {
            return;
        }
        String code = source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        Map<String, String> bodies = new LinkedHashMap<>();
        String root = declarations(code.substring(code.indexOf("interface")), bodies);
        addProperties(root, mapping.group(1), bodies);
    }

    private void addProperties(String type, String prefix, Map<String, String> bodies) {
        Matcher method = METHOD.matcher(bodies.get(type));
        while (method.find()) {
            Matcher withName = WITH_NAME.matcher(method.group(1));
            String name = withName.find() ? withName.group(1) : kebab(method.group(3));
            String returnType = method.group(2);
            String group = returnType.replaceFirst("^Optional<(\\w+)>$", "$1");
            if (bodies.containsKey(group) && !returnType.startsWith("Map<")) {
                addProperties(group, prefix + "." + name, bodies);
            } else if (!returnType.startsWith("Map<")) {
                mappedProperties.add(prefix + "." + name);
                Matcher withDefault = WITH_DEFAULT.matcher(method.group(1));
                if (withDefault.find()) {
                    codeDefaults.put(prefix + "." + name, withDefault.group(1));
                }
            }
        }
    }

    /**
     * Records the body of the type declared at the start of {@code code} and of every type nested in it, each body
     * with its nested bodies cut out; returns the outer type's name.
     */
    private static String declarations(String code, Map<String, String> bodies) {
        Matcher declaration = TYPE_DECLARATION.matcher(code);
        if (!declaration.find()) {
            throw new IllegalStateException("no type declaration in " + code);
        }
        int open = declaration.end() - 1;
        int close = matchingBrace(code, open);
        String body = code.substring(open + 1, close);
        StringBuilder own = new StringBuilder();
        int from = 0;
        Matcher nested = TYPE_DECLARATION.matcher(body);
        List<int[]> cuts = new ArrayList<>();
        while (nested.find(from)) {
            int nestedClose = matchingBrace(body, nested.end() - 1);
            declarations(body.substring(nested.start()), bodies);
            cuts.add(new int[] {nested.start(), nestedClose + 1});
            from = nestedClose + 1;
            if (from >= body.length()) {
                break;
            }
        }
        int position = 0;
        for (int[] cut : cuts) {
            own.append(body, position, cut[0]);
            position = cut[1];
        }
        own.append(body.substring(position));
        bodies.put(declaration.group(2), "enum".equals(declaration.group(1)) ? "" : own.toString());
        return declaration.group(2);
    }

    private static int matchingBrace(String code, int open) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            if (code.charAt(i) == '{') {
                depth++;
            } else if (code.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unbalanced braces");
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
