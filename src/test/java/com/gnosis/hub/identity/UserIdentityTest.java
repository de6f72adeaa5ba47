package com.gnosis.hub.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class UserIdentityTest {

    @Test
    void hashesMatchTheDesignVectors() {
        assertThat(UserIdentity.of("test@example.com").hash()).isEqualTo("973dfe463ec8");
        assertThat(UserIdentity.anonymous().hash()).isEqualTo("de1f5e9831fd");
    }

    @Test
    void emailIsTrimmedAndLowerCasedBeforeHashing() {
        UserIdentity user = UserIdentity.of("  Test@Example.COM\t");
        assertThat(user.email()).isEqualTo("test@example.com");
        assertThat(user.hash()).isEqualTo("973dfe463ec8");
    }

    @Test
    void toStringNeverShowsTheEmail() {
        assertThat(UserIdentity.of("secret@example.com").toString()).doesNotContain("secret").contains("user ");
    }

    @Test
    void blankEmailIsRefused() {
        assertThatThrownBy(() -> UserIdentity.of("   ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resolverReadsTheConfiguredHeaderAndFallsBackToAnonymous() {
        IdentityResolver resolver = new IdentityResolver("X-Owner");
        assertThat(resolver.resolve(Map.of("X-Owner", "test@example.com")::get).hash()).isEqualTo("973dfe463ec8");
        assertThat(resolver.resolve(Map.of("X-User-Email", "test@example.com")::get).email())
                .isEqualTo(UserIdentity.ANONYMOUS_EMAIL);
        assertThat(resolver.resolve(Map.of("X-Owner", " ")::get).hash()).isEqualTo("de1f5e9831fd");
    }
}
