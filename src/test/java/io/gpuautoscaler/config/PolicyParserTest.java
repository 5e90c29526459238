package io.gpuautoscaler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpuautoscaler.policy.ModelSpec;
import io.gpuautoscaler.policy.Policy;
import io.gpuautoscaler.policy.VariantSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyParserTest {

    static final String MINIMAL = """
            models:
              - name: chat
                namespace: llm
                modelId: meta-llama/Llama-3.1-8B-Instruct
                minReplicas: 1
                maxReplicas: 4
                variants:
                  - name: h100
                    gpuType: H100
                    pricePerHour: 12.29
                  - name: h100-spot
                    gpuType: H100
                    capacityType: spot
                    pricePerHour: 5.5
                    maxShare: 0.5
            """;

    static String example() throws Exception {
        return Files.readString(Path.of("manifests/policy/policy.yaml"));
    }

    @Test
    void parsesTheShippedExampleWithDefaultsMergedIntoEachModel() throws Exception {
        Policy p = PolicyParser.parse(example());
        assertEquals(Duration.ofSeconds(15), p.loopInterval());
        assertEquals(2, p.models().size());
        ModelSpec llama = p.models().get(0);
        assertEquals("llm", llama.namespace());
        assertEquals("bfloat16", llama.engine().dtype());
        assertEquals(12000, llama.capacity().tokensPerSecond().getAsDouble());
        assertEquals(3, llama.variants().size());
        assertEquals(VariantSpec.CapacityType.SPOT, llama.variants().get(1).capacityType());
        assertEquals(0.6, llama.variants().get(1).maxShare());
        assertEquals(new ModelSpec.Slo(1.0, 99), llama.slo(), "the defaults' SLO");
        ModelSpec mistral = p.models().get(1);
        assertEquals("llm-batch", mistral.namespace());
        assertEquals(16384, mistral.engine().maxModelLen());
        assertEquals(0.9, mistral.engine().gpuMemoryUtilization());
        assertEquals(new ModelSpec.Slo(2.0, 95), mistral.slo(), "the p95 shorthand over the defaults' p99");
        assertEquals(250, p.budget().hourly().getAsDouble());
        assertEquals(60.0, p.budget().perNamespace().get("llm-batch"));
        assertEquals(List.of("max(node_gpu_hourly_cost{instance_type=\"p5.48xlarge\", spot=\"true\"})",
                "max(node_gpu_hourly_cost{instance_type=\"p5.48xlarge\"})"), p.priceQueries());
    }

    @Test
    void appliesBuiltInDefaultsToAMinimalPolicy() throws Exception {
        Policy p = PolicyParser.parse(MINIMAL);
        ModelSpec m = p.models().get(0);
        assertEquals("chat", m.servedName());
        assertEquals(1.0, m.slo().ttftSeconds());
        assertEquals(10.0, m.capacity().requestsPerSecond());
        assertEquals(1, m.engine().tensorParallelSize());
        assertEquals("http://127.0.0.1:9090", p.prometheus().url());
        assertTrue(p.budget().hourly().isEmpty());
    }

    /** Each row: text replaced in MINIMAL, replacement, the problem expected. */
    static Stream<Arguments> badFields() {
        return Stream.of(
            Arguments.of("pricePerHour: 12.29", "pricePerHour: -1", "models[0].variants[0].pricePerHour: must be > 0, got -1"),
            Arguments.of("pricePerHour: 12.29", "pricePerHour: .nan", "not valid YAML at line 10"),
            Arguments.of("pricePerHour: 12.29", "pricePerHour: 1e999", "models[0].variants[0].pricePerHour: must be a finite number"),
            Arguments.of("pricePerHour: 12.29", "pricePerHour: cheap", "models[0].variants[0].pricePerHour: must be a number, got string"),
            Arguments.of("        pricePerHour: 12.29\n", "\n", "models[0].variants[0]: has no price"),
            Arguments.of("minReplicas: 1", "minReplicas: 9", "models[0].minReplicas: must be <= maxReplicas (9 > 4)"),
            Arguments.of("minReplicas: 1", "minReplicas: -2", "models[0].minReplicas: must be >= 0, got -2"),
            Arguments.of("minReplicas: 1", "minReplicas: 0", "models[0].minReplicas: 0 needs scaleToZero"),
            Arguments.of("minReplicas: 1", "minReplicas: 1\n    scaleToZero: {idleAfter: 5m, activationQuery: 'up'}", "models[0].scaleToZero: needs minReplicas 0 (got 1)"),
            Arguments.of("minReplicas: 1", "minReplicas: 0\n    scaleToZero: {idleAfter: 5m}", "models[0].scaleToZero.activationQuery: is required"),
            Arguments.of("minReplicas: 1", "minReplicas: 1\n    actuation: manual", "models[0].actuation: must be one of"),
            Arguments.of("minReplicas: 1", "minReplicas: 1.5", "models[0].minReplicas: must be an integer, got 1.5"),
            Arguments.of("maxReplicas: 4", "maxReplicas: [4]", "models[0].maxReplicas: must be an integer, got list"),
            Arguments.of("name: h100-spot", "name: h100", "models[0].variants[1].name: duplicate variant 'h100'"),
            Arguments.of("name: chat", "name: Chat_Model", "models[0].name: must be a lower-case DNS label"),
            Arguments.of("capacityType: spot", "capacityType: preemptible", "models[0].variants[1].capacityType: must be one of"),
            Arguments.of("maxShare: 0.5", "maxShare: 1.5", "models[0].variants[1].maxShare: must be in (0, 1], got 1.5"),
            Arguments.of("gpuType: H100\n        pricePerHour: 12.29", "gpuType: H100\n        pricePerHour: 12.29\n        colour: blue", "models[0].variants[0].colour: unknown key"),
            Arguments.of("models:", "loopIntervall: 15s\nmodels:", "loopIntervall: unknown key"),
            Arguments.of("models:", "loopInterval: soon\nmodels:", "loopInterval: must be a duration like 500ms, 15s, 2m or 1h, got 'soon'"),
            Arguments.of("models:", "loopInterval: 10ms\nmodels:", "loopInterval: must be at least 1000ms"),
            Arguments.of("models:", "budget:\n  hourly: 0\nmodels:", "budget.hourly: must be > 0, got 0"),
            Arguments.of("models:", "budget:\n  perNamespace:\n    Team_A: 10\nmodels:", "budget.perNamespace.Team_A: is not a valid namespace name"),
            Arguments.of("models:", "prometheus:\n  url: ftp://x\nmodels:", "prometheus.url: must be an http:// or https:// URL"),
            Arguments.of("models:", "prometheus:\n  basicAuth:\n    username: u\nmodels:", "prometheus.basicAuth: needs password or passwordFile"),
            Arguments.of("modelId: meta-llama/Llama-3.1-8B-Instruct", "modelId: 42", "models[0].modelId: must be a string, got number"),
            Arguments.of("    modelId: meta-llama/Llama-3.1-8B-Instruct\n", "\n", "models[0].modelId: is required"),
            Arguments.of("models:", "defaults:\n  engine:\n    tensorParallelSize: 0\nmodels:", "defaults.engine.tensorParallelSize: must be between 1 and 64, got 0"),
            Arguments.of("models:", "defaults:\n  engine:\n    dtype: int3\nmodels:", "defaults.engine.dtype: must be one of"),
            Arguments.of("models:", "defaults:\n  engine:\n    enableChunkedPrefill: yes please\nmodels:", "defaults.engine.enableChunkedPrefill: must be true or false, got string"),
            Arguments.of("models:", "defaults:\n  scaling:\n    headroom: -0.1\nmodels:", "defaults.scaling.headroom: must be in [0, 10], got -0.1"),
            Arguments.of("minReplicas: 1", "minReplicas: 1\n    slo: {ttftSeconds: 1, ttftPercentile: 100}", "models[0].slo.ttftPercentile: must be between 50 and 99.9, got 100"),
            Arguments.of("minReplicas: 1", "minReplicas: 1\n    slo: {ttftSeconds: 0}", "models[0].slo.ttftSeconds: must be > 0, got 0"),
            Arguments.of("minReplicas: 1", "minReplicas: 1\n    slo: {ttftP95Seconds: 1, ttftPercentile: 99}", "models[0].slo.ttftP95Seconds: is the shorthand for ttftSeconds at ttftPercentile 95"),
            Arguments.of("models:", "defaults:\n  slo: {ttftPercentile: p99}\nmodels:", "defaults.slo.ttftPercentile: must be a number, got string"),
            Arguments.of("maxShare: 0.5", "maxShare: 0.5\n      - name: only-spot", "models[0].variants[2].gpuType: is required"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("badFields")
    void rejectsBadInputNamingTheField(String find, String replace, String expected) {
        String yaml = MINIMAL.replace(find, replace);
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyParser.parse(yaml), yaml);
        assertTrue(e.problems().stream().anyMatch(p -> p.contains(expected)),
                () -> "expected '" + expected + "' in " + e.problems());
    }

    @Test
    void theSloIsATtftAtAPercentileWithP95SecondsAsItsShorthand() throws Exception {
        assertEquals(new ModelSpec.Slo(1.0, 95), PolicyParser.parse(MINIMAL).models().get(0).slo());
        assertEquals(new ModelSpec.Slo(0.5, 95), PolicyParser.parse(MINIMAL.replace("minReplicas: 1",
                "minReplicas: 1\n    slo: {ttftP95Seconds: 0.5}")).models().get(0).slo());
        ModelSpec.Slo p99 = PolicyParser.parse(MINIMAL.replace("models:",
                "defaults:\n  slo: {ttftSeconds: 2, ttftPercentile: 99}\nmodels:")).models().get(0).slo();
        assertEquals(new ModelSpec.Slo(2, 99), p99, "a model takes the defaults' SLO");
        assertEquals(0.99, p99.quantile(), 1e-12);
        assertEquals("p99", p99.label());
        assertEquals("p99.9", new ModelSpec.Slo(1, 99.9).label());
        assertEquals(new ModelSpec.Slo(2, 99.5), PolicyParser.parse(MINIMAL.replace("models:",
                "defaults:\n  slo: {ttftSeconds: 2, ttftPercentile: 99}\nmodels:").replace("minReplicas: 1",
                "minReplicas: 1\n    slo: {ttftPercentile: 99.5}")).models().get(0).slo(), "and overrides a field");
    }

    @Test
    void parsesDirectActuationAndScaleToZero() throws Exception {
        ModelSpec m = PolicyParser.parse(MINIMAL.replace("minReplicas: 1", "minReplicas: 0\n    actuation: direct\n"
                + "    scaleToZero: {idleAfter: 15m, activationQuery: 'sum(gateway_pending)'}")).models().get(0);
        assertEquals(ModelSpec.Actuation.DIRECT, m.actuation());
        assertEquals(Duration.ofMinutes(15), m.scaleToZero().get().idleAfter());
        assertEquals("sum(gateway_pending)", m.scaleToZero().get().activationQuery().get());
    }

    @Test
    void rejectsDuplicateModelsInTheSameNamespace() {
        String twice = MINIMAL + MINIMAL.substring(MINIMAL.indexOf("  - name: chat"));
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyParser.parse(twice));
        assertTrue(e.problems().contains("models[1].name: duplicate model 'chat' in namespace 'llm'"),
                e.problems().toString());
    }

    @Test
    void rejectsAModelWhoseVariantsAreAllShareCapped() {
        String yaml = MINIMAL.replace("        pricePerHour: 12.29\n",
                "        pricePerHour: 12.29\n        maxShare: 0.5\n");
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyParser.parse(yaml));
        assertTrue(e.problems().get(0).startsWith("models[0].variants: at least one variant must have maxShare 1"));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        String yaml = MINIMAL.replace("pricePerHour: 12.29", "pricePerHour: -1").replace("minReplicas: 1",
                "minReplicas: 7");
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyParser.parse(yaml));
        assertEquals(2, e.problems().size(), e.problems().toString());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
            Arguments.of("models: [unclosed", "not valid YAML at line 1"),
            Arguments.of("models:\n  - name: a\n  name: b\n: :", "not valid YAML"),
            Arguments.of("loopInterval: 15s\nloopInterval: 20s", "not valid YAML"),
            Arguments.of("just a string", "policy: must be a mapping, got string"),
            Arguments.of("", "policy.yaml: is empty"),
            Arguments.of("models: 3", "models: must be a list, got number"),
            Arguments.of("models:\n  - 3", "models[0]: must be a mapping, got number"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("malformed")
    void rejectsMalformedYamlWithItsPosition(String yaml, String expected) {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
                () -> PolicyParser.parse(yaml));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    static Stream<Arguments> badWorkloads() {
        String deploy = "workloads: {deploy: true}\n";
        return Stream.of(
                Arguments.of(deploy + MINIMAL.replace("gpuType: H100\n        pricePerHour: 12.29", "gpuType: B300\n        pricePerHour: 12.29"),
                        "models[0].variants[0].gpuType: unknown GPU type 'B300'"),
                Arguments.of(MINIMAL.replace("minReplicas: 1", "minReplicas: 1\n    engine: {tensorParallelSize: 16}"),
                        "models[0].engine.tensorParallelSize: is 16, more than the GPUs of a node (workloads.gpusPerNode 8)"),
                Arguments.of(MINIMAL.replace("minReplicas: 1", "minReplicas: 1\n    workload: {cpu: '-8'}"),
                        "models[0].workload.cpu: must be a positive Kubernetes quantity"),
                Arguments.of(MINIMAL.replace("minReplicas: 1", "minReplicas: 1\n    workload: {memory: lots}"),
                        "models[0].workload.memory: must be a positive Kubernetes quantity"),
                Arguments.of(MINIMAL.replace("minReplicas: 1", "minReplicas: 1\n    workload: {hfTokenSecret: {name: HF_Token, key: t}}"),
                        "models[0].workload.hfTokenSecret.name: is not a valid Secret name"),
                Arguments.of(MINIMAL.replace("minReplicas: 1", "minReplicas: 1\n    workload: {apiKeySecret: {name: k}}"),
                        "models[0].workload.apiKeySecret.key: is required"),
                Arguments.of(MINIMAL.replace("minReplicas: 1", "minReplicas: 1\n    workload: {cache: nfs}"),
                        "models[0].workload.cache: must be one of"),
                Arguments.of(MINIMAL.replace("minReplicas: 1", "minReplicas: 1\n    workload: {loraAdapters: [{name: a, source: x}, {name: a, source: y}]}"),
                        "models[0].workload.loraAdapters[1].name: duplicate adapter 'a'"),
                Arguments.of("workloads: {egressCidrs: [10.0.0.0/8, everywhere]}\n" + MINIMAL,
                        "workloads.egressCidrs[1]: must be a CIDR"),
                Arguments.of("workloads: {gpusPerNode: 0}\n" + MINIMAL, "workloads.gpusPerNode: must be between 1 and 64"),
                Arguments.of("workloads: {spotTolerations: [{operator: Equal}]}\n" + MINIMAL,
                        "workloads.spotTolerations[0].key: is required"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badWorkloads")
    void rejectsBadWorkloadSettingsNamingTheField(String yaml, String expected) {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyParser.parse(yaml));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(expected)), () -> expected + " in " + e.problems());
    }
}
