package io.tcpfleet.server.config;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Flags plus their {@code TCPFLEET_*} environment twins into a {@link ServerConfig}. The environment
 * is turned into flags placed before the real ones, so the command line wins and both go through the
 * same converters; each variable is first checked alone so a bad one is named in the error.
 *
 * <p>A {@code TCPFLEET_*} variable this version does not know is skipped and reported, not refused:
 * a newer operator sets variables an older server image (a fleet pinned with spec.image) has never
 * heard of, and that fleet must keep running on its defaults. An unknown flag is still refused: a
 * person typed it.
 */
public final class ConfigLoader {

    static final String ENV_PREFIX = "TCPFLEET_";

    /** Variables under this prefix belong to test harnesses that start the server; they are ignored. */
    static final String IGNORED_PREFIX = "TCPFLEET_TEST_";

    /**
     * Either a config to run, or text to print and exit 0 with (--help, --version); with the unknown
     * {@code TCPFLEET_*} variable names that were skipped, for a warning once logging is set up.
     */
    public record Parsed(ServerConfig config, String text, List<String> unknownVariables) {}

    private ConfigLoader() {}

    public static Parsed parse(String[] args, Map<String, String> env) {
        List<String> unknown = new ArrayList<>();
        List<String> merged = new ArrayList<>(envAsFlags(env, unknown));
        merged.addAll(List.of(args));
        ServerOptions options = new ServerOptions();
        CommandLine cmd = commandLine(options);
        try {
            cmd.parseArgs(merged.toArray(String[]::new));
        } catch (ParameterException e) {
            throw new ConfigException(oneLine(e.getMessage()));
        }
        if (cmd.isUsageHelpRequested()) {
            StringWriter out = new StringWriter();
            cmd.usage(new PrintWriter(out));
            return new Parsed(null, out.toString(), unknown);
        }
        if (cmd.isVersionHelpRequested()) {
            StringWriter out = new StringWriter();
            cmd.printVersionHelp(new PrintWriter(out));
            return new Parsed(null, out.toString(), unknown);
        }
        return new Parsed(options.toConfig(), null, unknown);
    }

    /** The environment twin of every option, keyed by variable name. */
    public static Map<String, String> envTwins() {
        Map<String, String> twins = new TreeMap<>();
        for (OptionSpec option :
                commandLine(new ServerOptions()).getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            String name = option.longestName();
            twins.put(ENV_PREFIX + name.substring(2).toUpperCase(Locale.ROOT).replace('-', '_'), name);
        }
        return twins;
    }

    private static List<String> envAsFlags(Map<String, String> env, List<String> unknown) {
        Map<String, String> twins = envTwins();
        List<String> flags = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(ENV_PREFIX) || name.startsWith(IGNORED_PREFIX)) {
                continue;
            }
            String flag = twins.get(name);
            if (flag == null) {
                unknown.add(name);
                continue;
            }
            String asFlag = flag + "=" + e.getValue();
            try {
                commandLine(new ServerOptions()).parseArgs(asFlag);
            } catch (ParameterException ex) {
                throw new ConfigException(name + "='" + e.getValue() + "' (" + flag + "): " + oneLine(ex.getMessage()));
            }
            flags.add(asFlag);
        }
        return flags;
    }

    private static CommandLine commandLine(ServerOptions options) {
        CommandLine cmd = new CommandLine(options);
        cmd.setOverwrittenOptionsAllowed(true);
        cmd.setExpandAtFiles(false);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        return cmd;
    }

    private static String oneLine(String message) {
        return message.replaceAll("\\s*\\R\\s*", "; ").trim();
    }
}
