package io.gpuautoscaler.config;

import java.util.List;

/** A policy that cannot be used; every problem names the field it is about. */
public class InvalidPolicyException extends Exception {

    private final List<String> problems;

    public InvalidPolicyException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
