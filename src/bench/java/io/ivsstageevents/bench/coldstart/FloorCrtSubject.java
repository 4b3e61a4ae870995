package io.ivsstageevents.bench.coldstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;

/** The floor on the AWS CRT HTTP client (native, loads its JNI library at first use), same connect timeout. */
public final class FloorCrtSubject {
    private FloorCrtSubject() {
    }

    public static void main(String[] args) throws IOException {
        Checkpoints marks = new Checkpoints();
        Files.readAllBytes(Path.of(args[0]));
        ClientSettings.floor(marks, AwsCrtHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(1)));
    }
}
