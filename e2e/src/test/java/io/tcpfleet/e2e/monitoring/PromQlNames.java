package io.tcpfleet.e2e.monitoring;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads: what is left once label matchers, grouping lists,
 * strings, range selectors, functions and keywords are taken out. Enough for the expressions we
 * ship (checked by its own test), not a PromQL parser.
 */
final class PromQlNames {

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(\\s*\\()?");
    private static final Set<String> KEYWORDS =
            Set.of("and", "or", "unless", "bool", "offset", "by", "without", "inf", "nan");

    private PromQlNames() {}

    static Set<String> of(String expr) {
        String rest = STRINGS.matcher(expr).replaceAll(" ");
        rest = MATCHERS.matcher(rest).replaceAll(" ");
        rest = RANGES.matcher(rest).replaceAll(" ");
        rest = GROUPING.matcher(rest).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(rest);
        while (m.find()) {
            boolean function = m.group(2) != null;
            if (!function && !KEYWORDS.contains(m.group(1).toLowerCase(Locale.ROOT))) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
