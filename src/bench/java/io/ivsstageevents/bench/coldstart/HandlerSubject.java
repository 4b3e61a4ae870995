package io.ivsstageevents.bench.coldstart;

import io.ivsstageevents.StageEventHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A: the function as Lambda starts it: the no-arg constructor (environment, client, everything) and then one event,
 * until it is recorded. The Lambda runtime's own start-up is not part of it, nor of the floor.
 */
public final class HandlerSubject {
    private HandlerSubject() {
    }

    public static void main(String[] args) throws IOException {
        Checkpoints marks = new Checkpoints();
        byte[] event = Files.readAllBytes(Path.of(args[0]));
        StageEventHandler handler = new StageEventHandler();
        marks.mark("init");
        handler.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(), null);
        marks.mark("done");
        marks.report();
    }
}
