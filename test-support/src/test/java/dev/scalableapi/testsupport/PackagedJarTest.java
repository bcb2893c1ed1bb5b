package dev.scalableapi.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackagedJarTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static Path jar;

    /** A runnable jar holding only {@link FakeService}, standing in for quarkus-run.jar. */
    @BeforeAll
    static void packageTheFakeService() throws IOException {
        jar = dir.resolve("fake-run.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
        String entry = FakeService.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
                var classFile = FakeService.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            classFile.transferTo(out);
            out.closeEntry();
        }
    }

    @Test
    void startsOnAFreePortWaitsUntilReadyAndStops() throws IOException {
        PackagedJar service = PackagedJar.of(jar, "fake").portVariable("PORT").log(dir.resolve("fake.log"))
                .property("greeting", "hello").start();
        try {
            service.awaitReady(DEADLINE);
            assertEquals("hello", service.get("/property/greeting", Map.of()).body());
            assertTrue(service.log().contains("listening on " + service.port()), service.log());
        } finally {
            service.stop();
        }
        assertFalse(service.alive());
    }

    @Test
    void inAProfileEachPropertyIsAlsoSetForThatProfile() throws IOException {
        try (PackagedJar service = PackagedJar.of(jar, "fake-test-profile").profile("test")
                .portProperty("quarkus.http.port").log(dir.resolve("fake-test-profile.log"))
                .properties(java.util.List.of("api.instance.id=replica-a")).start()) {
            service.awaitReady(DEADLINE);
            assertEquals("test", service.get("/property/quarkus.profile", Map.of()).body());
            assertEquals("replica-a", service.get("/property/api.instance.id", Map.of()).body());
            assertEquals("replica-a", service.get("/property/%25test.api.instance.id", Map.of()).body());
            assertEquals(Integer.toString(service.port()),
                    service.get("/property/%25test.quarkus.http.port", Map.of()).body());
        }
    }

    @Test
    void aServiceThatExitsFailsTheWaitAtOnceWithItsLog() {
        PackagedJar service = PackagedJar.of(jar, "fake-exits").portVariable("PORT").env("FAKE_EXIT", "3")
                .log(dir.resolve("fake-exits.log")).start();
        long started = System.nanoTime();
        Throwable failure = assertThrows(Throwable.class, () -> service.awaitReady(DEADLINE));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(DEADLINE) < 0, "did not wait it out");
        String messages = failure + " " + failure.getCause();
        assertTrue(messages.contains("fake-exits exited with 3") && messages.contains("failing on purpose"), messages);
    }

    @Test
    void aMissingJarIsReportedBeforeAnythingStarts() {
        AssertionError missing = assertThrows(AssertionError.class,
                () -> PackagedJar.of(dir.resolve("absent.jar"), "absent").portVariable("PORT").start());
        assertTrue(missing.getMessage().contains("absent.jar missing"), missing.getMessage());
    }
}
