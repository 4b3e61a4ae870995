package io.ivsstageevents.bench.coldstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;

/** The floor on the Apache HTTP client (4.x, the SDK's long-time default), same timeouts as the function's. */
public final class FloorApacheSubject {
    private FloorApacheSubject() {
    }

    public static void main(String[] args) throws IOException {
        Checkpoints marks = new Checkpoints();
        Files.readAllBytes(Path.of(args[0]));
        ClientSettings.floor(marks, ApacheHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(1))
                .socketTimeout(Duration.ofSeconds(2)));
    }
}
