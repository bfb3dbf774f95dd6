package io.tcpfleet.operator.model;

import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.tcpfleet.operator.api.v1alpha1.PodOverrides;
import io.tcpfleet.operator.api.v1alpha1.UpstreamTls;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Secrets the server reads its certificates from, mounted whole and read-only at fixed paths. The pod
 * template names the Secrets, never their content: a renewed certificate rolls no pod. The kubelet rewrites
 * the mounted files (not with subPath, which it never updates) and the server reloads them. A key the Secret
 * lacks is a missing file the server names as it exits at start, which the TcpService's conditions quote.
 */
public final class SecretVolumes {

    static final String TLS_CERT = PodOverrides.TLS_PATH + "/tls.crt";
    static final String TLS_KEY = PodOverrides.TLS_PATH + "/tls.key";

    private SecretVolumes() {}

    static String clientCaFile(String key) {
        return PodOverrides.CLIENT_CA_PATH + "/" + key;
    }

    static String upstreamCaFile(String key) {
        return PodOverrides.UPSTREAM_CA_PATH + "/" + key;
    }

    public static List<Volume> volumes(EffectiveSpec spec) {
        List<Volume> volumes = new ArrayList<>();
        for (Mounted m : mounted(spec)) {
            volumes.add(new VolumeBuilder()
                    .withName(m.volume())
                    .withNewSecret()
                    .withSecretName(m.secretName())
                    .endSecret()
                    .build());
        }
        return volumes;
    }

    public static List<VolumeMount> mounts(EffectiveSpec spec) {
        List<VolumeMount> mounts = new ArrayList<>();
        for (Mounted m : mounted(spec)) {
            mounts.add(new VolumeMountBuilder()
                    .withName(m.volume())
                    .withMountPath(m.path())
                    .withReadOnly(true)
                    .build());
        }
        return mounts;
    }

    private record Mounted(String volume, String secretName, String path) {}

    private static List<Mounted> mounted(EffectiveSpec spec) {
        List<Mounted> mounted = new ArrayList<>();
        spec.tls().ifPresent(tls -> {
            mounted.add(new Mounted(PodOverrides.TLS_VOLUME, tls.getSecretName(), PodOverrides.TLS_PATH));
            Optional.ofNullable(tls.getClientCA())
                    .ifPresent(ca -> mounted.add(new Mounted(
                            PodOverrides.CLIENT_CA_VOLUME, ca.getSecretName(), PodOverrides.CLIENT_CA_PATH)));
        });
        spec.upstreamTls()
                .map(UpstreamTls::getCaSecret)
                .ifPresent(ca -> mounted.add(
                        new Mounted(PodOverrides.UPSTREAM_CA_VOLUME, ca.getName(), PodOverrides.UPSTREAM_CA_PATH)));
        return mounted;
    }
}
