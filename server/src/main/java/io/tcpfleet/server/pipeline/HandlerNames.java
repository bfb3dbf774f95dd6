package io.tcpfleet.server.pipeline;

/**
 * Names of the handlers in a client connection's pipeline, in pipeline order:
 *
 * <pre>
 *   tracker       ConnectionTracker     bytes in/out, close reason, metrics, the close log line, and the
 *                                       last read for --idle-timeout (closed by IdleSweep, a task per
 *                                       event loop rather than a handler per connection); with
 *                                       --max-connection-age, that connection's ConnectionAge task
 *   proxy-protocol HAProxyMessageDecoder only with --proxy-protocol required: the PROXY v1/v2 header
 *   proxy-header  ProxyHeaderReader     records the header's client address, holds back channelActive
 *                                       until then; both remove themselves after the header
 *   tls           SslHandler            only with --tls-cert: from the certificate current at accept
 *   tls-events    TlsHandshakeObserver  counts handshakes by result, closes a failed one as reason tls
 *   backpressure  AutoReadBackpressure  stops reading while the outbound buffer is above the high mark
 *                                       (plugins only: echo does it itself, the proxy steers reads)
 *   overflow      WorkerOverflowGuard   only for blocking plugins: refuses work the worker queue cannot take
 *   handler       echo | proxy | the plugin's handlers (named handler, handler-1, ...)
 *   terminal      TerminalHandler       logs an unhandled error once and closes; closes after a half-close
 *                                       (absent when the handler is one itself, as echo is)
 * </pre>
 */
public final class HandlerNames {

    public static final String TRACKER = "tracker";
    public static final String PROXY_PROTOCOL = "proxy-protocol";
    public static final String PROXY_HEADER = "proxy-header";
    public static final String TLS = "tls";
    public static final String TLS_EVENTS = "tls-events";
    public static final String BACKPRESSURE = "backpressure";
    public static final String OVERFLOW = "overflow";
    public static final String HANDLER = "handler";
    public static final String TERMINAL = "terminal";

    private HandlerNames() {}
}
