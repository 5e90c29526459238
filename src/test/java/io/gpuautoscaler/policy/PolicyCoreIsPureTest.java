package io.gpuautoscaler.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The policy core takes inputs and returns decisions: no framework, no I/O, no wall clock. */
class PolicyCoreIsPureTest {

    private static final Pattern FORBIDDEN = Pattern.compile(
            "^import (static )?(io\\.quarkus|io\\.fabric8|jakarta\\.|io\\.micrometer|io\\.vertx|java\\.net|java\\.io"
                    + "|java\\.nio|com\\.fasterxml|org\\.jboss)",
            Pattern.MULTILINE);
    private static final Pattern CLOCK = Pattern.compile("Instant\\.now\\(|System\\.currentTimeMillis|Clock\\.system");

    @Test
    void policyPackageImportsNoFrameworkAndReadsNoClock() throws IOException {
        Path dir = Path.of("src/main/java/io/gpuautoscaler/policy");
        List<Path> sources;
        try (Stream<Path> s = Files.list(dir)) {
            sources = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertFalse(sources.isEmpty());
        for (Path p : sources) {
            String code = Files.readString(p);
            assertFalse(FORBIDDEN.matcher(code).find(), p + " imports a framework or I/O");
            assertEquals(false, CLOCK.matcher(code).find(), p + " reads the wall clock");
        }
    }
}
