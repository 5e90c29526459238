package io.gpuautoscaler.config;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gpuautoscaler.policy.ModelSpec;
import io.gpuautoscaler.policy.Policy;
import io.gpuautoscaler.policy.ScalingSettings;
import io.gpuautoscaler.policy.VariantSpec;
import io.gpuautoscaler.policy.Workloads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses {@code policy.yaml} into a {@link Policy} and validates every field. All problems are reported
 * at once, each naming its field ({@code models[1].variants[0].pricePerHour: must be > 0}). The keys are
 * documented in docs/configuration.md.
 */
public final class PolicyParser {

    static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    static final Set<String> DTYPES = Set.of("auto", "half", "float16", "bfloat16", "float", "float32");
    static final Set<String> CAPACITY_TYPES = Set.of("on-demand", "spot");
    static final EngineDefaults BUILTIN_ENGINE = new EngineDefaults();

    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private PolicyParser() {
    }

    /** Built-in engine defaults, from the vLLM guide's single-GPU 8B setup. */
    record EngineDefaults() {
        ModelSpec.EngineSettings settings() {
            return new ModelSpec.EngineSettings("auto", 8192, 0.9, 256, 8192, true, 1);
        }
    }

    public static Policy parse(String yaml) throws InvalidPolicyException {
        return parse(yaml, new java.util.HashSet<>());
    }

    /** Every key path the parser reads ({@code models[].variants[].pricePerHour}), for the documentation check. */
    static Set<String> knownKeys() {
        Set<String> keys = new java.util.TreeSet<>();
        try {
            parse("prometheus: {basicAuth: {username: u, password: p}}\nworkloads: {spotTolerations: [{}],"
                    + " gpuNodeSelectors: {}}\nmodels: [{variants: [{}], scaleToZero: {},"
                    + " workload: {hfTokenSecret: {}, apiKeySecret: {}, loraAdapters: [{}]}}]\n", keys);
        } catch (InvalidPolicyException expected) {
            // the skeleton is incomplete on purpose: only the keys asked for matter
        }
        return keys;
    }

    /** A YAML document's tree; a clear problem (with the line) when it is not YAML or is empty. */
    static JsonNode readYaml(String yaml, String file) throws InvalidPolicyException {
        JsonNode root;
        try {
            root = YAML.readTree(yaml == null ? "" : yaml);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new InvalidPolicyException(List.of(file + ": not valid YAML" + where + ": "
                    + e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new InvalidPolicyException(List.of(file + ": is empty"));
        }
        return root;
    }

    private static Policy parse(String yaml, Set<String> asked) throws InvalidPolicyException {
        JsonNode root = readYaml(yaml, "policy.yaml");
        List<String> problems = new ArrayList<>();
        Fields top = new Fields(root, "", problems, asked);
        if (!top.present()) {
            throw new InvalidPolicyException(problems);
        }
        Duration loop = top.duration("loopInterval", Duration.ofSeconds(15), Duration.ofSeconds(1));
        Policy.PrometheusSettings prometheus = prometheus(top.child("prometheus"));
        Policy.Budget budget = budget(top.child("budget"));
        Workloads workloads = workloads(top.child("workloads"));
        Defaults defaults = defaults(top.child("defaults"));
        List<ModelSpec> models = new ArrayList<>();
        Set<String> modelKeys = new HashSet<>();
        for (Fields m : top.list("models")) {
            ModelSpec spec = model(m, defaults, workloads);
            if (spec != null && !modelKeys.add(spec.namespace() + "/" + spec.name())) {
                m.problem(m.at("name"), "duplicate model '" + spec.name() + "' in namespace '" + spec.namespace()
                        + "'");
            }
            if (spec != null) {
                models.add(spec);
            }
        }
        top.done();
        if (!problems.isEmpty()) {
            throw new InvalidPolicyException(problems);
        }
        return new Policy(loop, prometheus, budget, workloads, models);
    }

    private static Policy.PrometheusSettings prometheus(Fields f) {
        String url = f.str("url", "http://127.0.0.1:9090");
        if (url != null && !url.matches("https?://[^\\s/]+(/\\S*)?")) {
            f.problem(f.at("url"), "must be an http:// or https:// URL, got '" + url + "'");
        }
        Optional<String> token = Optional.ofNullable(f.str("bearerToken", ""));
        Optional<String> tokenFile = Optional.ofNullable(f.str("bearerTokenFile", ""));
        Fields b = f.child("basicAuth");
        Optional<Policy.BasicAuth> basic = Optional.empty();
        if (b.present()) {
            String user = b.str("username", null);
            Optional<String> password = Optional.ofNullable(b.str("password", "")).filter(s -> !s.isEmpty());
            Optional<String> passwordFile = Optional.ofNullable(b.str("passwordFile", "")).filter(s -> !s.isEmpty());
            if (password.isEmpty() && passwordFile.isEmpty()) {
                b.problem(b.path(), "needs password or passwordFile");
            }
            b.done();
            basic = Optional.of(new Policy.BasicAuth(user, password, passwordFile));
        }
        token = token.filter(s -> !s.isEmpty());
        tokenFile = tokenFile.filter(s -> !s.isEmpty());
        if (basic.isPresent() && (token.isPresent() || tokenFile.isPresent())) {
            f.problem(f.path(), "use either basicAuth or a bearer token, not both");
        }
        Optional<String> ca = Optional.ofNullable(f.str("caFile", "")).filter(s -> !s.isEmpty());
        Duration timeout = f.duration("timeout", Duration.ofSeconds(5), Duration.ofMillis(100));
        Duration staleAfter = f.duration("staleAfter", Duration.ofSeconds(90), Duration.ofSeconds(1));
        Duration rateWindow = f.duration("rateWindow", Duration.ofMinutes(1), Duration.ofSeconds(10));
        f.done();
        return new Policy.PrometheusSettings(url, token, tokenFile, basic, ca, timeout, staleAfter, rateWindow);
    }

    private static Policy.Budget budget(Fields f) {
        Double hourly = f.num("hourly", Double.NaN, d -> d > 0, "> 0");
        Map<String, Double> perNamespace = new LinkedHashMap<>();
        Fields ns = f.child("perNamespace");
        for (String key : ns.keys()) {
            if (!key.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
                ns.problem(ns.at(key), "is not a valid namespace name");
            }
            Double v = ns.num(key, 0.0, d -> d > 0, "> 0");
            perNamespace.put(key, v);
        }
        ns.done();
        f.done();
        return new Policy.Budget(Double.isNaN(hourly) ? OptionalDouble.empty() : OptionalDouble.of(hourly),
                perNamespace);
    }

    /** Fleet-wide defaults each model falls back to. */
    record Defaults(String namespace, int priority, int minReplicas, int maxReplicas, ModelSpec.Slo slo, Double capacity,
            Double tokenCapacity, ModelSpec.EngineSettings engine, ScalingSettings scaling,
            Workloads.ModelWorkload workload) {
    }

    private static Defaults defaults(Fields f) {
        String namespace = f.str("namespace", "");
        int priority = f.integer("priority", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
        int min = f.integer("minReplicas", 1, 0, Integer.MAX_VALUE);
        int max = f.integer("maxReplicas", 10, 1, Integer.MAX_VALUE);
        ModelSpec.Slo ttft = slo(f.child("slo"), new ModelSpec.Slo(1.0));
        Fields cap = f.child("capacity");
        Double rps = cap.num("requestsPerSecond", 10.0, d -> d > 0, "> 0");
        Double tps = cap.num("tokensPerSecond", -1.0, d -> d > 0, "> 0");
        cap.done();
        ModelSpec.EngineSettings engine = engine(f.child("engine"), BUILTIN_ENGINE.settings());
        ScalingSettings scaling = scaling(f.child("scaling"), ScalingSettings.defaults());
        Workloads.ModelWorkload workload = modelWorkload(f.child("workload"), Workloads.ModelWorkload.defaults());
        f.done();
        return new Defaults(namespace, priority, min, max, ttft, rps, tps < 0 ? null : tps, engine, scaling, workload);
    }

    /**
     * {@code ttftSeconds} at {@code ttftPercentile} (95 unless set), or the shorthand {@code ttftP95Seconds};
     * unset fields fall back to {@code fallback}.
     */
    private static ModelSpec.Slo slo(Fields f, ModelSpec.Slo fallback) {
        boolean shorthand = f.has("ttftP95Seconds");
        if (shorthand && (f.has("ttftSeconds") || f.has("ttftPercentile"))) {
            f.problem(f.at("ttftP95Seconds"), "is the shorthand for ttftSeconds at ttftPercentile 95: set either it "
                    + "or ttftSeconds/ttftPercentile, not both");
        }
        double seconds = f.num("ttftSeconds", fallback.ttftSeconds(), x -> x > 0, "> 0");
        double percentile = f.num("ttftPercentile", fallback.ttftPercentile(), x -> x >= 50 && x <= 99.9,
                "between 50 and 99.9");
        if (shorthand) {
            seconds = f.num("ttftP95Seconds", fallback.ttftSeconds(), x -> x > 0, "> 0");
            percentile = ModelSpec.Slo.DEFAULT_PERCENTILE;
        }
        f.done();
        return new ModelSpec.Slo(seconds, percentile);
    }

    private static ModelSpec model(Fields f, Defaults d, Workloads w) {
        String name = f.str("name", null);
        checkName(f, "name", name);
        String namespace = f.str("namespace", d.namespace().isEmpty() ? null : d.namespace());
        if (namespace != null && !namespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
            f.problem(f.at("namespace"), "must be a valid namespace name (lower-case DNS label), got '" + namespace
                    + "'");
        }
        String modelId = f.str("modelId", null);
        String served = f.str("servedName", name);
        int priority = f.integer("priority", d.priority(), Integer.MIN_VALUE, Integer.MAX_VALUE);
        int min = f.integer("minReplicas", d.minReplicas(), 0, Integer.MAX_VALUE);
        int max = f.integer("maxReplicas", d.maxReplicas(), 1, Integer.MAX_VALUE);
        if (min > max) {
            f.problem(f.at("minReplicas"), "must be <= maxReplicas (" + min + " > " + max + ")");
        }
        ModelSpec.Slo ttft = slo(f.child("slo"), d.slo());
        Fields cap = f.child("capacity");
        double rps = cap.num("requestsPerSecond", d.capacity(), x -> x > 0, "> 0");
        Double tps = cap.num("tokensPerSecond", d.tokenCapacity() == null ? -1.0 : d.tokenCapacity(), x -> x > 0,
                "> 0");
        cap.done();
        ModelSpec.EngineSettings engine = engine(f.child("engine"), d.engine());
        ScalingSettings scaling = scaling(f.child("scaling"), d.scaling());
        String actuation = f.oneOf("actuation", "hpa", Set.of("hpa", "direct"));
        Optional<ModelSpec.ScaleToZero> zero = scaleToZero(f.child("scaleToZero"), min);
        Workloads.ModelWorkload workload = modelWorkload(f.child("workload"), d.workload());
        if (engine.tensorParallelSize() > w.gpusPerNode()) {
            f.problem(f.at("engine.tensorParallelSize"), "is " + engine.tensorParallelSize()
                    + ", more than the GPUs of a node (workloads.gpusPerNode " + w.gpusPerNode() + ")");
        }
        if (min == 0 && zero.isEmpty()) {
            f.problem(f.at("minReplicas"), "0 needs scaleToZero with an activationQuery, or nothing brings the model back");
        }
        List<VariantSpec> variants = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<Fields> vs = f.list("variants");
        if (vs.isEmpty()) {
            f.problem(f.at("variants"), "needs at least one variant");
        }
        for (Fields v : vs) {
            VariantSpec spec = variant(v);
            if (w.deploy() && spec.gpuType() != null && !w.gpuNodeSelectors().containsKey(spec.gpuType())) {
                v.problem(v.at("gpuType"), "unknown GPU type '" + spec.gpuType() + "' (workloads.gpuNodeSelectors knows "
                        + new java.util.TreeSet<>(w.gpuNodeSelectors().keySet()) + ")");
            }
            if (spec.name() != null && !names.add(spec.name())) {
                v.problem(v.at("name"), "duplicate variant '" + spec.name() + "'");
            }
            if (name != null && spec.name() != null && (name + "-" + spec.name()).length() > 52) {
                v.problem(v.at("name"), "model and variant names together must stay within 52 characters ('"
                        + name + "-" + spec.name() + "')");
            }
            variants.add(spec);
        }
        if (!vs.isEmpty() && variants.stream().noneMatch(v -> v.maxShare() >= 1)) {
            f.problem(f.at("variants"), "at least one variant must have maxShare 1, so all capacity can be placed");
        }
        f.done();
        return new ModelSpec(name, namespace, modelId, served, engine, priority, min, max, ttft,
                new ModelSpec.Capacity(rps, tps < 0 ? OptionalDouble.empty() : OptionalDouble.of(tps)), scaling,
                "direct".equals(actuation) ? ModelSpec.Actuation.DIRECT : ModelSpec.Actuation.HPA, zero, workload,
                variants);
    }

    private static Optional<ModelSpec.ScaleToZero> scaleToZero(Fields f, int minReplicas) {
        if (!f.present()) {
            f.done();
            return Optional.empty();
        }
        Duration idle = f.duration("idleAfter", null, Duration.ofSeconds(30));
        String query = f.str("activationQuery", null);
        if (minReplicas != 0) {
            f.problem(f.path(), "needs minReplicas 0 (got " + minReplicas + ")");
        }
        f.done();
        return Optional.of(new ModelSpec.ScaleToZero(idle == null ? Duration.ofMinutes(10) : idle,
                Optional.ofNullable(query)));
    }

    private static VariantSpec variant(Fields f) {
        String name = f.str("name", null);
        checkName(f, "name", name);
        String gpu = f.str("gpuType", null);
        String type = f.oneOf("capacityType", "on-demand", CAPACITY_TYPES);
        Double price = f.num("pricePerHour", -1.0, d -> d > 0, "> 0");
        String query = f.str("priceQuery", "");
        if (!f.has("pricePerHour") && query.isEmpty()) {
            f.problem(f.path(), "has no price: set pricePerHour, priceQuery or both");
        }
        boolean spot = "spot".equals(type);
        double share = f.num("maxShare", 1.0, d -> d > 0 && d <= 1, "in (0, 1]");
        double factor = f.num("capacityFactor", 1.0, d -> d > 0 && d <= 100, "in (0, 100]");
        Integer maxReplicas = f.integer("maxReplicas", -1, 0, Integer.MAX_VALUE);
        f.done();
        return new VariantSpec(name, gpu, spot ? VariantSpec.CapacityType.SPOT : VariantSpec.CapacityType.ON_DEMAND,
                price < 0 ? OptionalDouble.empty() : OptionalDouble.of(price),
                query.isEmpty() ? Optional.empty() : Optional.of(query), share, factor,
                maxReplicas < 0 ? OptionalInt.empty() : OptionalInt.of(maxReplicas));
    }

    private static ModelSpec.EngineSettings engine(Fields f, ModelSpec.EngineSettings d) {
        String dtype = f.oneOf("dtype", d.dtype(), DTYPES);
        int len = f.integer("maxModelLen", d.maxModelLen(), 16, 10_000_000);
        double mem = f.num("gpuMemoryUtilization", d.gpuMemoryUtilization(), x -> x > 0 && x <= 1, "in (0, 1]");
        int seqs = f.integer("maxNumSeqs", d.maxNumSeqs(), 1, 1_000_000);
        int batched = f.integer("maxNumBatchedTokens", d.maxNumBatchedTokens(), 1, 100_000_000);
        boolean chunked = f.bool("enableChunkedPrefill", d.enableChunkedPrefill());
        int tp = f.integer("tensorParallelSize", d.tensorParallelSize(), 1, 64);
        f.done();
        return new ModelSpec.EngineSettings(dtype, len, mem, seqs, batched, chunked, tp);
    }

    private static ScalingSettings scaling(Fields f, ScalingSettings d) {
        double headroom = f.num("headroom", d.headroom(), x -> x >= 0 && x <= 10, "in [0, 10]");
        double drain = f.num("queueDrainSeconds", d.queueDrainSeconds(), x -> x > 0, "> 0");
        int upPods = f.integer("scaleUpMaxPods", d.scaleUpMaxPods(), 1, Integer.MAX_VALUE);
        int upPct = f.integer("scaleUpMaxPercent", d.scaleUpMaxPercent(), 0, 10_000);
        int downPods = f.integer("scaleDownMaxPods", d.scaleDownMaxPods(), 1, Integer.MAX_VALUE);
        int downPct = f.integer("scaleDownMaxPercent", d.scaleDownMaxPercent(), 0, 100);
        Duration window = f.duration("scaleDownStabilization", d.scaleDownStabilization(), Duration.ZERO);
        int sloStep = f.integer("sloStepPercent", d.sloStepPercent(), 0, 1000);
        double kv = f.num("kvCacheTarget", d.kvCacheTarget(), x -> x > 0 && x <= 1, "in (0, 1]");
        double gpu = f.num("computeBoundGpuUtilization", d.computeBoundGpuUtilization(), x -> x >= 0 && x <= 1,
                "in [0, 1]");
        Duration grace = f.duration("unknownGracePeriod", d.unknownGracePeriod(), Duration.ZERO);
        Integer floor = f.integer("unknownFloorReplicas", d.unknownFloorReplicas().orElse(-1), 0, Integer.MAX_VALUE);
        f.done();
        return new ScalingSettings(headroom, drain, upPods, upPct, downPods, downPct, window, sloStep, kv, gpu, grace,
                floor < 0 ? OptionalInt.empty() : OptionalInt.of(floor));
    }

    static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?");
    static final Pattern CIDR = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}|[0-9a-fA-F:]+/\\d{1,3}");

    private static Workloads workloads(Fields f) {
        Workloads d = Workloads.defaults();
        boolean deploy = f.bool("deploy", d.deploy());
        String image = f.str("image", d.image());
        String tag = f.str("tag", d.tag());
        String ingressNs = f.str("ingressNamespace", d.ingressNamespace());
        String autoscalerNs = f.str("autoscalerNamespace", d.autoscalerNamespace());
        String monitoringNs = f.str("monitoringNamespace", d.monitoringNamespace());
        List<String> cidrs = f.has("egressCidrs") ? f.stringList("egressCidrs") : d.egressCidrs();
        for (int i = 0; i < cidrs.size(); i++) {
            if (!CIDR.matcher(cidrs.get(i)).matches()) {
                f.problem(f.at("egressCidrs") + "[" + i + "]", "must be a CIDR like 10.0.0.0/8, got '" + cidrs.get(i) + "'");
            }
        }
        Map<String, String> spotSelector = f.has("spotNodeSelector") ? labels(f.child("spotNodeSelector"))
                : d.spotNodeSelector();
        List<Workloads.Toleration> tolerations = d.spotTolerations();
        if (f.has("spotTolerations")) {
            tolerations = new ArrayList<>();
            for (Fields t : f.list("spotTolerations")) {
                String key = t.str("key", null);
                String op = t.oneOf("operator", "Equal", Set.of("Equal", "Exists"));
                String value = t.str("value", "");
                String effect = t.oneOf("effect", "NoSchedule", Set.of("NoSchedule", "PreferNoSchedule", "NoExecute"));
                t.done();
                tolerations.add(new Workloads.Toleration(key, op, value.isEmpty() ? Optional.empty() : Optional.of(value),
                        effect));
            }
        }
        Map<String, Map<String, String>> gpus = d.gpuNodeSelectors();
        if (f.has("gpuNodeSelectors")) {
            gpus = new LinkedHashMap<>();
            Fields g = f.child("gpuNodeSelectors");
            for (String type : g.keys()) {
                gpus.put(type, labels(g.child(type)));
            }
            g.done();
        }
        int gpusPerNode = f.integer("gpusPerNode", d.gpusPerNode(), 1, 64);
        boolean createNs = f.bool("createNamespaces", d.createNamespaces());
        f.done();
        return new Workloads(deploy, image, tag, ingressNs, autoscalerNs, monitoringNs, cidrs, spotSelector, tolerations,
                gpus, gpusPerNode, createNs);
    }

    private static Map<String, String> labels(Fields f) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : f.keys()) {
            out.put(k, f.str(k, ""));
        }
        f.done();
        return out;
    }

    private static Workloads.ModelWorkload modelWorkload(Fields f, Workloads.ModelWorkload d) {
        String revision = f.str("revision", d.revision());
        String tag = f.str("tag", d.tag().orElse(""));
        String cpu = quantity(f, "cpu", d.cpu());
        String memory = quantity(f, "memory", d.memory());
        String cache = f.oneOf("cache", d.cache(), Set.of("emptyDir", "pvc"));
        String cacheSize = quantity(f, "cacheSize", d.cacheSize());
        String storageClass = f.str("storageClass", d.storageClass().orElse(""));
        Optional<Workloads.SecretRef> hf = secret(f.child("hfTokenSecret"), d.hfTokenSecret());
        Optional<Workloads.SecretRef> apiKey = secret(f.child("apiKeySecret"), d.apiKeySecret());
        String host = f.str("ingressHost", d.ingressHost().orElse(""));
        String ingressClass = f.str("ingressClass", d.ingressClass().orElse(""));
        Duration startup = f.duration("startupTimeout", d.startupTimeout(), Duration.ofSeconds(30));
        List<Workloads.LoraAdapter> adapters = d.loraAdapters();
        if (f.has("loraAdapters")) {
            adapters = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (Fields a : f.list("loraAdapters")) {
                String name = a.str("name", null);
                String source = a.str("source", null);
                if (name != null && !name.matches("[A-Za-z0-9][-A-Za-z0-9_.]*")) {
                    a.problem(a.at("name"), "must be letters, digits, '-', '_' or '.', got '" + name + "'");
                }
                if (name != null && !names.add(name)) {
                    a.problem(a.at("name"), "duplicate adapter '" + name + "'");
                }
                a.done();
                adapters.add(new Workloads.LoraAdapter(name, source));
            }
        }
        f.done();
        return new Workloads.ModelWorkload(revision, opt(tag), cpu, memory, cache, cacheSize, opt(storageClass), hf,
                apiKey, opt(host), opt(ingressClass), startup, adapters);
    }

    private static Optional<String> opt(String s) {
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static String quantity(Fields f, String key, String fallback) {
        String q = f.str(key, fallback);
        if (q != null && !QUANTITY.matcher(q).matches()) {
            f.problem(f.at(key), "must be a positive Kubernetes quantity like 8, 500m or 32Gi, got '" + q + "'");
            return fallback;
        }
        return q;
    }

    private static Optional<Workloads.SecretRef> secret(Fields f, Optional<Workloads.SecretRef> fallback) {
        if (!f.present()) {
            f.done();
            return fallback;
        }
        String name = f.str("name", null);
        String key = f.str("key", null);
        if (name != null && !name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            f.problem(f.at("name"), "is not a valid Secret name: '" + name + "'");
        }
        f.done();
        return Optional.of(new Workloads.SecretRef(name, key));
    }

    private static void checkName(Fields f, String key, String value) {
        if (value != null && (value.length() > 40 || !DNS_LABEL.matcher(value).matches())) {
            f.problem(f.at(key), "must be a lower-case DNS label of at most 40 characters (a-z, 0-9, '-'), got '"
                    + value + "'");
        }
    }
}
