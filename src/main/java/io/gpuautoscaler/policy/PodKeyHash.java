package io.gpuautoscaler.policy;

/**
 * Hash mixing for the keys of large maps: pod, model and variant names differ in a few trailing
 * characters, and the plain 31-multiplier combination of their hashes clusters in HashMap buckets.
 */
final class PodKeyHash {

    private PodKeyHash() {
    }

    /** The finaliser of MurmurHash3. */
    static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }
}
