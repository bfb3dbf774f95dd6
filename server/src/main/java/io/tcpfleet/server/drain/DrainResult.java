package io.tcpfleet.server.drain;

/** What a drain did; the JSON body of {@code POST /drain}. */
public record DrainResult(int connectionsAtStart, long closed, long forced, long elapsedMillis) {

    public String toJson() {
        return "{\"connectionsAtStart\":" + connectionsAtStart + ",\"closed\":" + closed + ",\"forced\":" + forced
                + ",\"elapsedMillis\":" + elapsedMillis + "}";
    }
}
