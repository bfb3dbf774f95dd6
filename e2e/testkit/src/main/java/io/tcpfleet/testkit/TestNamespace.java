package io.tcpfleet.testkit;

/**
 * The namespace {@link ClusterExtension} created for the current test; it is deleted after the
 * test.
 *
 * @param name the namespace's name
 */
public record TestNamespace(String name) {}
