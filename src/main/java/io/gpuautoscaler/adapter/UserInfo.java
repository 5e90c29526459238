package io.gpuautoscaler.adapter;

import java.util.List;

/** Who a request is from, once authenticated. */
public record UserInfo(String name, List<String> groups) {

    public UserInfo {
        groups = List.copyOf(groups);
    }
}
