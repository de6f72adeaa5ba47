package com.gnosis.hub.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4: any line that breaks the grammar, a sample
 * outside its TYPE's family, a family split in two, a series given twice, or a histogram whose buckets do not
 * climb to an +Inf bucket equal to its _count is an {@link AssertionError} naming the line.
 */
public final class PrometheusText {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern VALUE = Pattern.compile("[+-]?(Inf|NaN|[0-9]*\\.?[0-9]+([eE][+-]?[0-9]+)?|[0-9]+\\.)");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample: name, labels (sorted) and value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;
    private final Map<String, String> types;

    private PrometheusText(List<Sample> samples, Map<String, String> types) {
        this.samples = samples;
        this.types = types;
    }

    public static PrometheusText parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) throw new AssertionError("the exposition does not end with a line break");
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        Set<String> helped = new HashSet<>();
        Set<String> closedFamilies = new HashSet<>();
        Set<String> series = new HashSet<>();
        String family = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            String where = "line " + (i + 1) + ": " + line;
            if (line.isEmpty()) continue;
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    String name = parts[2];
                    if (!NAME.matcher(name).matches()) throw new AssertionError("bad metric name, " + where);
                    if (!name.equals(family)) {
                        if (family != null) closedFamilies.add(family);
                        if (closedFamilies.contains(name)) throw new AssertionError("family given twice, " + where);
                        family = name;
                    }
                    if (parts[1].equals("TYPE")) {
                        if (parts.length != 4 || !TYPES.contains(parts[3])) throw new AssertionError("bad TYPE, " + where);
                        if (types.put(name, parts[3]) != null) throw new AssertionError("second TYPE, " + where);
                    } else if (!helped.add(name)) {
                        throw new AssertionError("second HELP, " + where);
                    }
                }
                continue;
            }
            Sample sample = sample(line, where);
            if (family == null || !belongs(sample.name(), family, types.getOrDefault(family, "untyped"))) {
                throw new AssertionError("sample outside its family (" + family + "), " + where);
            }
            if (!series.add(sample.name() + sample.labels())) throw new AssertionError("series given twice, " + where);
            samples.add(sample);
        }
        PrometheusText parsed = new PrometheusText(samples, types);
        parsed.checkHistograms();
        return parsed;
    }

    private static boolean belongs(String name, String family, String type) {
        if (name.equals(family)) return true;
        List<String> suffixes = switch (type) {
            case "histogram" -> List.of("_bucket", "_sum", "_count", "_created");
            case "summary" -> List.of("_sum", "_count", "_created");
            case "counter" -> List.of("_total", "_created");
            default -> List.of();
        };
        return suffixes.stream().anyMatch(s -> name.equals(family + s));
    }

    private static Sample sample(String line, String where) {
        Matcher name = NAME.matcher(line);
        if (!name.lookingAt()) throw new AssertionError("no metric name, " + where);
        int at = name.end();
        Map<String, String> labels = new TreeMap<>();
        if (at < line.length() && line.charAt(at) == '{') {
            at++;
            while (line.charAt(at) != '}') {
                Matcher label = LABEL_NAME.matcher(line).region(at, line.length());
                if (!label.lookingAt()) throw new AssertionError("bad label name, " + where);
                at = label.end();
                if (!line.startsWith("=\"", at)) throw new AssertionError("label without =\"value\", " + where);
                at += 2;
                StringBuilder value = new StringBuilder();
                while (true) {
                    if (at >= line.length()) throw new AssertionError("unterminated label value, " + where);
                    char c = line.charAt(at++);
                    if (c == '"') break;
                    if (c == '\\') {
                        char escaped = line.charAt(at++);
                        if (escaped == 'n') value.append('\n');
                        else if (escaped == '\\' || escaped == '"') value.append(escaped);
                        else throw new AssertionError("bad escape in label value, " + where);
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label.group(), value.toString()) != null) throw new AssertionError("label twice, " + where);
                if (line.charAt(at) == ',') at++;
                else if (line.charAt(at) != '}') throw new AssertionError("labels not separated by commas, " + where);
            }
            at++;
        }
        if (at >= line.length() || line.charAt(at) != ' ') throw new AssertionError("no space before the value, " + where);
        String[] rest = line.substring(at + 1).split(" ");
        if (rest.length < 1 || rest.length > 2 || !VALUE.matcher(rest[0]).matches()) {
            throw new AssertionError("bad value, " + where);
        }
        if (rest.length == 2 && !rest[1].matches("-?[0-9]+")) throw new AssertionError("bad timestamp, " + where);
        return new Sample(name.group(), labels, parseValue(rest[0]));
    }

    private static double parseValue(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN", "+NaN", "-NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private void checkHistograms() {
        types.forEach((family, type) -> {
            if (!type.equals("histogram")) return;
            Map<Map<String, String>, List<Sample>> buckets = new HashMap<>();
            for (Sample s : samples) {
                if (!s.name().equals(family + "_bucket")) continue;
                Map<String, String> series = new TreeMap<>(s.labels());
                if (series.remove("le") == null) throw new AssertionError(family + " has a bucket without le");
                buckets.computeIfAbsent(series, k -> new ArrayList<>()).add(s);
            }
            buckets.forEach((series, list) -> {
                double lastLe = Double.NEGATIVE_INFINITY;
                double lastCount = 0;
                for (Sample b : list) {
                    double le = parseValue(b.labels().get("le"));
                    if (le <= lastLe) throw new AssertionError(family + series + ": le does not climb at " + le);
                    if (b.value() < lastCount) throw new AssertionError(family + series + ": bucket counts fall at " + le);
                    lastLe = le;
                    lastCount = b.value();
                }
                if (lastLe != Double.POSITIVE_INFINITY) throw new AssertionError(family + series + ": no +Inf bucket");
                Double count = find(family + "_count", series);
                if (count == null || count != lastCount) throw new AssertionError(family + series + ": +Inf bucket is not _count");
                if (find(family + "_sum", series) == null) throw new AssertionError(family + series + ": no _sum");
            });
        });
    }

    private Double find(String name, Map<String, String> labels) {
        for (Sample s : samples) {
            if (s.name().equals(name) && s.labels().equals(labels)) return s.value();
        }
        return null;
    }

    /** The value of the series with exactly these labels (name, value, name, value ...), or null when absent. */
    public Double value(String name, String... labels) {
        Map<String, String> wanted = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) wanted.put(labels[i], labels[i + 1]);
        return find(name, wanted);
    }

    /** The sum of every series of the name whose labels include these. */
    public double sum(String name, String... labels) {
        double total = 0;
        for (Sample s : samples) {
            if (!s.name().equals(name)) continue;
            boolean match = true;
            for (int i = 0; i < labels.length; i += 2) match &= labels[i + 1].equals(s.labels().get(labels[i]));
            if (match) total += s.value();
        }
        return total;
    }

    public List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    public String type(String family) {
        return types.get(family);
    }
}
