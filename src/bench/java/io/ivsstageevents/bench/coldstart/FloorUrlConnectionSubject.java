package io.ivsstageevents.bench.coldstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/** The floor on the url-connection HTTP client (the JDK's HttpURLConnection), same timeouts as the function's. */
public final class FloorUrlConnectionSubject {
    private FloorUrlConnectionSubject() {
    }

    public static void main(String[] args) throws IOException {
        Checkpoints marks = new Checkpoints();
        Files.readAllBytes(Path.of(args[0]));
        ClientSettings.floor(marks, UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(1))
                .socketTimeout(Duration.ofSeconds(2)));
    }
}
