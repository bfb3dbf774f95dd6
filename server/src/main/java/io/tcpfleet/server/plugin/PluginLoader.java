package io.tcpfleet.server.plugin;

import io.tcpfleet.server.config.ConfigException;
import io.tcpfleet.server.logging.Log;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Finds the {@link TcpfleetPlugin}s on the class path and in the jars of the plugins directory. */
public final class PluginLoader {

    private static final Log LOG = Log.get(PluginLoader.class);
    private static final List<String> BUILT_IN = List.of("echo", "proxy");

    private PluginLoader() {}

    /** Plugins by name; a missing directory means "class path only". */
    public static Map<String, TcpfleetPlugin> load(Path pluginsDir, ClassLoader parent) {
        List<URL> jars = jars(pluginsDir);
        ClassLoader loader = jars.isEmpty() ? parent : new URLClassLoader(jars.toArray(URL[]::new), parent);
        Map<String, TcpfleetPlugin> plugins = new TreeMap<>();
        try {
            for (TcpfleetPlugin plugin : ServiceLoader.load(TcpfleetPlugin.class, loader)) {
                String name = plugin.name();
                if (BUILT_IN.contains(name)) {
                    throw new ConfigException(
                            "plugin " + plugin.getClass().getName() + " uses the built-in handler name '" + name + "'");
                }
                TcpfleetPlugin previous = plugins.putIfAbsent(name, plugin);
                if (previous != null && previous.getClass() != plugin.getClass()) {
                    throw new ConfigException("two plugins are named '" + name + "': "
                            + previous.getClass().getName() + " and "
                            + plugin.getClass().getName());
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new ConfigException("--plugins-dir '" + pluginsDir + "': a plugin failed to load: " + e.getMessage());
        }
        if (!plugins.isEmpty()) {
            LOG.info("plugins loaded", "plugins", String.join(",", plugins.keySet()), "jars", jars.size());
        }
        return plugins;
    }

    private static List<URL> jars(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return List.of();
        }
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("--plugins-dir '" + dir + "' is not a directory");
        }
        List<URL> urls = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path jar : (Iterable<Path>)
                    files.filter(p -> p.toString().endsWith(".jar")).sorted()::iterator) {
                urls.add(jar.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw new ConfigException("--plugins-dir '" + dir + "': " + e.getMessage());
        } catch (IOException e) {
            throw new ConfigException("--plugins-dir '" + dir + "' cannot be read: " + e.getMessage());
        }
        return urls;
    }
}
