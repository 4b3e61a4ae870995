package io.ivsstageevents.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.LocalReconciler;
import io.ivsstageevents.testing.SampleEvents;
import io.ivsstageevents.testing.ivs.IvsRealTimeStandIn;
import io.ivsstageevents.testing.ivs.SampleWorld;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * .ci/report-browser-check: the session report as a person sees it, in headless Chromium driven over the DevTools
 * protocol (the JDK's WebSocket client; no dependency). Two pages, made by ./invoke-local's own code: the samples'
 * ({@code events/ --report}), and the samples with the sample world reconciled from the IVS API stand-in, which
 * shows every mark. Each must load with no console error and no request beyond the file, and its DOM must hold one
 * timeline row per participant with recorded events and one span per replication, as the report's JSON says. The
 * second page's screenshot must not be blank; with --update-screenshot it becomes the README's.
 */
public final class ReportBrowserCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORK = Path.of("target/report-check");
    private static final Path README_SCREENSHOT = Path.of("docs/images/session-report.png");
    private static final int WIDTH = 1180;
    /** Tall enough for the sample report's two sessions; a screenshot of a longer page is cut here. */
    private static final int MAX_HEIGHT = 3000;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private ReportBrowserCheck() {
    }

    public static void main(String[] args) throws Exception {
        boolean update = args.length == 1 && args[0].equals("--update-screenshot");
        if (args.length > 0 && !update) {
            System.err.println("usage: .ci/report-browser-check [--update-screenshot]");
            System.exit(2);
        }
        Files.createDirectories(WORK);
        PrintStream out = System.out;
        System.setOut(System.err);
        List<String> failures = new ArrayList<>();
        try (Chromium chromium = Chromium.start(chromiumBinary())) {
            out.println("browser check: " + chromium.version());
            Path samples = WORK.resolve("samples-report.html");
            failures.addAll(check(chromium, samples, invokeLocal(samples, false), null, out));
            Path reconciled = WORK.resolve("session-report.html");
            Path screenshot = WORK.resolve("session-report.png");
            failures.addAll(check(chromium, reconciled, invokeLocal(reconciled, true), screenshot, out));
            if (update && failures.isEmpty()) {
                Files.createDirectories(README_SCREENSHOT.getParent());
                Files.copy(screenshot, README_SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
                out.println("screenshot updated: " + README_SCREENSHOT);
            }
        }
        failures.forEach(failure -> out.println("FAILED: " + failure));
        out.println(failures.isEmpty() ? "browser check: ok" : "browser check: " + failures.size() + " failed");
        out.flush();
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    /** ./invoke-local [events/ | events/, the world's exchange, --reconcile] --report page --json: its report. */
    private static JsonNode invokeLocal(Path page, boolean reconciled) throws IOException {
        List<String> args = new ArrayList<>(List.of("--json", "--report", page.toString(), "events/"));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        if (!reconciled) {
            InvokeLocal.run(args.toArray(String[]::new), Map.of(), new PrintStream(stdout, true, StandardCharsets.UTF_8));
            return JSON.readTree(stdout.toByteArray()).get("report");
        }
        Path exchange = WORK.resolve("world-token-exchanged.json");
        Files.write(exchange, SampleEvents.bytes(SampleWorld.eventBridgeFormOfTheTokenExchange()));
        try (IvsRealTimeStandIn standIn = IvsRealTimeStandIn.builder().world(SampleWorld.world())
                .credentials(LocalReconciler.CREDENTIALS).region(LocalDynamoDb.REGION).start()) {
            args.addAll(List.of(exchange.toString(), "--reconcile", "--ivs-endpoint", standIn.endpoint().toString(),
                    "--requests-per-second", "5"));
            InvokeLocal.run(args.toArray(String[]::new), Map.of(), new PrintStream(stdout, true, StandardCharsets.UTF_8));
        }
        return JSON.readTree(stdout.toByteArray()).get("report");
    }

    private static List<String> check(Chromium chromium, Path page, JsonNode report, Path screenshot,
                                      PrintStream out) throws Exception {
        List<String> failures = new ArrayList<>();
        int rows = 0;
        int replications = 0;
        for (JsonNode session : report.get("sessions")) {
            rows += session.get("participantsWithRecordedEvents").asInt();
            replications += session.get("replications").size();
        }
        Chromium.Load load = chromium.load(page.toAbsolutePath().toUri());
        JsonNode dom = load.dom();
        out.printf("%s: %d bytes, %d sessions; loaded with %d console errors, %d requests beyond the file;"
                        + " DOM: %d timeline rows (report: %d participants with recorded events), %d replication"
                        + " spans (report: %d replications)%n", page, Files.size(page), report.get("sessions").size(),
                load.errors().size(), load.otherRequests().size(), dom.get("rows").asInt(), rows,
                dom.get("replications").asInt(), replications);
        load.errors().forEach(error -> failures.add(page + ": console: " + error));
        load.otherRequests().forEach(url -> failures.add(page + ": fetched " + url));
        if (dom.get("rows").asInt() != rows || rows == 0) {
            failures.add(page + ": " + dom.get("rows") + " timeline rows, expected " + rows);
        }
        if (dom.get("replications").asInt() != replications || replications == 0) {
            failures.add(page + ": " + dom.get("replications") + " replication spans, expected " + replications);
        }
        if (screenshot != null) {
            byte[] png = chromium.screenshot(WIDTH, Math.min(MAX_HEIGHT, dom.get("height").asInt()));
            Files.write(screenshot, png);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            long inked = 0;
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    int rgb = image.getRGB(x, y) & 0xffffff;
                    colours.add(rgb);
                    inked += rgb == 0xffffff ? 0 : 1;
                }
            }
            double share = 100.0 * inked / ((long) image.getWidth() * image.getHeight());
            out.printf("%s: %dx%d, %.1f%% of pixels not white, %d colours%n", screenshot, image.getWidth(),
                    image.getHeight(), share, colours.size());
            if (share < 2 || colours.size() < 16) {
                failures.add(screenshot + ": blank (" + share + "% inked, " + colours.size() + " colours)");
            }
        }
        return failures;
    }

    /** CHROMIUM if set, else Debian's chromium or chromium-headless-shell. */
    private static String chromiumBinary() {
        String configured = System.getenv("CHROMIUM");
        if (configured != null && !configured.isEmpty()) {
            return configured;
        }
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-headless-shell",
                "/usr/lib/chromium/chromium-headless-shell")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no Chromium: install Debian's chromium package, or set CHROMIUM");
    }

    /** One headless Chromium with a fresh profile and one page, driven over the DevTools protocol. */
    private static final class Chromium implements AutoCloseable {
        /** What one page load showed: console errors, requests for anything but the page, and DOM counts. */
        record Load(List<String> errors, List<String> otherRequests, JsonNode dom) {
        }

        private final Process process;
        private final Path profile;
        private final WebSocket socket;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final List<JsonNode> events = new CopyOnWriteArrayList<>();
        private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

        private Chromium(Process process, Path profile, WebSocket.Builder sockets, URI page) {
            this.process = process;
            this.profile = profile;
            this.socket = sockets.buildAsync(page, new Listener()).join();
        }

        static Chromium start(String binary) throws IOException, InterruptedException {
            Path profile = Files.createTempDirectory("report-check-chromium");
            // Everything a browser would fetch by itself is off: CI's network reaches package registries only.
            Process process = new ProcessBuilder(binary, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-extensions",
                    "--hide-scrollbars", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                    "--window-size=" + WIDTH + ",900", "about:blank").redirectErrorStream(true).start();
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            URI browser = null;
            List<String> said = new ArrayList<>();
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                Matcher listening = LISTENING.matcher(line);
                if (listening.find()) {
                    browser = URI.create(listening.group(1));
                    break;
                }
                said.add(line);
            }
            if (browser == null) {
                throw new IllegalStateException("Chromium ended before it listened: " + String.join("\n", said));
            }
            // The rest of its chatter (D-Bus, GPU) is drained and dropped, so that it never blocks on a full pipe.
            Thread drain = new Thread(() -> output.lines().forEach(line -> { }));
            drain.setDaemon(true);
            drain.start();
            HttpClient http = HttpClient.newHttpClient();
            URI list = URI.create("http://" + browser.getAuthority() + "/json/list");
            JsonNode targets = JSON.createArrayNode();
            for (long waited = 0; waited < TIMEOUT.toMillis() && targets.isEmpty(); waited += 100) {
                String body = http.send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString())
                        .body();
                for (JsonNode target : JSON.readTree(body)) {
                    if (target.get("type").asText().equals("page")) {
                        ((com.fasterxml.jackson.databind.node.ArrayNode) targets).add(target);
                    }
                }
                if (targets.isEmpty()) {
                    Thread.sleep(100);
                }
            }
            if (targets.isEmpty()) {
                throw new IllegalStateException("Chromium opened no page");
            }
            Chromium chromium = new Chromium(process, profile, http.newWebSocketBuilder(),
                    URI.create(targets.get(0).get("webSocketDebuggerUrl").asText()));
            for (String domain : List.of("Runtime", "Log", "Network", "Page")) {
                chromium.call(domain + ".enable", JSON.createObjectNode());
            }
            return chromium;
        }

        String version() {
            JsonNode version = call("Browser.getVersion", JSON.createObjectNode());
            return version.get("product").asText() + " (" + version.get("userAgent").asText() + ")";
        }

        Load load(URI page) {
            events.clear();
            loaded = new CompletableFuture<>();
            call("Page.navigate", JSON.createObjectNode().put("url", page.toString()));
            loaded.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
            JsonNode dom = evaluate("JSON.stringify({rows: document.querySelectorAll('[data-row]').length,"
                    + " replications: document.querySelectorAll('[data-replication]').length,"
                    + " height: document.documentElement.scrollHeight})");
            List<String> errors = new ArrayList<>();
            List<String> requests = new ArrayList<>();
            for (JsonNode event : events) {
                JsonNode params = event.get("params");
                switch (event.get("method").asText()) {
                    case "Runtime.exceptionThrown" -> errors.add(params.get("exceptionDetails").toString());
                    case "Runtime.consoleAPICalled" -> {
                        if (params.get("type").asText().equals("error")) {
                            errors.add(params.get("args").toString());
                        }
                    }
                    case "Log.entryAdded" -> {
                        if (params.get("entry").get("level").asText().equals("error")) {
                            errors.add(params.get("entry").get("text").asText());
                        }
                    }
                    case "Network.requestWillBeSent" -> {
                        String url = params.get("request").get("url").asText();
                        if (!url.equals(page.toString()) && !url.startsWith("data:")) {
                            requests.add(url);
                        }
                    }
                    default -> {
                    }
                }
            }
            return new Load(errors, requests, dom);
        }

        byte[] screenshot(int width, int height) {
            call("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width)
                    .put("height", height).put("deviceScaleFactor", 1).put("mobile", false));
            JsonNode shot = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
            return Base64.getDecoder().decode(shot.get("data").asText());
        }

        private JsonNode evaluate(String expression) {
            JsonNode result = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                    .put("returnByValue", true));
            try {
                return JSON.readTree(result.get("result").get("value").asText());
            } catch (IOException e) {
                throw new IllegalStateException("unreadable answer: " + result, e);
            }
        }

        private JsonNode call(String method, ObjectNode params) {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            pending.put(id, answer);
            ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
            message.set("params", params);
            socket.sendText(message.toString(), true).join();
            JsonNode reply = answer.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
            if (reply.has("error")) {
                throw new IllegalStateException(method + ": " + reply.get("error"));
            }
            return reply.get("result");
        }

        @Override
        public void close() throws IOException, InterruptedException {
            try {
                call("Browser.close", JSON.createObjectNode());
            } catch (RuntimeException alreadyGone) {
                // Closed below either way.
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }

        /** Answers go to their call; events are kept for the page load they belong to. */
        private final class Listener implements WebSocket.Listener {
            private final StringBuilder message = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                message.append(data);
                if (last) {
                    try {
                        JsonNode json = JSON.readTree(message.toString());
                        if (json.has("id")) {
                            CompletableFuture<JsonNode> answer = pending.remove(json.get("id").asInt());
                            if (answer != null) {
                                answer.complete(json);
                            }
                        } else {
                            events.add(json);
                            if (json.get("method").asText().equals("Page.loadEventFired")) {
                                loaded.complete(null);
                            }
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException("unreadable DevTools message", e);
                    }
                    message.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        }
    }
}
