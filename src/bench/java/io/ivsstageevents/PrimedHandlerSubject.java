package io.ivsstageevents;

import io.ivsstageevents.bench.coldstart.Checkpoints;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What SnapStart's priming buys the first event, as far as one process can show it: the handler is built, its own
 * priming hook runs (what beforeCheckpoint would run before the snapshot), and then the first event is timed. It
 * lives in the function's package because the hook and the handler's accessor for it are package-private.
 */
public final class PrimedHandlerSubject {
    private PrimedHandlerSubject() {
    }

    public static void main(String[] args) throws IOException {
        Checkpoints marks = new Checkpoints();
        byte[] event = Files.readAllBytes(Path.of(args[0]));
        StageEventHandler handler = new StageEventHandler();
        marks.mark("init");
        handler.priming().prime();
        marks.mark("primed");
        handler.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(), null);
        marks.mark("done");
        marks.report();
    }
}
