package com.gnosis.hub.identity;

import java.util.function.Function;

/**
 * Finds the user of a request from its headers. In the default {@code header} mode (a trusted network)
 * the e-mail in {@code USER_HEADER} decides; no header means the anonymous user.
 */
public final class IdentityResolver {

    private final String userHeader;

    public IdentityResolver(String userHeader) {
        this.userHeader = userHeader;
    }

    /** @param header looks up a request header by name (case-insensitive), null when absent */
    public UserIdentity resolve(Function<String, String> header) {
        String email = header.apply(userHeader);
        if (email == null || email.isBlank()) {
            return UserIdentity.anonymous();
        }
        return UserIdentity.of(email);
    }

    public String userHeader() {
        return userHeader;
    }
}
