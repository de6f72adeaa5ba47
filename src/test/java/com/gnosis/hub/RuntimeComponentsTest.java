package com.gnosis.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Camel component a route uses comes with the hub's runtime dependencies, not only with the test kit
 * (the tests would pass and `java -jar` would fail at start).
 */
class RuntimeComponentsTest {

    private static final Pattern URI = Pattern.compile("uri:\\s*\"?([a-z][a-z0-9-]*):");

    @Test
    void everyRouteComponentIsARuntimeDependency() throws Exception {
        Set<String> schemes = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                Matcher m = URI.matcher(Files.readString(file));
                while (m.find()) schemes.add(m.group(1));
            }
        }
        assertThat(schemes).contains("platform-http", "seda", "direct", "file", "timer");
        List<String> runtime = List.of(Files.readString(Path.of("target/runtime-classpath.txt")).trim().split(":"));
        for (String scheme : schemes) {
            URL descriptor = getClass().getClassLoader().getResource("META-INF/services/org/apache/camel/component/" + scheme);
            assertThat(descriptor).as("component " + scheme + " on the class path").isNotNull();
            String jar = descriptor.getPath().replaceFirst("^file:", "").replaceFirst("!.*$", "");
            assertThat(runtime).as("the jar of component " + scheme + " is a runtime dependency").contains(jar);
        }
    }
}
