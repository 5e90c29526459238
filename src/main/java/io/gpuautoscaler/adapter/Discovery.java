package io.gpuautoscaler.adapter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The fixed documents of the API: discovery, version, and Kubernetes {@code Status} errors. */
final class Discovery {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GROUP_VERSION = ExternalMetricsServer.GROUP + "/" + ExternalMetricsServer.VERSION;
    private static final String RESOURCE_LIST;
    private static final String GROUP;
    private static final String GROUP_LIST;
    private static final String VERSION;

    static {
        List<Map<String, Object>> resources = new ArrayList<>();
        for (PublishedMetric m : PublishedMetric.values()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", m.metricName());
            r.put("singularName", "");
            r.put("namespaced", true);
            r.put("kind", "ExternalMetricValueList");
            r.put("verbs", List.of("get"));
            resources.add(r);
        }
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("kind", "APIResourceList");
        list.put("apiVersion", "v1");
        list.put("groupVersion", GROUP_VERSION);
        list.put("resources", resources);
        Map<String, Object> version = Map.of("groupVersion", GROUP_VERSION, "version", ExternalMetricsServer.VERSION);
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("kind", "APIGroup");
        group.put("apiVersion", "v1");
        group.put("name", ExternalMetricsServer.GROUP);
        group.put("versions", List.of(version));
        group.put("preferredVersion", version);
        Map<String, Object> groupInList = new LinkedHashMap<>(group);
        groupInList.remove("kind");
        groupInList.remove("apiVersion");
        Map<String, Object> groups = new LinkedHashMap<>();
        groups.put("kind", "APIGroupList");
        groups.put("apiVersion", "v1");
        groups.put("groups", List.of(groupInList));
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("major", "1");
        v.put("minor", "0");
        v.put("gitVersion", "v1.0.0-gpu-autoscaler");
        v.put("gitCommit", "");
        v.put("gitTreeState", "clean");
        v.put("buildDate", "1970-01-01T00:00:00Z");
        v.put("goVersion", "");
        v.put("compiler", "");
        v.put("platform", System.getProperty("os.name").toLowerCase() + "/" + System.getProperty("os.arch"));
        RESOURCE_LIST = write(list);
        GROUP = write(group);
        GROUP_LIST = write(groups);
        VERSION = write(v);
    }

    private Discovery() {
    }

    static String resourceList() {
        return RESOURCE_LIST;
    }

    static String group() {
        return GROUP;
    }

    static String groupList() {
        return GROUP_LIST;
    }

    static String version() {
        return VERSION;
    }

    /** A {@code meta/v1 Status} failure. */
    static String status(int code, String reason, String message) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.put("metadata", Map.of());
        s.put("status", "Failure");
        s.put("message", message);
        s.put("reason", reason);
        s.put("code", code);
        return write(s);
    }

    private static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
