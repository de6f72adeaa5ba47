package com.gnosis.hub.usersettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gnosis.hub.identity.IdentityResolver;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.quota.QuotaLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-user settings from USER_SETTINGS_FILE and from the words after KEY EMAIL in API_KEYS_FILE. */
class UserSettingsTest {

    @TempDir
    Path dir;

    @Test
    void bothFilesAreReadAndTheSettingsFileWins() throws Exception {
        Path keys = Files.writeString(dir.resolve("keys"), "# keys\nk-ola Ola@Example.org quota_pages_queued=7 quota_bytes_stored=1g\n"
                + "k-pat pat@example.org\n");
        Path users = Files.writeString(dir.resolve("users"), "ola@example.org quota_pages_queued=9\n"
                + "pat@example.org callback_url=https://hooks.example.com/p\n");
        UserSettings settings = UserSettings.read(users, keys);
        UserIdentity ola = UserIdentity.of("ola@example.org");
        QuotaLimits limits = new QuotaLimits(100, 1000, 0).forUser(ola, settings);
        assertThat(limits).isEqualTo(new QuotaLimits(9, 1000, 1024L * 1024 * 1024));
        assertThat(settings.get(UserIdentity.of("pat@example.org"), UserSettings.CALLBACK_URL)).hasValue("https://hooks.example.com/p");
        assertThat(settings.all(UserSettings.CALLBACK_URL)).isEqualTo(Map.of(UserIdentity.hashOf("pat@example.org"),
                "https://hooks.example.com/p"));
        // the keys file with settings still names its users
        IdentityResolver resolver = IdentityResolver.of("api-key", "X-User-Email", keys);
        assertThat(resolver.resolve(h -> h.equals("Authorization") ? "Bearer k-ola" : null)).isEqualTo(ola);
    }

    @Test
    void anUnknownNameStopsTheStartNamingTheLine() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "ola@example.org\nola@example.org quota_pages=3\n");
        assertThatThrownBy(() -> UserSettings.read(users, null))
                .hasMessageContaining("USER_SETTINGS_FILE line 2").hasMessageContaining("quota_pages=3");
        Path noEmail = Files.writeString(dir.resolve("bad"), "quota_pages_queued=3\n");
        assertThatThrownBy(() -> UserSettings.read(noEmail, null)).hasMessageContaining("line 1");
    }
}
