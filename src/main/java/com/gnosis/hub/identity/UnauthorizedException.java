package com.gnosis.hub.identity;

/** The request does not say who it is from in the way AUTH_MODE requires (answered 401). */
public class UnauthorizedException extends RuntimeException {
    public UnauthorizedException(String message) {
        super(message, null, false, false);
    }
}
