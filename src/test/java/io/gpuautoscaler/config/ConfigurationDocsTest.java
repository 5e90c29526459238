package io.gpuautoscaler.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/configuration.md documents every key the parser reads and every static setting. */
class ConfigurationDocsTest {

    static String docs() throws Exception {
        return Files.readString(Path.of("docs/configuration.md"));
    }

    @Test
    void everyPolicyKeyIsDocumented() throws Exception {
        String docs = docs();
        Set<String> keys = PolicyParser.knownKeys();
        assertTrue(keys.size() > 50, "the skeleton reaches every section: " + keys);
        List<String> missing = keys.stream().filter(k -> !docs.contains("`" + k + "`")).toList();
        assertTrue(missing.isEmpty(), "undocumented policy keys: " + missing);
    }

    @Test
    void everyServiceSettingIsDocumented() throws Exception {
        String docs = docs();
        List<String> missing = new ArrayList<>();
        collect("gpu-autoscaler", AutoscalerConfig.class, missing, docs);
        assertTrue(missing.isEmpty(), "undocumented settings: " + missing);
    }

    private static void collect(String prefix, Class<?> type, List<String> missing, String docs) {
        for (Method m : type.getDeclaredMethods()) {
            String key = prefix + "." + m.getName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
            if (m.getReturnType().isInterface() && m.getReturnType().getEnclosingClass() == AutoscalerConfig.class) {
                collect(key, m.getReturnType(), missing, docs);
            } else if (!docs.contains("`" + key + "`")) {
                missing.add(key);
            }
        }
    }
}
