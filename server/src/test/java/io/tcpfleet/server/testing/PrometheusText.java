package io.tcpfleet.server.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4 (no Prometheus parser is on the
 * class path): every line must be a HELP, a TYPE or a sample with a valid name, labels and value,
 * every sample must belong to a declared family; anything else fails.
 */
public final class PrometheusText {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final String VALUE = "(?:[+-]?(?:[0-9]*\\.?[0-9]+(?:[eE][+-]?[0-9]+)?|Inf)|NaN)";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern TYPE =
            Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile(
            "(" + NAME + ")(\\{(?:" + LABEL + "(?:," + LABEL + ")*,?)?\\})? (" + VALUE + ")(?: -?[0-9]+)?");

    private PrometheusText() {}

    /** Sample series (name plus label text, as written) to value; throws on the first bad line. */
    public static Map<String, Double> parse(String text) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("exposition does not end with a newline");
        }
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, Double> samples = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher type = TYPE.matcher(line);
            Matcher sample = SAMPLE.matcher(line);
            if (type.matches()) {
                if (types.put(type.group(1), type.group(2)) != null) {
                    throw new IllegalArgumentException("line " + lineNo + ": second TYPE for " + type.group(1));
                }
            } else if (sample.matches()) {
                Matcher m = sample;
                String name = m.group(1);
                if (family(name, types) == null) {
                    throw new IllegalArgumentException("line " + lineNo + ": sample of undeclared family: " + line);
                }
                String series = name + (m.group(2) == null ? "" : m.group(2));
                if (samples.put(series, value(m.group(3))) != null) {
                    throw new IllegalArgumentException("line " + lineNo + ": duplicate series " + series);
                }
            } else if (!HELP.matcher(line).matches()) {
                throw new IllegalArgumentException("line " + lineNo + " is not Prometheus text: " + line);
            }
        }
        return samples;
    }

    private static String family(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : new String[] {"_bucket", "_count", "_sum", "_total", "_created"}) {
            if (sample.endsWith(suffix) && types.containsKey(sample.substring(0, sample.length() - suffix.length()))) {
                return sample.substring(0, sample.length() - suffix.length());
            }
        }
        return null;
    }

    private static double value(String text) {
        switch (text) {
            case "+Inf":
            case "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                return Double.parseDouble(text);
        }
    }
}
