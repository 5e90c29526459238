package io.gpuautoscaler.inventory;

import io.gpuautoscaler.policy.PodInfo;
import java.util.List;

/** Which pods serve which model variant, and whether they are ready. */
public interface FleetInventory {

    /** Pods of managed workloads, ready or starting; terminating and finished pods are left out. */
    List<PodInfo> pods();
}
