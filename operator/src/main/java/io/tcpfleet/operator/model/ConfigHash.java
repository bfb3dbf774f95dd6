package io.tcpfleet.operator.model;

import io.fabric8.kubernetes.api.model.EnvVar;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** A short, stable digest of the server configuration; a pod-template annotation so any change rolls the pods. */
public final class ConfigHash {

    private ConfigHash() {}

    public static String of(List<EnvVar> env) {
        StringBuilder text = new StringBuilder();
        for (EnvVar e : env) {
            text.append(e.getName()).append('=');
            if (e.getValue() != null) {
                text.append(e.getValue());
            } else if (e.getValueFrom() != null) {
                text.append(e.getValueFrom());
            }
            text.append('\n');
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
