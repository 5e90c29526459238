package io.gpuautoscaler.adapter;

import java.util.Optional;

/** Establishes who sent a request. May block (a TokenReview): call it off the event loop. */
public interface Authenticator {

    /** The user, or empty when the request proves no identity (401). */
    Optional<UserInfo> authenticate(RequestCredentials credentials);

    /** No authentication: every request is the local developer. Only ever bound to 127.0.0.1. */
    Authenticator LOCAL = c -> Optional.of(new UserInfo("local-developer", java.util.List.of("system:authenticated")));
}
