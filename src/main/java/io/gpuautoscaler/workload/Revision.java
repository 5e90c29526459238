package io.gpuautoscaler.workload;

import io.gpuautoscaler.policy.ModelSpec;
import io.gpuautoscaler.policy.Workloads;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What makes a new revision of a model's serving stack: model id, model revision and image. Changing one of
 * these rolls out blue-green; any other change is an ordinary rolling update of the same Deployment.
 */
public final class Revision {

    private Revision() {
    }

    /** Eight hex characters, stable for the same inputs. */
    public static String hash(ModelSpec m, Workloads w) {
        String image = w.image() + ":" + m.workload().tag().orElse(w.tag());
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((m.modelId() + "\n" + m.workload().revision() + "\n"
                    + image).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
