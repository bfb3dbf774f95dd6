package io.tcpfleet.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The image pattern takes what a kubelet pulls and refuses what it reports as InvalidImageName. */
class KubernetesSyntaxTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "busybox",
                "tcpfleet/tcpfleet-server:0.2.0",
                "ghcr.io/acme/tcp_fleet__server:v1.2-rc.1",
                "localhost:5000/server",
                "Registry.Example.COM:443/team/server:latest",
                "registry.example.com/a/b/c@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "server:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            })
    void admitsImageReferences(String image) {
        assertThat(image.matches(KubernetesSyntax.IMAGE)).as(image).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                " busybox",
                "tcpfleet server",
                "tcpfleet/Server",
                "server:",
                "server:-1",
                "server@sha256:short",
                "/server",
                "server/",
                "host:port/server",
                "a..b/server"
            })
    void refusesWhatTheKubeletCannotParse(String image) {
        assertThat(image.matches(KubernetesSyntax.IMAGE)).as(image).isFalse();
    }
}
