package io.gpuautoscaler.testing;

/** Sleeping in tests without checked exceptions (an interrupt fails the test). */
public final class Waits {

    private Waits() {
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
