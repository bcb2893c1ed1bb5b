package dev.scalableapi.common.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds which of a fixed set of route templates (JAX-RS style: {@code /api/v1/resources/{id}}) a request path
 * belongs to. A {@code {…}} segment matches any one segment, every other segment only itself; a literal wins over
 * a placeholder at the same place, as in JAX-RS. Empty segments ({@code //}, a trailing {@code /}) are skipped.
 * <p>
 * It runs on every proxied request, so a match is one left-to-right scan of the path over a tree of the
 * templates' segments: no regex, no substring, no allocation.
 */
public final class RouteTemplates {

    private final Node root = new Node(null);

    private RouteTemplates() {
    }

    /** @throws IllegalArgumentException for a template that is not an absolute path, or a duplicate shape */
    public static RouteTemplates of(List<String> templates) {
        RouteTemplates tree = new RouteTemplates();
        templates.forEach(tree::add);
        return tree;
    }

    /** The template {@code path} belongs to, or null when none does. {@code path} carries no query. */
    public String match(String path) {
        return match(root, path, 0);
    }

    private static String match(Node node, String path, int from) {
        int start = from;
        while (start < path.length() && path.charAt(start) == '/') {
            start++;
        }
        if (start == path.length()) {
            return node.template;
        }
        int slash = path.indexOf('/', start);
        int end = slash < 0 ? path.length() : slash;
        Node literal = node.literal(path, start, end - start);
        if (literal != null) {
            String found = match(literal, path, end);
            if (found != null) {
                return found;
            }
        }
        return node.placeholder == null ? null : match(node.placeholder, path, end);
    }

    private void add(String template) {
        if (template == null || !template.startsWith("/")) {
            throw new IllegalArgumentException("A route template is an absolute path, not '" + template + "'");
        }
        Node node = root;
        for (String segment : template.split("/")) {
            if (!segment.isEmpty()) {
                node = node.child(segment);
            }
        }
        if (node.template != null) {
            throw new IllegalArgumentException("Route templates '" + node.template + "' and '" + template
                    + "' match the same paths");
        }
        node.template = template;
    }

    private static boolean isPlaceholder(String segment) {
        return segment.length() > 2 && segment.charAt(0) == '{' && segment.charAt(segment.length() - 1) == '}';
    }

    private static final class Node {

        /** This node's own segment when it is a literal; null for the root and placeholders. */
        final String segment;
        final List<Node> literals = new ArrayList<>();
        Node placeholder;
        String template;

        Node(String segment) {
            this.segment = segment;
        }

        Node child(String segment) {
            if (isPlaceholder(segment)) {
                if (placeholder == null) {
                    placeholder = new Node(null);
                }
                return placeholder;
            }
            Node existing = literal(segment, 0, segment.length());
            if (existing != null) {
                return existing;
            }
            Node created = new Node(segment);
            literals.add(created);
            return created;
        }

        /** The literal child spelled {@code path[start, start + length)}, or null. */
        Node literal(String path, int start, int length) {
            for (int i = 0; i < literals.size(); i++) {
                Node candidate = literals.get(i);
                if (candidate.segment.length() == length && path.regionMatches(start, candidate.segment, 0, length)) {
                    return candidate;
                }
            }
            return null;
        }
    }
}
