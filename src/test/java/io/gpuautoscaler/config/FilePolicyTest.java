package io.gpuautoscaler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** A policy file is polled: good edits take effect, bad ones are rejected and the last good policy stays. */
@QuarkusTest
@TestProfile(FilePolicyTest.FileProfile.class)
class FilePolicyTest {

    static final Path FILE;

    static {
        try {
            FILE = Files.createTempFile("policy", ".yaml");
            Files.writeString(FILE, PolicyParserTest.MINIMAL);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static class FileProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gpu-autoscaler.policy.file", FILE.toString(), "gpu-autoscaler.policy.file-poll-interval",
                    "100ms", "gpu-autoscaler.mode", "embedded");
        }
    }

    @Inject
    PolicyStore store;

    @Test
    void reloadsGoodEditsAndKeepsTheLastGoodPolicyOnBadOnes() throws IOException {
        await(() -> store.current().isPresent(), "initial policy");
        assertEquals(4, store.current().get().policy().models().get(0).maxReplicas());

        Files.writeString(FILE, PolicyParserTest.MINIMAL.replace("maxReplicas: 4", "maxReplicas: -4"));
        await(() -> store.lastRejection().isPresent(), "rejection");
        assertTrue(store.lastRejection().get().problems().get(0).startsWith("models[0].maxReplicas: must be >= 1"));
        assertEquals(4, store.current().get().policy().models().get(0).maxReplicas());

        Files.writeString(FILE, PolicyParserTest.MINIMAL.replace("maxReplicas: 4", "maxReplicas: 9"));
        await(() -> store.current().get().policy().models().get(0).maxReplicas() == 9, "reloaded policy");

        Files.delete(FILE);
        await(() -> store.lastRejection().get().problems().get(0).contains("cannot be read"), "missing file");
        assertEquals(9, store.current().get().policy().models().get(0).maxReplicas());
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
