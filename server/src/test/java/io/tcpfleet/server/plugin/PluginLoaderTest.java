package io.tcpfleet.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tcpfleet.server.config.ConfigException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginLoaderTest {

    @TempDir
    Path dir;

    @Test
    void findsPluginsOnTheClassPath() {
        assertThat(PluginLoader.load(dir.resolve("missing"), getClass().getClassLoader()))
                .containsKeys("ping", "blocking-echo")
                .doesNotContainKey("from-dir");
    }

    @Test
    void findsPluginsInJarsOfThePluginsDirectory() throws Exception {
        try (OutputStream file = Files.newOutputStream(dir.resolve("from-dir.jar"));
                JarOutputStream jar = new JarOutputStream(file)) {
            jar.putNextEntry(new JarEntry("META-INF/services/" + TcpfleetPlugin.class.getName()));
            jar.write("io.tcpfleet.server.plugin.example.DirOnlyPlugin\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        Files.writeString(dir.resolve("notes.txt"), "not a jar");
        assertThat(PluginLoader.load(dir, getClass().getClassLoader())).containsKeys("from-dir", "ping");
    }

    @Test
    void aPluginsPathThatIsAFileIsABadSetting() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> PluginLoader.load(file, getClass().getClassLoader()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--plugins-dir")
                .hasMessageContaining("not a directory");
    }

    @Test
    void aBrokenServiceEntryIsABadSetting() throws Exception {
        try (OutputStream file = Files.newOutputStream(dir.resolve("broken.jar"));
                JarOutputStream jar = new JarOutputStream(file)) {
            jar.putNextEntry(new JarEntry("META-INF/services/" + TcpfleetPlugin.class.getName()));
            jar.write("com.example.Missing\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        assertThatThrownBy(() -> PluginLoader.load(dir, getClass().getClassLoader()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("com.example.Missing");
    }
}
