package com.gnosis.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The deployment files (no Docker engine here: the test reads them): they parse, and what they name exists in
 * this build — the jar and lib/ the pom makes, the port application.properties defaults to, the commands
 * Application runs, the folders they mount — and .env.example.v2 lists exactly README's settings.
 */
class DeployFilesTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path DOCKER = ROOT.resolve("docker");

    @Test
    void dockerfileCopiesWhatTheBuildMakesAndRunsAsNonRootOnThePort() throws IOException {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        assertThat(dockerfile).contains("FROM maven:3.9-eclipse-temurin-17 AS build", "FROM eclipse-temurin:17-jre");
        checkImage(dockerfile, "package");
    }

    @Test
    void gpuDockerfileBuildsTheGpuProfileOnCuda12WithCudnn9() throws IOException {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile.gpu"));
        assertThat(dockerfile).containsPattern("FROM nvidia/cuda:12\\.[0-9.]+-cudnn-runtime-ubuntu[0-9.]+")
                .contains("openjdk-17-jre-headless", "mvn -B -q -Pgpu -DskipTests package");
        assertThat(Files.readString(ROOT.resolve("pom.xml"))).contains("<id>gpu</id>", "onnxruntime_gpu");
        checkImage(dockerfile, "-Pgpu -DskipTests package");
    }

    private static void checkImage(String dockerfile, String build) throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        String jar = "target/" + group(pom, "<finalName>([^<]+)</finalName>") + ".jar";
        assertThat(pom).contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>",
                "<classpathPrefix>lib/</classpathPrefix>");
        String workdir = group(dockerfile, "(?m)^WORKDIR (\\S+)\\s*$");
        assertThat(dockerfile).contains(build)
                // the thin jar finds lib/ beside itself
                .contains("COPY --from=build " + workdir + "/" + jar + " /app/gnosis-ocr-hub.jar")
                .contains("COPY --from=build " + workdir + "/target/lib/ /app/lib/")
                .contains("-jar /app/gnosis-ocr-hub.jar");
        // what the build stage copies exists in the repository
        for (Matcher m = Pattern.compile("(?m)^COPY (?!--)(\\S+) \\S+$").matcher(dockerfile); m.find(); ) {
            assertThat(ROOT.resolve(m.group(1))).exists();
        }
        assertThat(group(dockerfile, "(?m)^EXPOSE (\\d+)")).isEqualTo(defaultPort());
        assertThat(dockerfile).containsPattern("(?m)^HEALTHCHECK .*\\n.*curl -fsS \"http://localhost:\\$\\{PORT}/health\"")
                .containsPattern("PORT=" + defaultPort())
                .contains("STORAGE_PATH=/app/storage", "VOLUME /app/storage");
        String user = group(dockerfile, "(?m)^USER (\\S+)");
        assertThat(user).isNotIn("root", "0");
        assertThat(dockerfile).contains("useradd --system --uid 10001 --gid hub").contains("chown -R hub:hub /app/storage");
    }

    @Test
    void composeV1RunsTheHubAloneOnTheRealPortAndStorage() throws IOException {
        Map<String, Object> compose = yaml(DOCKER.resolve("docker-compose.yml"));
        Map<String, Object> services = map(compose.get("services"));
        assertThat(services).containsOnlyKeys("hub");
        Map<String, Object> hub = map(services.get("hub"));
        checkBuild(hub);
        assertThat(list(hub.get("ports"))).containsExactly("${HOST_PORT:-7799}:" + defaultPort());
        assertThat(map(hub.get("environment"))).containsEntry("STORAGE_PATH", "/app/storage");
        assertThat(hostMounts(hub)).containsEntry("/app/storage", ROOT.resolve("storage"));
    }

    @Test
    void composeV2InitialisesStorageBeforeTheHubAndMountsStorageAndModelCache() throws IOException {
        Map<String, Object> compose = yaml(DOCKER.resolve("docker-compose.v2.yml"));
        Map<String, Object> services = map(compose.get("services"));
        assertThat(services).containsOnlyKeys("storage-init", "hub");

        Map<String, Object> init = map(services.get("storage-init"));
        checkBuild(init);
        List<Object> command = list(init.get("command"));
        assertThat(command).containsExactly("storage-init");
        assertThat(Application.COMMANDS).contains((String) command.get(0));
        assertThat(init.get("restart")).isEqualTo("no");

        Map<String, Object> hub = map(services.get("hub"));
        checkBuild(hub);
        assertThat(hub).doesNotContainKey("command");
        assertThat(map(map(hub.get("depends_on")).get("storage-init")))
                .containsEntry("condition", "service_completed_successfully");
        assertThat(list(hub.get("ports"))).containsExactly("${HOST_PORT:-7799}:" + defaultPort());
        for (Map<String, Object> service : List.of(init, hub)) {
            Map<String, Object> env = map(service.get("environment"));
            Map<String, Path> mounts = hostMounts(service);
            assertThat(mounts).containsEntry((String) env.get("STORAGE_PATH"), ROOT.resolve("storage"));
            // the model cache: MODEL_CACHE_HOST_PATH on the host (like gnosis-ocr's HF_CACHE_HOST_PATH), MODEL_CACHE_PATH inside
            assertThat(volumes(service)).contains("${MODEL_CACHE_HOST_PATH:-../storage/cache/models}:" + env.get("MODEL_CACHE_PATH"));
            assertThat(service.get("user")).isEqualTo("${HUB_UID:-10001}:${HUB_GID:-10001}");
        }
    }

    @Test
    void cloudRunServiceIsGen2WithTheModelCacheBucketMountedAndProbesOnHealth() throws IOException {
        Map<String, Object> service = yaml(DOCKER.resolve("cloudrun-service.yaml"));
        assertThat(service).containsEntry("apiVersion", "serving.knative.dev/v1").containsEntry("kind", "Service");
        Map<String, Object> template = map(map(service.get("spec")).get("template"));
        assertThat(map(map(template.get("metadata")).get("annotations")))
                .containsEntry("run.googleapis.com/execution-environment", "gen2");
        Map<String, Object> spec = map(template.get("spec"));
        Map<String, Object> container = map(list(spec.get("containers")).get(0));
        assertThat(map(list(container.get("ports")).get(0)).get("containerPort")).isEqualTo(Integer.parseInt(defaultPort()));

        Map<String, String> env = new java.util.HashMap<>();
        for (Object e : list(container.get("env"))) env.put((String) map(e).get("name"), (String) map(e).get("value"));
        assertThat(env).containsEntry("RUNNING_IN_CLOUD", "true").containsKey("GCS_BUCKET_NAME").containsKey("MODEL_CACHE_PATH");
        assertThat(env.get("GCS_BUCKET_NAME")).isNotBlank();

        Map<String, Object> mount = map(list(container.get("volumeMounts")).get(0));
        assertThat(mount.get("mountPath")).isEqualTo(env.get("MODEL_CACHE_PATH"));
        Map<String, Object> volume = map(list(spec.get("volumes")).get(0));
        assertThat(volume.get("name")).isEqualTo(mount.get("name"));
        Map<String, Object> csi = map(volume.get("csi"));
        assertThat(csi.get("driver")).isEqualTo("gcsfuse.run.googleapis.com");
        assertThat((String) map(csi.get("volumeAttributes")).get("bucketName")).isNotBlank();

        for (String probe : List.of("startupProbe", "livenessProbe")) {
            Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
            assertThat(get).containsEntry("path", "/health").containsEntry("port", Integer.parseInt(defaultPort()));
        }
    }

    @Test
    void envExampleListsExactlyTheReadmeSettingsPlusComposeVariables() throws IOException {
        Set<String> readme = readmeSettings();
        assertThat(readme).contains("PORT", "STORAGE_PATH", "GCS_BUCKET_NAME", "MODEL_CACHE_PATH", "LOG_LEVEL");
        Set<String> example = new LinkedHashSet<>();
        for (String line : Files.readAllLines(ROOT.resolve(".env.example.v2"))) {
            Matcher m = Pattern.compile("^#? ?([A-Z][A-Z0-9_]+)=").matcher(line);
            if (m.find()) example.add(m.group(1));
        }
        Set<String> composeOnly = new LinkedHashSet<>();
        for (String file : List.of("docker-compose.yml", "docker-compose.v2.yml")) {
            for (Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]+)").matcher(Files.readString(DOCKER.resolve(file))); m.find(); ) {
                if (!readme.contains(m.group(1))) composeOnly.add(m.group(1));
            }
        }
        assertThat(example).containsAll(readme).containsAll(composeOnly);
        Set<String> extra = new LinkedHashSet<>(example);
        extra.removeAll(readme);
        assertThat(extra).as("settings in .env.example.v2 but not in README's table").isEqualTo(composeOnly);
        assertThat(Files.readString(ROOT.resolve("README.md"))).contains(composeOnly.toArray(String[]::new));
    }

    /** The names in the first column of README's "## Settings" table. */
    private static Set<String> readmeSettings() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("\n## Settings");
        int end = readme.indexOf("\n## ", start + 1);
        Set<String> names = new LinkedHashSet<>();
        for (String line : readme.substring(start, end).split("\n")) {
            if (!line.startsWith("| `")) continue;
            String first = line.split("\\|")[1];
            for (Matcher m = Pattern.compile("`([A-Z][A-Z0-9_]+)`").matcher(first); m.find(); ) names.add(m.group(1));
        }
        return names;
    }

    private static void checkBuild(Map<String, Object> service) {
        Map<String, Object> build = map(service.get("build"));
        Path context = DOCKER.resolve((String) build.get("context")).normalize();
        assertThat(context).isEqualTo(ROOT);
        assertThat(context.resolve((String) build.get("dockerfile"))).isRegularFile();
        assertThat(service.get("image")).isEqualTo("gnosis-ocr-hub:latest");
    }

    /** Container path -> host folder (relative to the compose file's folder), for plain host paths. */
    private static Map<String, Path> hostMounts(Map<String, Object> service) {
        Map<String, Path> mounts = new java.util.HashMap<>();
        for (String volume : volumes(service)) {
            String[] parts = volume.split(":");
            if (parts[0].startsWith("${")) continue;
            Path host = DOCKER.resolve(parts[0]).normalize();
            assertThat(host).as(volume).isDirectory();
            mounts.put(parts[1], host);
        }
        return mounts;
    }

    private static List<String> volumes(Map<String, Object> service) {
        List<String> volumes = new ArrayList<>();
        for (Object v : list(service.get("volumes"))) volumes.add((String) v);
        return volumes;
    }

    private static String defaultPort() throws IOException {
        String properties = Files.readString(ROOT.resolve("src/main/resources/application.properties"));
        group(properties, "camel\\.server\\.port\\s*=\\s*(\\{\\{PORT}})");
        return group(properties, "(?m)^PORT\\s*=\\s*(\\d+)$");
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws IOException {
        Object parsed = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
        assertThat(parsed).as(file.toString()).isInstanceOf(Map.class);
        return (Map<String, Object>) parsed;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }
}
