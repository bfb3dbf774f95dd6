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
 */
public final class ConfigLoader {

    static final String ENV_PREFIX = "TCPFLEET_";

    /** Variables under this prefix belong to test harnesses that start the server; they are ignored. */
    static final String IGNORED_PREFIX = "TCPFLEET_TEST_";

    /** Either a config to run, or text to print and exit 0 with (--help, --version). */
    public record Parsed(ServerConfig config, String text) {}

    private ConfigLoader() {}

    public static Parsed parse(String[] args, Map<String, String> env) {
        List<String> merged = new ArrayList<>(envAsFlags(env));
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
            return new Parsed(null, out.toString());
        }
        if (cmd.isVersionHelpRequested()) {
            StringWriter out = new StringWriter();
            cmd.printVersionHelp(new PrintWriter(out));
            return new Parsed(null, out.toString());
        }
        return new Parsed(options.toConfig(), null);
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

    private static List<String> envAsFlags(Map<String, String> env) {
        Map<String, String> twins = envTwins();
        List<String> flags = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(ENV_PREFIX) || name.startsWith(IGNORED_PREFIX)) {
                continue;
            }
            String flag = twins.get(name);
            if (flag == null) {
                throw new ConfigException("unknown environment variable " + name + "='" + e.getValue()
                        + "' (see --help for the TCPFLEET_* variables)");
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
