package com.gnosis.hub.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static final Pattern SETTING_NAME = Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z0-9]+)+|PORT");

    @Test
    void everySettingHasItsDefaultInApplicationPropertiesAndItsLineInTheReadme() throws IOException {
        Set<String> table = operatorSettings();
        assertThat(table).contains("STORAGE_PATH", "OCR_WORKERS", "MODEL_CACHE_PATH", "MAX_UPLOAD_MB");
        String readme = Files.readString(Path.of("README.md"));
        Set<String> undocumented = table.stream().filter(name -> !readme.contains("`" + name + "`"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(undocumented).as("settings in application.properties that the README does not list").isEmpty();
    }

    @Test
    void theMainCodeReadsNoSettingThatHasNoDefault() throws IOException {
        Set<String> table = operatorSettings();
        // LOG_LEVEL is log4j2's (it configures logging first); DJL's cache variables are DJL's own
        Set<String> elsewhere = Set.of("LOG_LEVEL", "DJL_CACHE_DIR", "ENGINE_CACHE_DIR");
        Set<String> read = new TreeSet<>();
        Pattern call = Pattern.compile(
                "(?:settings|env)\\.(?:get|env|getInt|getLong|getBoolean|getDuration|apply)\\(\"([A-Z0-9_]+)\"");
        try (var files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = call.matcher(Files.readString(file));
                while (m.find()) read.add(m.group(1));
            }
        }
        read.removeAll(elsewhere);
        read.removeAll(table);
        assertThat(read).as("settings read in src/main without a default in application.properties").isEmpty();
    }

    @Test
    void aCommandSeesTheSameDefaultsAsTheHubAndTheEnvironmentWins() {
        HubSettings defaults = HubSettings.standalone(Map.<String, String>of()::get);
        assertThat(defaults.getInt("OCR_DPI")).isEqualTo(200);
        assertThat(defaults.modelCache()).isEqualTo(Path.of("./storage/cache/models").toAbsolutePath().normalize());
        assertThat(defaults.dropFolder()).isEqualTo(Path.of("./storage/inbox").toAbsolutePath().normalize());
        assertThat(defaults.storageBackend()).isEqualTo("local");

        HubSettings set = HubSettings.standalone(Map.of("STORAGE_PATH", "/data", "OCR_DPI", "300", "DROP_FOLDER", "")::get);
        assertThat(set.modelCache()).isEqualTo(Path.of("/data/cache/models"));
        assertThat(set.getInt("OCR_DPI")).isEqualTo(300);
        assertThat(set.dropFolder()).as("an empty DROP_FOLDER turns the drop folder off").isNull();
    }

    @Test
    void durationsTakeCamelsSyntaxAndABareNumberIsSeconds() {
        assertThat(timeout("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(timeout("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(timeout("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> timeout("soon")).hasMessageContaining("OCR_DOC_TIMEOUT must be a duration");
    }

    private static Duration timeout(String value) {
        return HubSettings.standalone(Map.of("OCR_DOC_TIMEOUT", value)::get).documentTimeout();
    }

    /** The operator settings: the upper-case keys of application.properties. */
    private static Set<String> operatorSettings() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = SettingsTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        return properties.stringPropertyNames().stream().filter(n -> SETTING_NAME.matcher(n).matches())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
