package dev.scalableapi.deploy.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository, resolved from this module's directory (Maven runs tests with it as working dir). */
public final class Repo {

    private static final Path ROOT = locateRoot();

    private Repo() {
    }

    public static Path root() {
        return ROOT;
    }

    public static Path path(String first, String... more) {
        return ROOT.resolve(Path.of(first, more));
    }

    public static Path chart() {
        return path("helm", "scalable-api");
    }

    /** This module's build directory. */
    public static Path target() {
        return path("deploy-tests", "target");
    }

    private static Path locateRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("helm").resolve("scalable-api"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
