package io.tcpfleet.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The flag table of docs/server.md is written by hand; this keeps it true to the server's own
 * options: the same flags, each with its environment twin and its default, and nothing more.
 */
class ServerFlagsDocTest {

    /** Relative to the server module, where Maven runs its tests. */
    private static final Path PAGE = Path.of("../docs/server.md");

    private static final String BEGIN = "<!-- server-flags:begin -->";
    private static final String END = "<!-- server-flags:end -->";
    /** What the table writes for an option without a default. */
    private static final String NO_DEFAULT = "—";

    record Row(String env, String defaultValue, String meaning) {}

    @Test
    void tableListsExactlyTheServersFlags() throws IOException {
        Set<String> documented = rows().keySet();
        Set<String> flags = flags().keySet();

        assertThat(difference(flags, documented))
                .as("flags missing from the table of " + PAGE)
                .isEmpty();
        assertThat(difference(documented, flags))
                .as("rows of " + PAGE + " that are not flags")
                .isEmpty();
    }

    @Test
    void tableGivesEachFlagItsEnvironmentTwinAndDefault() throws IOException {
        Map<String, String> documented = new TreeMap<>();
        rows().forEach((flag, row) -> documented.put(flag, row.env() + " " + row.defaultValue()));
        Map<String, String> actual = new TreeMap<>();
        flags().forEach((flag, row) -> actual.put(flag, row.env() + " " + row.defaultValue()));
        // A row without a flag, or a flag without a row, fails the test above; here: the values.
        documented.keySet().retainAll(actual.keySet());
        actual.keySet().retainAll(documented.keySet());

        assertThat(documented)
                .as("flag -> environment twin and default, in " + PAGE)
                .isEqualTo(actual);
    }

    @Test
    void everyRowSaysWhatTheFlagIsFor() throws IOException {
        assertThat(rows())
                .allSatisfy((flag, row) -> assertThat(row.meaning()).as(flag).isNotBlank());
    }

    /** The server's own options by long name: environment twin and default, as the loader has them. */
    private static Map<String, Row> flags() {
        Map<String, String> flagToEnv = new TreeMap<>();
        ConfigLoader.envTwins().forEach((env, flag) -> flagToEnv.put(flag, env));
        Map<String, Row> flags = new TreeMap<>();
        for (OptionSpec option :
                new CommandLine(new ServerOptions()).getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            String flag = option.longestName();
            String defaultValue = option.defaultValue() == null ? NO_DEFAULT : option.defaultValue();
            flags.put(flag, new Row(flagToEnv.get(flag), defaultValue, option.description()[0]));
        }
        return flags;
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> rest = new TreeSet<>(a);
        rest.removeAll(b);
        return rest;
    }

    /** The table's rows by flag; backticks dropped, so a default reads as the flag takes it. */
    private static Map<String, Row> rows() throws IOException {
        String page = Files.readString(PAGE);
        int begin = page.indexOf(BEGIN);
        int end = page.indexOf(END);
        assertThat(begin).as(PAGE + " has no " + BEGIN).isNotNegative();
        assertThat(end).as(PAGE + " has no " + END).isGreaterThan(begin);
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : page.substring(begin + BEGIN.length(), end).lines().toList()) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
            assertThat(cells).as("a row with four cells: " + line).hasSize(4);
            String flag = unquote(cells[0]);
            Row row = new Row(unquote(cells[1]), unquote(cells[2]), cells[3].trim());
            assertThat(rows.put(flag, row)).as("row for " + flag + " twice").isNull();
        }
        return rows;
    }

    private static String unquote(String cell) {
        String trimmed = cell.trim();
        return trimmed.startsWith("`") && trimmed.endsWith("`") && trimmed.length() > 1
                ? trimmed.substring(1, trimmed.length() - 1)
                : trimmed;
    }
}
