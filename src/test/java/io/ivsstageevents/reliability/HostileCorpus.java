package io.ivsstageevents.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Malformed and hostile input: the files in src/test/resources/hostile/ (indexed, with their expected class, in
 * cases.tsv), and cases generated here because they would be too big to keep: deep nesting, huge strings,
 * attributes far over the 1 KB IVS allows.
 */
final class HostileCorpus {
    enum Expected {
        /** Rejected: InvalidEventException, whose message starts with the path of the field at fault. */
        INVALID,
        /** Skipped: returns normally, counted in EventsIgnored. */
        NOT_OURS,
        /**
         * An IVS stage update this version cannot record (no name it knows, or a recorded kind without what it
         * needs): returns normally, counted in UnrecognizedEvents, and kept whole as the one item written.
         */
        KEPT
    }

    record Case(String name, Expected expected, String what, Supplier<byte[]> bytes) {
        @Override
        public String toString() {
            return name + " (" + expected + ": " + what + ")";
        }
    }

    private static final String DIRECTORY = "/hostile/";
    /** A valid token exchange, with marked personal data, to build the generated cases on. */
    private static final String BASE = """
            {"version":"0","id":"6f1c2b7e-0d4a-4b8e-9a53-generated001","detail-type":"IVS Stage Update",
             "source":"aws.ivs","account":"123456789012","time":"2026-03-14T18:06:13Z","region":"us-west-2",
             "resources":["arn:aws:ivs:us-west-2:123456789012:stage/HostileStage1"],
             "detail":{"session_id":"st-Hostile1Sess","event_name":"Participant Token Exchanged",
              "event_time":"2026-03-14T18:06:12.482Z","participant_id":%s,"extra":%s,
              "new_token":{"capabilities":["PUBLISH"],"attributes":%s,"user_id":%s}}}""";

    private HostileCorpus() {
    }

    /** Every case, known bugs included. */
    static List<Case> all() {
        List<Case> cases = new ArrayList<>(files());
        cases.addAll(generated());
        return cases;
    }

    static Case named(String name) {
        return all().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no hostile case " + name));
    }

    static List<Case> files() {
        List<Case> cases = new ArrayList<>();
        try (BufferedReader index = new BufferedReader(
                new InputStreamReader(resource("cases.tsv"), StandardCharsets.UTF_8))) {
            for (String line = index.readLine(); line != null; line = index.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t");
                String file = columns[0];
                cases.add(new Case(file, Expected.valueOf(columns[1]), columns[2], () -> read(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    static List<Case> generated() {
        String participant = "\"pHostile0001\"";
        String attributes = "{\"attrk-displayName\":\"attrv-Guest\"}";
        String user = "\"uid-hostile-4711\"";
        return List.of(
                new Case("generated: 100,000 nested arrays", Expected.INVALID,
                        "nesting far past what a JSON parser should follow",
                        () -> ("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.UTF_8)),
                new Case("generated: 5,000 nested objects as token attributes", Expected.INVALID,
                        "deep nesting where a map of strings belongs",
                        () -> event(participant, "null", nested(5_000), user)),
                new Case("generated: 900 nested arrays as token attributes", Expected.INVALID,
                        "nesting the parser accepts, where a map of strings belongs",
                        () -> event(participant, "null", "[".repeat(900) + "]".repeat(900), user)),
                new Case("generated: 1 MB participant id", Expected.INVALID,
                        "a key component far longer than a key may be",
                        () -> event(quoted("p".repeat(1 << 20)), "null", attributes, user)),
                new Case("generated: 21 MB string in an unknown member", Expected.INVALID,
                        "one string larger than the parser's limit",
                        () -> event(participant, quoted("x".repeat(21_000_000)), attributes, user)),
                new Case("generated: 500 KB user id", Expected.INVALID,
                        "a token whose items would be over DynamoDB's 400 KB",
                        () -> event(participant, "null", attributes, quoted("uid-" + "u".repeat(500 * 1024)))),
                new Case("generated: 64 KB of token attributes", Expected.INVALID,
                        "attributes 64 times the 1 KB IVS allows a token",
                        () -> event(participant, "null", attributes(64 * 1024), user)));
    }

    /** 16-byte-named attributes with 240-byte values, about the given size in all. */
    static String attributes(int bytes) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i * 256 < bytes; i++) {
            json.append(i == 0 ? "" : ",").append(quoted("attrk-%010d".formatted(i)))
                    .append(':').append(quoted("attrv-" + "v".repeat(234)));
        }
        return json.append('}').toString();
    }

    private static byte[] event(String participantId, String extra, String attributes, String userId) {
        return BASE.formatted(participantId, extra, attributes, userId).getBytes(StandardCharsets.UTF_8);
    }

    private static String nested(int depth) {
        return "{\"a\":".repeat(depth) + "\"attrv-deep\"" + "}".repeat(depth);
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    private static byte[] read(String file) {
        try (InputStream in = resource(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String file) {
        InputStream in = HostileCorpus.class.getResourceAsStream(DIRECTORY + file);
        if (in == null) {
            throw new IllegalStateException("missing from the test resources: hostile/" + file);
        }
        return in;
    }
}
