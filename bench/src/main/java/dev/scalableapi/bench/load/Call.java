package dev.scalableapi.bench.load;

/** One request to send: method, path (with query) and an optional JSON body. */
public record Call(String method, String path, String body) {

    public static Call get(String path) {
        return new Call("GET", path, null);
    }
}
