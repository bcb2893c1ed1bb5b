package dev.scalableapi.deploy.support;

import java.nio.file.Path;
import java.util.List;

/** {@code kubectl kustomize DIR}: builds a kustomization offline (never talks to a server). */
public final class Kustomize {

    private Kustomize() {
    }

    public static String build(Path dir) {
        Processes.Result result = Processes.run(List.of("kubectl", "kustomize", dir.toString()), null);
        if (result.exitCode() != 0) {
            throw new AssertionError("kubectl kustomize " + dir + " failed:\n" + result.stderr());
        }
        return result.stdout();
    }
}
